/** Reading a flow's comments, for its page and for the comments' own list. */
import type { Db } from '../prisma/db';
import { pageFrom, type Page } from './pagination';

/** One page of a flow's comments, oldest first, with their authors' names and their files. */
export async function commentsOf(db: Db, flowId: string, page: Page = { limit: 50, offset: 0 }) {
  const comments = await pageFrom(
    page,
    (window) => db.flowComment.findMany({ where: { flowId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { attachments: { orderBy: { createdAt: 'asc' } } }, ...window }),
    () => db.flowComment.count({ where: { flowId } }),
  );
  const authors = await db.employee.findMany({ where: { id: { in: [...new Set(comments.items.map((c) => c.authorId))] } }, select: { id: true, name: true } });
  return {
    ...comments,
    items: comments.items.map((c) => ({ ...c, authorName: authors.find((a) => a.id === c.authorId)?.name ?? c.authorId, attachments: c.attachments.map(attachmentOf) })),
  };
}

export const attachmentOf = (a: { id: string; name: string; sizeBytes: number; contentType: string }) => ({ id: a.id, name: a.name, size: a.sizeBytes, contentType: a.contentType });

