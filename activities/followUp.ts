/**
 * The follow-up's writes (DOMAIN.md §4): the programme and its participants, scores, checkpoint
 * answers, coaching, results, the stored report. Each is idempotent by its key, so a retried
 * activity writes nothing twice.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import {
  evaluateProgramme,
  followUpFlowId,
  followUpSettingsOf,
  participantFlowId,
  type Lesson,
  type ProgrammeReport,
  type TargetResult,
} from '../domain/followUp';
import type { FlowSettings } from '../domain/settings';
import type { PlanContent } from '../domain/trainingPlan';
import { Prisma, type Db } from '../prisma/db';
import { attendeesJoined, scoreRecorded } from '../workflows/messages';
import type { TrainingFollowUpInput } from '../workflows/trainingFollowUp';
import { auditFlowStep, type Tx } from './audit';
import { changeAndNotify } from './notifications';
import { signalIfRunning } from './signals';
import { insertOnce } from './insertOnce';

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** The content of the plan as approved (its current version). */
async function approvedContent(tx: Tx | Db, planId: string): Promise<PlanContent> {
  const plan = await tx.trainingPlan.findUniqueOrThrow({ where: { id: planId } });
  const version = await tx.trainingPlanVersion.findFirstOrThrow({ where: { planId, version: plan.currentVersion } });
  return version.content as unknown as PlanContent;
}

/** What managers rate: the competencies of the needs cycle the plan answers, else the plan's modules. */
async function competenciesOf(tx: Tx | Db, needsAssessmentId: string | null, content: PlanContent): Promise<string[]> {
  if (needsAssessmentId) {
    const assessment = await tx.needsAssessment.findUnique({ where: { id: needsAssessmentId }, include: { cycle: true } });
    const keys = ((assessment?.cycle.competencies ?? []) as { key: string }[]).map((c) => c.key);
    if (keys.length) return keys;
  }
  return content.modules.map((m) => m.title);
}

