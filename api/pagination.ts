import { z } from 'zod';

/**
 * Every list the API returns is one bounded page: `limit` and `offset` in the query, and
 * `{items, total, limit, offset}` in the answer, `total` counting everything that matches.
 */

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** A page size; a few lists allow larger pages where whole portfolios or checklists are the point. */
export const limitParam = ({ fallback = DEFAULT_LIMIT, max = MAX_LIMIT }: { fallback?: number; max?: number } = {}) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback)
    .meta({ description: `page size, 1–${max} (default ${fallback})` });

export const offsetParam = () => z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0).meta({ description: 'items to skip (default 0)' });

/** `limit` and `offset`, to spread into a list's query schema: `z.object({ ...filters, ...pageParams() })`. */
export const pageParams = (o?: { fallback?: number; max?: number }) => ({ limit: limitParam(o), offset: offsetParam() });

export interface Page {
  limit: number;
  offset: number;
}

/** One page of a list: counts every match only when the page alone cannot tell (it came back
 *  full, or empty past the start), so a short inbox costs one query, not two. */
export async function pageFrom<T>(page: Page, items: (window: { take: number; skip: number }) => Promise<T[]>, count: () => Promise<number>) {
  const found = await items(takeSkip(page));
  const complete = found.length < page.limit && (found.length > 0 || page.offset === 0);
  return pageOf(found, complete ? page.offset + found.length : await count(), page);
}

/** A page as every list answers it. */
export const pageOf = <T>(items: T[], total: number, { limit, offset }: Page) => ({ items, total, limit, offset });

/** Prisma's take/skip for a page. */
export const takeSkip = ({ limit, offset }: Page) => ({ take: limit, skip: offset });
