import type { Logger } from 'pino';
import type { Prisma, Db } from '../prisma/db';
import type { Ranked, VacancyInput, VacancyStatus } from '../domain/promotion';
import { appendAudit, auditFlowStep, type Tx } from './audit';
import { insertOnce } from './insertOnce';
import { changeAndNotify, type NotificationDraft } from './notifications';

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** A vacancy's status moves only forward from where the flow expects it, so a retry changes nothing. */
const moveVacancy = (tx: Tx, vacancyId: string, from: VacancyStatus[], data: Prisma.VacancyUpdateManyMutationInput) =>
  tx.vacancy.updateMany({ where: { id: vacancyId, status: { in: from } }, data });

/** The writes of a vacancy's flow; each keyed by the vacancy and its step, so a retry writes nothing
 *  twice. The rules (who may apply, what a complete form is, the ranking) are the flow's. */
export function promotionActivities(db: Db, log: Logger) {
  return {
    /** The vacancy, its criteria and panel on record, open for applications. */
    async recordVacancy(v: VacancyInput & { flowId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.upsert({
          where: { id: v.flowId },
          create: { id: v.flowId, type: 'promotion', businessKey: v.vacancyId, subject: v.title, startedById: v.hrId },
          update: {},
        });
        await insertOnce(tx, 'vacancy', [
          {
            id: v.vacancyId,
            flowId: v.flowId,
            title: v.title,
            departmentId: v.departmentId,
            description: v.description,
            criteria: json(v.criteria),
            panelIds: v.panelIds,
            hrId: v.hrId,
            applyUntil: new Date(v.applyUntil),
          },
        ]);
        await appendAudit(
          tx,
          { key: `${v.flowId}:started`, action: 'flow.started', flowId: v.flowId, actorId: v.hrId, payload: { type: 'promotion', businessKey: v.vacancyId } },
          { key: `${v.flowId}:opened`, action: 'vacancy.opened', flowId: v.flowId, actorId: v.hrId, payload: { criteria: v.criteria, panelIds: v.panelIds, applyUntil: v.applyUntil } },
        );
      });
    },

    /** An application on record, unless the applicant is not an active employee (then the flow refuses it). */
    async recordApplication(a: { vacancyId: string; flowId: string; applicantId: string; statement: string }): Promise<{ recorded: boolean }> {
      return db.$transaction(async (tx) => {
        const applicant = await tx.employee.findUnique({ where: { id: a.applicantId }, select: { status: true } });
        if (applicant?.status !== 'active') return { recorded: false };
        await insertOnce(tx, 'vacancyApplication', [{ vacancyId: a.vacancyId, applicantId: a.applicantId, statement: a.statement }]);
        await auditFlowStep(tx, a.flowId, `applied:${a.applicantId}`, 'vacancy.applied', {}, a.applicantId);
        return { recorded: true };
      });
    },

    async recordWithdrawal(w: { vacancyId: string; flowId: string; applicantId: string; reason?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.vacancyApplication.updateMany({ where: { vacancyId: w.vacancyId, applicantId: w.applicantId, status: 'applied' }, data: { status: 'withdrawn', reason: w.reason } });
        await auditFlowStep(tx, w.flowId, `withdrawn:${w.applicantId}`, 'vacancy.withdrawn', { reason: w.reason ?? null }, w.applicantId);
      });
    },

    /** Nobody applied in time: HR opened the window again (the `extension`-th time). */
    async recordExtension(e: { vacancyId: string; flowId: string; extension: number; applyUntil: string; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await moveVacancy(tx, e.vacancyId, ['open'], { applyUntil: new Date(e.applyUntil) });
        await auditFlowStep(tx, e.flowId, `extended:${e.extension}`, 'vacancy.extended', { applyUntil: e.applyUntil }, e.actorId);
      });
    },

    /** The window closed: what each applicant brings besides their statement is read now, so the
     *  panel scores everyone on the same, dated evidence (follow-up knowledge scores, the behaviour
     *  their observers rated at checkpoints; nothing where they have none). */
    async gatherEvidence({ vacancyId, flowId }: { vacancyId: string; flowId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const applications = await tx.vacancyApplication.findMany({ where: { vacancyId, status: 'applied' }, select: { applicantId: true } });
        const ids = applications.map((a) => a.applicantId);
        const [knowledge, checkpoints] = await Promise.all([
          tx.knowledgeScore.findMany({ where: { employeeId: { in: ids } }, orderBy: [{ recordedAt: 'asc' }, { attempt: 'asc' }] }),
          tx.followUpCheckpoint.findMany({ where: { employeeId: { in: ids }, observedAt: { not: null } }, orderBy: { observedAt: 'asc' } }),
        ]);
        const gatheredAt = new Date().toISOString();
        for (const applicantId of ids) {
          const evidence = {
            gatheredAt,
            knowledgeScores: knowledge.filter((k) => k.employeeId === applicantId).map((k) => ({ followUpId: k.followUpId, attempt: k.attempt, score: k.score, passed: k.passed, recordedAt: k.recordedAt.toISOString() })),
            behaviourRatings: checkpoints
              .filter((c) => c.employeeId === applicantId)
              .map((c) => ({ followUpId: c.followUpId, checkpointNo: c.checkpointNo, application: c.application, observed: c.observed, observedAt: c.observedAt!.toISOString() })),
          };
          await tx.vacancyApplication.updateMany({ where: { vacancyId, applicantId, status: 'applied' }, data: { evidence: json(evidence) } });
        }
        await moveVacancy(tx, vacancyId, ['open'], { status: 'evaluating' });
        await auditFlowStep(tx, flowId, 'evaluating', 'vacancy.evaluating', { applicants: ids.length });
      });
    },

    async recordEvaluations(e: { vacancyId: string; flowId: string; panelistId: string; evaluations: { applicantId: string; scores: Record<string, number>; comment: string }[] }): Promise<void> {
      await db.$transaction(async (tx) => {
        await insertOnce(
          tx,
          'vacancyEvaluation',
          e.evaluations.map((x) => ({ vacancyId: e.vacancyId, panelistId: e.panelistId, applicantId: x.applicantId, scores: json(x.scores), comment: x.comment })),
        );
        await auditFlowStep(tx, e.flowId, `evaluated:${e.panelistId}`, 'vacancy.evaluated', { applicants: e.evaluations.length }, e.panelistId);
      });
    },

    /** The panel has scored: each applicant's weighted score on record, and HR to decide. */
    async recordRanking({ vacancyId, flowId, ranking }: { vacancyId: string; flowId: string; ranking: Ranked[] }): Promise<void> {
      await db.$transaction(async (tx) => {
        for (const r of ranking) await tx.vacancyApplication.updateMany({ where: { vacancyId, applicantId: r.applicantId }, data: { score: r.score } });
        await moveVacancy(tx, vacancyId, ['evaluating'], { status: 'deciding' });
        await auditFlowStep(tx, flowId, 'ranked', 'vacancy.ranked', { ranking: ranking.map(({ applicantId, score, rank }) => ({ applicantId, score, rank })) });
      });
    },

    /** HR's decision in round `round`, for the panel to countersign. */
    async recordProposal(p: { vacancyId: string; flowId: string; round: number; actorId: string; selectedId: string | null; reason: string; reasons: Record<string, string> }): Promise<void> {
      await db.$transaction(async (tx) => {
        const proposal = { round: p.round, selectedId: p.selectedId, reason: p.reason, reasons: p.reasons };
        await moveVacancy(tx, p.vacancyId, ['deciding'], { status: 'countersigning', proposal: json(proposal) });
        await auditFlowStep(tx, p.flowId, `proposed:${p.round}`, 'vacancy.decision_proposed', proposal, p.actorId);
      });
    },

    /** A panelist rejected the decision: it goes back to HR with their comment. */
    async recordSentBack(s: { vacancyId: string; flowId: string; round: number; actorId: string; onBehalfOfId?: string; comment?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await moveVacancy(tx, s.vacancyId, ['countersigning'], { status: 'deciding' });
        await auditFlowStep(tx, s.flowId, `sent-back:${s.round}`, 'vacancy.decision_rejected', { round: s.round, comment: s.comment ?? null }, s.actorId, s.onBehalfOfId);
      });
    },

    /** The panel countersigned: the decision is final, each applicant is told their result, its
     *  reason and their own score (never anyone else's), and the flow is complete. */
    async publishResults(r: {
      vacancyId: string;
      flowId: string;
      selectedId: string | null;
      reason: string;
      results: { applicantId: string; status: 'selected' | 'not_selected'; reason: string; score: number | null }[];
    }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await moveVacancy(tx, r.vacancyId, ['countersigning'], { status: 'decided', selectedId: r.selectedId, decisionReason: r.reason, decidedAt: new Date() });
        if (count === 0) return;
        const vacancy = await tx.vacancy.findUniqueOrThrow({ where: { id: r.vacancyId }, select: { title: true } });
        for (const x of r.results) {
          await tx.vacancyApplication.updateMany({ where: { vacancyId: r.vacancyId, applicantId: x.applicantId, status: 'applied' }, data: { status: x.status, reason: x.reason } });
          notify({
            key: `${r.flowId}:result:${x.applicantId}`,
            recipientId: x.applicantId,
            template: 'promotion_result',
            params: { title: vacancy.title, selected: String(x.status === 'selected'), reason: x.reason, score: x.score === null ? '—' : x.score.toFixed(2) },
            flowId: r.flowId,
          });
        }
        await auditFlowStep(tx, r.flowId, 'decided', 'vacancy.decided', { selectedId: r.selectedId, applicants: r.results.length });
        await tx.flow.updateMany({ where: { id: r.flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
      });
    },
  };
}

/** A cancelled vacancy: its applicants are told why (see activities/flows.ts, the flow's end). */
export async function cancelVacancy(tx: Tx, vacancyId: string, notify: (...n: NotificationDraft[]) => void, reason: string): Promise<Record<string, unknown>> {
  const { count } = await tx.vacancy.updateMany({ where: { id: vacancyId, status: { notIn: ['decided', 'cancelled'] } }, data: { status: 'cancelled' } });
  if (count === 0) return {};
  const vacancy = await tx.vacancy.findUniqueOrThrow({ where: { id: vacancyId }, select: { title: true, flowId: true } });
  const applicants = await tx.vacancyApplication.findMany({ where: { vacancyId, status: 'applied' }, select: { applicantId: true } });
  for (const a of applicants) {
    notify({ key: `${vacancy.flowId}:cancelled:${a.applicantId}`, recipientId: a.applicantId, template: 'vacancy_cancelled', params: { title: vacancy.title, reason }, flowId: vacancy.flowId });
  }
  return { applicantsTold: applicants.length };
}
