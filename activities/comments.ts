import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';

/** How much of a comment a notification quotes. */
const QUOTED = 200;

/** Comments on any flow, written by the flow that received them. */
export function commentActivities(db: Db, log: Logger) {
  return {
    /**
     * Writes a comment under the id the flow chose, attaches its files and tells the flow's
     * participants (its starter, everyone who held or was escalated a task, those copied in), all in
     * one transaction. A file not uploaded by the author to this flow, or already attached
     * elsewhere, refuses the whole comment (`refused`), so two comments racing for a file cannot both
     * have it. A retry finds the comment written and writes nothing.
     */
    async recordComment({ flowId, commentId, actorId, text, attachmentIds = [] }: { flowId: string; commentId: string; actorId: string; text: string; attachmentIds?: string[] }): Promise<{ commentId: string; createdAt: string } | { refused: string }> {
      const key = `comment:${commentId}`;
      return changeAndNotify(db, log, async (tx, notify) => {
        const earlier = await tx.flowComment.findUnique({ where: { id: commentId } });
        if (earlier) return { commentId, createdAt: earlier.createdAt.toISOString() };
        const comment = await tx.flowComment.create({ data: { id: commentId, flowId, authorId: actorId, text } });
        if (attachmentIds.length) {
          const { count } = await tx.attachment.updateMany({ where: { id: { in: attachmentIds }, flowId, uploaderId: actorId, commentId: null }, data: { commentId } });
          // Nothing of the comment is kept: the transaction rolls back.
          if (count !== attachmentIds.length) throw new AttachmentsTaken();
        }
        await appendAudit(tx, { key, action: 'flow.commented', flowId, actorId, payload: { commentId, attachmentIds, length: text.length } });
        const [flow, author, holders, cc] = await Promise.all([
          tx.flow.findUniqueOrThrow({ where: { id: flowId } }),
          tx.employee.findUniqueOrThrow({ where: { id: actorId } }),
          tx.task.findMany({ where: { OR: [{ flowId }, { flowId: { startsWith: `${flowId}/` } }] }, select: { assigneeId: true, escalatedToIds: true } }),
          tx.flowCc.findMany({ where: { flowId }, select: { employeeId: true } }),
        ]);
        const participants = new Set([flow.startedById, ...holders.flatMap((t) => [t.assigneeId, ...t.escalatedToIds]), ...cc.map((c) => c.employeeId)]);
        participants.delete(actorId);
        const quoted = text.length > QUOTED ? `${text.slice(0, QUOTED)}…` : text;
        notify(
          ...[...participants]
            .filter((id): id is string => !!id)
            .sort()
            .map((recipientId) => ({ key: `${key}:${recipientId}`, recipientId, template: 'flow_comment' as const, params: { subject: flow.subject, authorName: author.name, text: quoted, attachments: String(attachmentIds.length) }, flowId })),
        );
        return { commentId, createdAt: comment.createdAt.toISOString() };
      }).catch((err: unknown) => {
        if (err instanceof AttachmentsTaken) return { refused: err.message };
        throw err;
      });
    },
  };
}

class AttachmentsTaken extends Error {
  constructor() {
    super('an attachment is not one you uploaded to this flow, or it is already attached to a comment');
  }
}
