import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import { PRIVATE_NOTICE } from '../domain/notifications';
import type { AnswerSuggestionArgs, SuggestionInput } from '../domain/suggestion';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';

/** The writes of a suggestion's flow; each keyed by the suggestion, so a retry writes nothing twice.
 *  None answers anything about who sent an anonymous suggestion: what an activity answers is in
 *  the flow's history. */
export function suggestionActivities(db: Db, log: Logger) {
  return {
    /** The suggestion and its flow on record, and whom the flow asks to answer: the department's
     *  head, or HR when it has no active head. A retry finds whom it named. */
    async recordSuggestion(s: SuggestionInput & { flowId: string; dueAt: string }): Promise<{ ownerId: string }> {
      return db.$transaction(async (tx) => {
        const known = await tx.suggestion.findUnique({ where: { id: s.suggestionId }, select: { ownerId: true } });
        if (known) return known;
        const department = await tx.department.findUniqueOrThrow({ where: { id: s.departmentId }, select: { head: { select: { id: true, status: true } } } });
        const hr = () => tx.employee.findFirstOrThrow({ where: { status: 'active', roles: { has: 'hr' } }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
        const ownerId = department.head?.status === 'active' ? department.head.id : (await hr()).id;
        const submitterId = s.anonymous ? undefined : s.submitterId;
        await tx.flow.upsert({
          where: { id: s.flowId },
          create: { id: s.flowId, type: 'suggestion', businessKey: s.suggestionId, subject: s.title, startedById: submitterId },
          update: {},
        });
        await tx.suggestion.create({
          data: {
            id: s.suggestionId,
            flowId: s.flowId,
            title: s.title,
            body: s.body,
            departmentId: s.departmentId,
            category: s.category,
            anonymous: s.anonymous,
            submitterId,
            ownerId,
            submittedAt: new Date(),
            dueAt: new Date(s.dueAt),
          },
        });
        await appendAudit(
          tx,
          { key: `${s.flowId}:started`, action: 'flow.started', flowId: s.flowId, actorId: submitterId, payload: { type: 'suggestion', businessKey: s.suggestionId } },
          { key: `${s.flowId}:submitted`, action: 'suggestion.submitted', flowId: s.flowId, actorId: submitterId, payload: { departmentId: s.departmentId, category: s.category, anonymous: s.anonymous, ownerId } },
        );
        return { ownerId };
      });
    },

    /** The answer on record, and its submitter told. An anonymous submitter's notice carries no
     *  flow and a key of its own (PRIVATE_NOTICE), so nothing others read leads to them. */
    async answerSuggestion(a: AnswerSuggestionArgs & { suggestionId: string; flowId: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.suggestion.updateMany({
          where: { id: a.suggestionId, status: 'open' },
          data: { status: 'answered', answer: a.answer, accepted: a.accepted, actionPlanned: a.actionPlanned, answeredById: a.actorId, answeredAt: new Date() },
        });
        if (count === 0) return;
        const s = await tx.suggestion.findUniqueOrThrow({ where: { id: a.suggestionId } });
        await appendAudit(tx, { key: `${a.flowId}:answered`, action: 'suggestion.answered', flowId: a.flowId, actorId: a.actorId, payload: { accepted: a.accepted, actionPlanned: a.actionPlanned ?? null } });
        const sender = await tx.suggestionSender.findUnique({ where: { suggestionId: a.suggestionId } });
        if (!sender) return;
        const department = await tx.department.findUniqueOrThrow({ where: { id: s.departmentId }, select: { name: true } });
        notify({
          key: s.anonymous ? `${PRIVATE_NOTICE}${sender.noticeKey}` : `${a.flowId}:answered`,
          recipientId: sender.employeeId,
          template: 'suggestion_answered',
          params: { title: s.title, departmentName: department.name, accepted: String(a.accepted), answer: a.answer },
          flowId: s.anonymous ? undefined : a.flowId,
        });
      });
    },

    /** The suggestion's flow is complete. */
    async finishSuggestion({ flowId }: { flowId: string }): Promise<void> {
      await db.flow.updateMany({ where: { id: flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
    },
  };
}