export function followUpActivities(db: Db, log: Logger, temporal: Client) {
  return {
    /**
     * A session's feedback closed: its attendees join the plan's follow-up, which the first
     * session's hand-over starts. A follow-up already closed takes nobody in; that is recorded.
     */
    async handAttendeesToFollowUp(h: { flowId: string; sessionId: string; settings: FlowSettings }): Promise<{ followUpFlowId?: string; attendees: number }> {
      const session = await db.trainingSession.findUniqueOrThrow({ where: { id: h.sessionId }, include: { participants: true, plan: { include: { department: true } } } });
      const attendees = session.participants.filter((p) => p.attendance === 'present' || p.attendance === 'late').map((p) => p.employeeId);
      const { plan } = session;
      const joined = { sessionId: session.id, sessionNo: session.sessionNo, trainerId: session.trainerId ?? undefined, attendees, endedAt: session.endsAt.toISOString() };
      if (attendees.length === 0) {
        // Nobody to follow up; a programme already running still hears that this session is over.
        await signalIfRunning(temporal, followUpFlowId(plan.id), attendeesJoined, joined);
        return { attendees: 0 };
      }
      const content = await approvedContent(db, plan.id);
      const settings = followUpSettingsOf(h.settings);
      const input: TrainingFollowUpInput = {
        followUpId: plan.id,
        planId: plan.id,
        title: plan.title,
        departmentId: plan.departmentId,
        hrId: plan.drafterId,
        headId: plan.department.headId ?? plan.drafterId,
        passMark: content.passMark ?? settings.passMark,
        competencies: await competenciesOf(db, plan.needsAssessmentId, content),
        targets: content.objectives.targets.map((t) => ({ metric: t.metric, target: t.target, unit: t.unit, better: t.better })),
        settings: h.settings,
      };
      const workflowId = followUpFlowId(plan.id);
      try {
        await temporal.workflow.signalWithStart('trainingFollowUp', {
          workflowId,
          taskQueue: Context.current().info.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          signal: attendeesJoined,
          signalArgs: [joined],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        await db.$transaction((tx) => auditFlowStep(tx, h.flowId, 'follow-up-closed', 'session.follow_up_closed', { planId: plan.id, attendees }));
        log.warn({ planId: plan.id, sessionId: session.id }, 'the follow-up of this plan has closed; these attendees are not in it');
        return { attendees: 0 };
      }
      return { followUpFlowId: workflowId, attendees: attendees.length };
    },

    /** The plan's sessions not cancelled, not over and not yet handed over: the programme waits for them. */
    async sessionsStillAhead(a: { planId: string; handedOver: string[] }): Promise<number> {
      return db.trainingSession.count({ where: { planId: a.planId, status: { notIn: ['completed', 'cancelled'] }, id: { notIn: a.handedOver } } });
    },

    async openFollowUp(f: Omit<TrainingFollowUpInput, 'settings'> & { flowId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, followUpId, planId, departmentId, hrId, headId, passMark, competencies, targets } = f;
        await insertOnce(tx, 'followUp', [{ id: followUpId, planId, flowId, departmentId, hrId, headId, passMark, competencies, targets: json(targets) }]);
        await auditFlowStep(tx, flowId, 'opened', 'followup.opened', { planId, passMark, competencies });
      });
    },

    /**
     * A session's attendees join: each new participant gets a row (with the baseline the needs
     * assessment observed, where there is one); one already in adds the session. Answers the
     * participants this session brought in, the same on a retry.
     */
    async enrolParticipants(e: { flowId: string; followUpId: string; sessionId: string; attendees: string[]; endedAt: string }) {
      return db.$transaction(async (tx) => {
        const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: e.followUpId }, include: { plan: true } });
        const people = await tx.employee.findMany({ where: { id: { in: e.attendees } }, select: { id: true, name: true, managerId: true } });
        const assessment = followUp.plan.needsAssessmentId ? await tx.needsAssessment.findUnique({ where: { id: followUp.plan.needsAssessmentId } }) : null;
        const observations = assessment ? await tx.needsObservation.findMany({ where: { cycleId: assessment.cycleId, participantId: { in: e.attendees } } }) : [];
        const baselineOf = (id: string) => observations.find((o) => o.participantId === id)?.observedLevels as Record<string, number> | undefined;
        await insertOnce(tx, 'followUpParticipant', people.map((p) => ({
          followUpId: e.followUpId,
          employeeId: p.id,
          flowId: participantFlowId(followUp.planId, p.id),
          managerId: p.managerId,
          sessionIds: [e.sessionId],
          joinedAt: new Date(e.endedAt),
          baseline: baselineOf(p.id) ? json(baselineOf(p.id)) : Prisma.DbNull,
          baselineSource: baselineOf(p.id) ? 'needs_assessment' : null,
        })));
        await tx.$executeRaw`UPDATE follow_up_participant SET session_ids = array_append(session_ids, ${e.sessionId})
          WHERE follow_up_id = ${e.followUpId} AND employee_id = ANY(${e.attendees}) AND NOT (${e.sessionId} = ANY(session_ids))`;
        const rows = await tx.followUpParticipant.findMany({ where: { followUpId: e.followUpId, employeeId: { in: e.attendees } } });
        const joined = rows.filter((r) => r.sessionIds[0] === e.sessionId);
        await auditFlowStep(tx, e.flowId, `enrolled:${e.sessionId}`, 'followup.enrolled', { sessionId: e.sessionId, joined: joined.map((r) => r.employeeId), attendees: e.attendees.length });
        return joined.map((r) => ({
          employeeId: r.employeeId,
          name: people.find((p) => p.id === r.employeeId)?.name ?? r.employeeId,
          managerId: r.managerId ?? undefined,
          joinedAt: r.joinedAt.toISOString(),
          baseline: (r.baseline ?? undefined) as Record<string, number> | undefined,
        }));
      });
    },

    /**
     * Records a table of scores, then tells each participant's flow its score (a repeat is
     * ignored there). Sent from here rather than from the programme's flow, whose history would
     * otherwise grow by two events per score.
     */
    async recordScores(s: { flowId: string; followUpId: string; planId: string; entry: number; actorId: string; rows: { employeeId: string; score: number; attempt: number; passed: boolean }[] }): Promise<void> {
      await db.$transaction(async (tx) => {
        await insertOnce(tx, 'knowledgeScore', s.rows.map((r) => ({ followUpId: s.followUpId, recordedById: s.actorId, ...r })));
        await auditFlowStep(tx, s.flowId, `scores:${s.entry}`, 'followup.scores_recorded', { rows: s.rows.length, failed: s.rows.filter((r) => !r.passed).map((r) => r.employeeId) }, s.actorId);
      });
      // A participant whose follow-up has ended no longer needs it; the score is on record.
      await Promise.all(s.rows.map((r) => signalIfRunning(temporal, participantFlowId(s.planId, r.employeeId), scoreRecorded, { attempt: r.attempt, score: r.score, passed: r.passed })));
    },

    async recordBaseline(b: { flowId: string; followUpId: string; employeeId: string; levels: Record<string, number>; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.followUpParticipant.update({ where: { followUpId_employeeId: { followUpId: b.followUpId, employeeId: b.employeeId } }, data: { baseline: json(b.levels), baselineSource: 'manager' } });
        await auditFlowStep(tx, b.flowId, 'baseline', 'followup.baseline', { levels: b.levels }, b.actorId);
      });
    },

    /** A participant's application survey or their manager's rating at a checkpoint. */
    async recordCheckpointAnswer(a: {
      flowId: string;
      followUpId: string;
      employeeId: string;
      checkpointNo: number;
      actorId: string;
      application?: { level: number; examples: string };
      behaviour?: { levels: Record<string, number>; comment?: string };
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        const now = new Date();
        const data = {
          ...(a.application ? { application: a.application.level, examples: a.application.examples, appliedAt: now } : {}),
          ...(a.behaviour ? { observed: json(a.behaviour.levels), observerId: a.actorId, observerComment: a.behaviour.comment ?? null, observedAt: now } : {}),
        };
        const key = { followUpId: a.followUpId, employeeId: a.employeeId, checkpointNo: a.checkpointNo };
        await tx.followUpCheckpoint.upsert({ where: { followUpId_employeeId_checkpointNo: key }, create: { ...key, ...data }, update: data });
        const what = a.application ? 'application' : 'behaviour';
        await auditFlowStep(tx, a.flowId, `checkpoint-${a.checkpointNo}:${what}`, `followup.${what}`, { checkpointNo: a.checkpointNo, ...(a.application ? { level: a.application.level } : { levels: a.behaviour!.levels }) }, a.actorId);
      });
    },

    async startCoaching(c: { flowId: string; followUpId: string; employeeId: string; reason: string; coachId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.followUpParticipant.update({ where: { followUpId_employeeId: { followUpId: c.followUpId, employeeId: c.employeeId } }, data: { coachingReason: c.reason, status: 'coaching' } });
        await auditFlowStep(tx, c.flowId, 'coaching', 'followup.coaching_started', { reason: c.reason, coachId: c.coachId });
      });
    },

    async setMentor(m: { flowId: string; followUpId: string; employeeId: string; mentorId: string; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.followUpParticipant.update({ where: { followUpId_employeeId: { followUpId: m.followUpId, employeeId: m.employeeId } }, data: { mentorId: m.mentorId } });
        await auditFlowStep(tx, m.flowId, `mentor:${m.mentorId}`, 'followup.mentor_named', { mentorId: m.mentorId }, m.actorId);
      });
    },

    async recordCoachingSession(c: { flowId: string; id: string; followUpId: string; employeeId: string; coachId: string; heldOn: string; minutes: number; notes: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = c;
        await insertOnce(tx, 'coachingSession', [row]);
        await auditFlowStep(tx, flowId, `coaching-session:${c.id}`, 'followup.coaching_session', { heldOn: c.heldOn, minutes: c.minutes }, c.coachId, c.employeeId);
      });
    },

    /** The re-check after coaching; still below the bar, HR is told and it stays on record. */
    async recordRecheck(r: { flowId: string; followUpId: string; employeeId: string; outcome: 'improved' | 'still_below'; actorId: string; hrId: string; title: string; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        await tx.followUpParticipant.update({ where: { followUpId_employeeId: { followUpId: r.followUpId, employeeId: r.employeeId } }, data: { recheck: r.outcome } });
        await auditFlowStep(tx, r.flowId, 'recheck', `followup.${r.outcome}`, { reason: r.reason }, r.actorId);
        if (r.outcome === 'still_below') {
          const person = await tx.employee.findUniqueOrThrow({ where: { id: r.employeeId } });
          notify({ key: `${r.flowId}:still-below`, recipientId: r.hrId, template: 'followup_still_below', params: { name: person.name, title: r.title, reason: r.reason }, critical: true, flowId: r.flowId });
        }
      });
    },

    async finishParticipant(f: { flowId: string; followUpId: string; employeeId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.followUpParticipant.update({ where: { followUpId_employeeId: { followUpId: f.followUpId, employeeId: f.employeeId } }, data: { status: 'completed', finishedAt: new Date() } });
        await tx.flow.update({ where: { id: f.flowId }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        await auditFlowStep(tx, f.flowId, 'finished', 'followup.participant_finished', {});
      });
    },

    async recordResults(r: { flowId: string; followUpId: string; actuals: { metric: string; actual: number }[]; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: r.followUpId } });
        const targets = (followUp.targets as unknown as TargetResult[]).map((t) => ({ ...t, actual: r.actuals.find((a) => a.metric === t.metric)?.actual ?? t.actual }));
        await tx.followUp.update({ where: { id: r.followUpId }, data: { targets: json(targets) } });
        await auditFlowStep(tx, r.flowId, 'results', 'followup.results', { actuals: r.actuals }, r.actorId);
      });
    },

    /** Computes the programme's report from everything on record, stores it as computed with the
     *  modules to flag for the department's next plan, and answers who is proposed for recognition. */
    async evaluateFollowUp(e: { flowId: string; followUpId: string; moduleFlagBelow: number; recognitionBar: number }): Promise<Pick<ProgrammeReport, 'topPerformers'>> {
      return db.$transaction(async (tx) => {
        const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: e.followUpId }, include: { plan: true, participants: true, scores: true, checkpoints: true, coaching: true } });
        const content = await approvedContent(tx, followUp.planId);
        const sessions = await tx.trainingSession.findMany({ where: { planId: followUp.planId, status: { not: 'cancelled' } }, include: { participants: true, feedback: true } });
        const ids = followUp.participants.map((p) => p.employeeId);
        const names = new Map((await tx.employee.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
        const report = evaluateProgramme({
          passMark: followUp.passMark,
          budgetFen: content.budget.totalFen,
          targets: followUp.targets as unknown as TargetResult[],
          modules: content.modules,
          sessions: sessions.map((s) => ({
            sessionNo: s.sessionNo,
            modules: content.sessions[s.sessionNo - 1]?.modules ?? content.modules.map((_, i) => i + 1),
            feedback: s.feedback,
          })),
          participants: followUp.participants.map((p) => ({
            employeeId: p.employeeId,
            name: names.get(p.employeeId) ?? p.employeeId,
            sessionsInvited: sessions.filter((s) => s.participants.some((sp) => sp.employeeId === p.employeeId)).length,
            sessionsAttended: sessions.filter((s) => s.participants.some((sp) => sp.employeeId === p.employeeId && (sp.attendance === 'present' || sp.attendance === 'late'))).length,
            feedback: sessions.flatMap((s) => s.feedback.filter((f) => f.employeeId === p.employeeId)),
            scores: followUp.scores.filter((s) => s.employeeId === p.employeeId),
            checkpoints: followUp.checkpoints
              .filter((c) => c.employeeId === p.employeeId)
              .sort((a, b) => a.checkpointNo - b.checkpointNo)
              .map((c) => ({ no: c.checkpointNo, application: c.application ?? undefined, observed: (c.observed ?? undefined) as Record<string, number> | undefined })),
            baseline: (p.baseline ?? undefined) as Record<string, number> | undefined,
            coached: p.coachingReason !== null,
            recheck: p.recheck === 'improved' || p.recheck === 'still_below' ? p.recheck : undefined,
          })),
          moduleFlagBelow: e.moduleFlagBelow,
          recognitionBar: e.recognitionBar,
        });
        const lessons: Lesson[] = report.modules.filter((m) => m.flagged).map((m) => ({ planId: followUp.planId, planTitle: followUp.plan.title, module: m.title, rating: m.rating, responses: m.responses }));
        await tx.followUp.update({ where: { id: e.followUpId }, data: { report: json(report), reportedAt: new Date(), lessons: json(lessons), status: 'reported' } });
        await auditFlowStep(tx, e.flowId, 'report', 'followup.reported', { participants: report.participants, overall: report.overall, flaggedModules: lessons.map((l) => l.module), topPerformers: report.topPerformers.length });
        return { topPerformers: report.topPerformers };
      });
    },

    /** The programme ends: HR's decision on the proposed recognitions (if any) is recorded and the recognised told. */
    async closeFollowUp(c: { flowId: string; followUpId: string; title: string; recognition?: { decision: 'approve' | 'decline'; actorId: string; people: { employeeId: string; overall: number }[] } }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        await tx.followUp.update({ where: { id: c.followUpId }, data: { status: 'completed', ...(c.recognition ? { recognition: json(c.recognition) } : {}) } });
        await tx.flow.update({ where: { id: c.flowId }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        if (c.recognition) {
          await auditFlowStep(tx, c.flowId, 'recognition', `followup.recognition_${c.recognition.decision === 'approve' ? 'approved' : 'declined'}`, { people: c.recognition.people.map((p) => p.employeeId) }, c.recognition.actorId);
          if (c.recognition.decision === 'approve') {
            for (const p of c.recognition.people) {
              notify({ key: `${c.flowId}:recognised:${p.employeeId}`, recipientId: p.employeeId, template: 'followup_recognised', params: { title: c.title, overall: String(p.overall) }, flowId: c.flowId });
            }
          }
        }
      });
    },
  };
}
