import type { Logger } from 'pino';
import type { Competency, NeedsAnalysis } from '../domain/needsAnalysis';
import type { Db, Prisma } from '../prisma/db';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';
import { insertOnce } from './insertOnce';
import { durationMs } from '../domain/durations';
import type { NeedsCycleOpening } from '../domain/needsCycle';

/** A needs cycle's writes; responses and observations are one row per participant, so a repeat
 *  or a retry replaces nothing twice. */
export function needsActivities(db: Db, log: Logger) {
  return {
    /** Records the cycle; names the department head who confirms and each participant's observer. */
    async openNeedsCycle(c: { flowId: string } & NeedsCycleOpening): Promise<{ headId: string; observers: Record<string, string> }> {
      return db.$transaction(async (tx) => {
        const dept = await tx.department.findUniqueOrThrow({ where: { id: c.departmentId } });
        const headId = dept.headId ?? c.hrId;
        const participants = await tx.employee.findMany({ where: { id: { in: c.participantIds } }, select: { id: true, managerId: true } });
        const observers = Object.fromEntries(participants.map((p) => [p.id, p.managerId ?? c.hrId]));
        await insertOnce(tx, 'needsCycle', [{ id: c.cycleId, flowId: c.flowId, name: c.name, departmentId: c.departmentId, participantIds: c.participantIds, competencies: c.competencies as unknown as Prisma.InputJsonArray, surveyDeadline: new Date(c.surveyDeadline), headId, hrId: c.hrId, startedById: c.startedById, scheduleId: c.scheduleId }]);
        await appendAudit(tx, { key: `${c.flowId}:opened`, action: 'needs.cycle_opened', flowId: c.flowId, actorId: c.startedById, payload: { participants: c.participantIds.length, competencies: c.competencies.map((k) => k.key), deadline: c.surveyDeadline } });
        return { headId, observers };
      });
    },

    /** What a needs-cycle schedule's run starts now: its department's active people (its head
     *  confirms instead), what it asks, and a survey deadline `surveyWithin` from now; nothing when
     *  the schedule is gone or nobody would be asked. */
    async needsCycleOfSchedule({ scheduleId, cycleId }: { scheduleId: string; cycleId: string }): Promise<NeedsCycleOpening | null> {
      const schedule = await db.needsCycleSchedule.findUnique({ where: { id: scheduleId } });
      if (!schedule || schedule.status === 'deleted') return null;
      const { headId } = await db.department.findUniqueOrThrow({ where: { id: schedule.departmentId }, select: { headId: true } });
      const people = await db.employee.findMany({
        where: { departmentId: schedule.departmentId, status: 'active', ...(headId ? { id: { not: headId } } : {}) },
        orderBy: { employeeNo: 'asc' },
        select: { id: true },
      });
      if (!people.length) {
        log.warn({ scheduleId }, 'needs-cycle schedule: nobody to ask in its department');
        return null;
      }
      const now = new Date();
      return {
        cycleId,
        name: `${schedule.name} ${now.getUTCFullYear()}`,
        departmentId: schedule.departmentId,
        participantIds: people.map((p) => p.id),
        competencies: schedule.competencies as unknown as Competency[],
        surveyDeadline: new Date(now.getTime() + durationMs(schedule.surveyWithin)).toISOString(),
        hrId: schedule.hrId,
        startedById: schedule.createdById,
        scheduleId,
      };
    },

    async recordSurveyResponse(r: { flowId: string; cycleId: string; participantId: string; selfRatings: Record<string, number>; needs?: string; preferredFormats: string[] }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = r;
        await insertOnce(tx, 'needsResponse', [row]);
        await appendAudit(tx, { key: `${flowId}:survey:${r.participantId}`, action: 'needs.survey_answered', flowId, actorId: r.participantId, payload: { competencies: Object.keys(r.selfRatings) } });
      });
    },

    async recordObservation(o: { flowId: string; cycleId: string; participantId: string; observerId: string; observedLevels: Record<string, number>; notes?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = o;
        await insertOnce(tx, 'needsObservation', [row]);
        await appendAudit(tx, { key: `${flowId}:observation:${o.participantId}`, action: 'needs.observed', flowId, actorId: o.observerId, onBehalfOfId: undefined, payload: { participantId: o.participantId } });
      });
    },

    /** Stores an analysis exactly as the flow computed it, as the cycle's next version. */
    async storeAssessment(a: { flowId: string; cycleId: string; version: number; analysis: NeedsAnalysis; adjustment?: { note: string; actorId: string } }): Promise<void> {
      await db.$transaction(async (tx) => {
        await insertOnce(tx, 'needsAssessment', [{ cycleId: a.cycleId, version: a.version, analysis: a.analysis as unknown as Prisma.InputJsonObject, adjustment: a.adjustment as Prisma.InputJsonObject | undefined }]);
        await appendAudit(tx, { key: `${a.flowId}:analysis:v${a.version}`, action: 'needs.analysed', flowId: a.flowId, actorId: a.adjustment?.actorId, payload: { version: a.version, ranked: a.analysis.rankedNeeds.map((n) => n.key), responseRate: a.analysis.responseRate } });
      });
    },

    /** Moves the cycle to a new status; `confirmed` closes its flow and tells HR. */
    async setNeedsStatus(s: { flowId: string; cycleId: string; status: string; surveyDeadline?: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx) => {
        const confirmed = s.status === 'confirmed';
        await tx.needsCycle.update({
          where: { id: s.cycleId },
          data: { status: s.status, ...(s.surveyDeadline ? { surveyDeadline: new Date(s.surveyDeadline), extended: true } : {}), ...(confirmed ? { confirmedAt: new Date() } : {}) },
        });
        await tx.flow.update({ where: { id: s.flowId }, data: confirmed ? { status: 'completed', currentStep: null, closedAt: new Date() } : { currentStep: s.status } });
        await appendAudit(tx, { key: `${s.flowId}:status:${s.status}:${s.surveyDeadline ?? ''}`, action: `needs.${s.status}`, flowId: s.flowId, payload: { surveyDeadline: s.surveyDeadline } });
      });
    },
  };
}
