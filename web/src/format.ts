import type { Locale } from './i18n';

/** Dates and money as the reader's language writes them; money is kept in fen and shown in yuan. */
export const formatMoment = (locale: Locale, iso: string | null | undefined) =>
  iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';

/** A session's time: from its start to its end. */
export const formatSpan = (locale: Locale, from: string, to: string) => `${formatMoment(locale, from)} – ${formatMoment(locale, to)}`;

export const formatDay = (locale: Locale, day: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

export const formatYuan = (locale: Locale, fen: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100);

/** "in 3 hours", "2 days ago". */
export function formatRelative(locale: Locale, iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  if (Math.abs(minutes) < 48 * 60) return rtf.format(Math.round(minutes / 60), 'hour');
  return rtf.format(Math.round(minutes / 1440), 'day');
}
