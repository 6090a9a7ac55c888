import { DEFAULT_FOLLOW_UP, followUpFlowId, type FollowUpSettings } from '../../domain/followUp';
import type { FlowSettings } from '../../domain/settings';
import { attendeesJoined } from '../../workflows/messages';
import { trainingFollowUp, type TrainingFollowUpInput } from '../../workflows/trainingFollowUp';
import type { Db } from '../../prisma/db';
import { eventually, people, planContent } from './fixtures';
import { FAST_SETTINGS, type TestStack } from './stack';

/**
 * A programme started as a session's hand-over starts it, for a plan made on the spot (optionally
 * answering a needs assessment): `join` hands over one cohort of attendees (twice, as a retried
 * activity would).
 */
export async function startProgramme(stack: TestStack, followUp: Partial<FollowUpSettings>, o: { needsAssessmentId?: string; competencies?: string[]; chasing?: Partial<FlowSettings['chasing']> } = {}) {
  const content = { ...planContent(900_000), participantIds: [] };
  const planRow = await stack.db.trainingPlan.create({
    data: {
      title: '跟踪 Follow-up',
      departmentId: 'dept-collection',
      drafterId: people.hrOfficer.id,
      draft: content,
      status: 'approved',
      currentVersion: 1,
      needsAssessmentId: o.needsAssessmentId,
      versions: { create: { version: 1, content, budgetTotalFen: 900_000, submittedById: people.hrOfficer.id } },
    },
  });
  const settings: FlowSettings = { ...FAST_SETTINGS, chasing: { ...FAST_SETTINGS.chasing, ...o.chasing }, followUp: { ...DEFAULT_FOLLOW_UP, ...followUp } };
  const input: TrainingFollowUpInput = {
    followUpId: planRow.id,
    planId: planRow.id,
    title: planRow.title,
    departmentId: 'dept-collection',
    hrId: people.hrOfficer.id,
    headId: people.collectionHead.id,
    passMark: 60,
    competencies: o.competencies ?? ['negotiation', 'regulations'],
    targets: [{ metric: 'collection_rate_90d', target: 65 }],
    settings,
  };
  const flowId = followUpFlowId(planRow.id);
  let joins = 0;
  const join = async (attendees: string[]) => {
    const joined = { sessionId: `00000000-0000-4000-8000-00000000000${joins}`, sessionNo: ++joins, trainerId: people.trainer.id, attendees, endedAt: new Date().toISOString() };
    await stack.client.workflow.signalWithStart(trainingFollowUp, { workflowId: flowId, taskQueue: stack.taskQueue, args: [input], signal: attendeesJoined, signalArgs: [joined] });
    await stack.client.workflow.getHandle(flowId).signal(attendeesJoined, joined);
  };
  return { planId: planRow.id, flowId, join };
}

/** The open task of this type in a flow (assigned to this employee), once the flow has opened it. */
export const openTaskOf = (db: Db, flowId: string, type: string, assigneeId?: string) =>
  eventually(async () => (await db.task.findFirst({ where: { flowId, type, status: 'open', ...(assigneeId ? { assigneeId } : {}) } })) ?? undefined, `an open ${type} task in ${flowId}`, 90_000);
