/**
 * Staffing adjustment (人员调整, DOMAIN.md §7): HR asks for a collector to cover another's accounts
 * for a period. The covered person's head approves or refuses; approved, the accounts move to the
 * covering collector at the start, and back to their owner at the end date (one durable timer).
 * HR may make the cover permanent (the accounts stay) or end it early (they move back now). An
 * owner who left meanwhile gets nothing back: HR gets a task to reassign what the cover holds.
 * When the new duties need training, the covering collector joins the session HR named when the
 * cover starts; HR gets a task to enrol them when none was named or it no longer takes anyone.
 */
import { CancellationScope, condition, isCancellation, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { clockOf } from '../domain/chasing';
import type { FlowSettings, TaskType } from '../domain/settings';
import {
  staffingChangeArgs,
  staffingReassignArgs,
  staffingSettingsOf,
  type StaffingAdjustmentInput,
  type StaffingChangeArgs,
  type StaffingPeople,
  type StaffingStatus,
} from '../domain/staffingAdjustment';
import type { TaskResult } from '../domain/tasks';
import { FlowEnd } from './flowEnd';
import { askUntil, TaskInbox } from './humanTask';
import { endStaffingEarly, flowState, makeStaffingPermanent, reassignCoveredAccounts, staffingAdjustmentStarted } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

const REASSIGN_STEP = 'reassign';

export type StaffingAdjustmentFlowInput = StaffingAdjustmentInput & { settings: FlowSettings };

/** How the cover ended; `refused` also when the head did not decide before the end date. */
export type StaffingEnd = 'refused' | 'ended' | 'permanent' | 'left_with_cover';

export async function staffingAdjustment({ settings, ...adjustment }: StaffingAdjustmentFlowInput): Promise<StaffingEnd | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { adjustmentId, accountIds, training, trainingSessionId } = adjustment;
  const inbox = new TaskInbox(settings);
  const within = staffingSettingsOf(settings);
  let status: StaffingStatus | 'opening' = 'opening';
  let refusal: string | undefined;
  let people: StaffingPeople | undefined;
  let change: { how: 'ended' | 'permanent'; args: StaffingChangeArgs } | undefined;
  let reassignedBy: string | undefined;
  const over = () => ['refused', 'ended', 'permanent', 'left_with_cover'].includes(status);

  setHandler(flowState, () => ({ type: 'staffing_adjustment', status, step: status, openTasks: inbox.openTasks, details: { adjustmentId, headId: people?.headId } }));

  setHandler(staffingAdjustmentStarted, async () => {
    await condition(() => status !== 'opening' || refusal !== undefined);
    if (refusal) refuse('wrong_state', refusal);
    return { adjustmentId, flowId, status: status as StaffingStatus };
  });

  // HR's changes answer once the accounts are where the change puts them.
  for (const [update, how] of [[makeStaffingPermanent, 'permanent'], [endStaffingEarly, 'ended']] as const) {
    setHandler(
      update,
      async (args: StaffingChangeArgs) => {
        change = { how, args };
        await condition(over);
        return { status: status as StaffingStatus };
      },
      {
        validator: (args) => {
          validArgs(staffingChangeArgs, args);
          if (change || status !== 'active') refuse('wrong_state', `the adjustment is ${change ? 'already changing' : status.replace(/_/g, ' ')}: only an active cover is changed`);
        },
      },
    );
  }

  setHandler(
    reassignCoveredAccounts,
    (args) =>
      inbox.answering(async () => {
        const { moved } = await records.reassignCoveredAccounts({ ...args, flowId, adjustmentId, onBehalfOfId: inbox.actsFor(REASSIGN_STEP, args.actorId) });
        reassignedBy = args.actorId;
        return { holderId: args.toId, moved };
      }, REASSIGN_STEP),
    {
      validator: (args) => {
        validArgs(staffingReassignArgs, args);
        if (status !== 'left_with_cover' || reassignedBy) refuse('wrong_state', 'only the accounts of an owner who left during the cover are reassigned, once');
        inbox.checkActor(REASSIGN_STEP, args.actorId, 'reassigning the accounts');
      },
    },
  );

  const dueAt = (type: TaskType, within: string) => clockOf(settings.chasing[type], settings.workingTime).after(Date.now(), within);
  const until = (at: string) => Math.max(1, Date.parse(at) - Date.now());

  return new FlowEnd().run(async (): Promise<StaffingEnd> => {
    const recorded = await records.recordStaffingAdjustment({ ...adjustment, flowId });
    if (recorded.refusal) {
      refusal = recorded.refusal;
      return 'refused';
    }
    people = recorded.people!;
    const { headId, hrId, coveringName, coveredName } = people;
    const payload = { adjustmentId, coveringId: adjustment.coveringId, coveredId: adjustment.coveredId, accounts: accountIds.length };
    status = 'awaiting_approval';

    // A decision that comes after the end date is no use: the task closes then.
    let verdict: TaskResult | undefined;
    await askUntil(Date.parse(adjustment.endsAt), async () => {
      verdict = await inbox.ask({
        stepKey: 'approval',
        type: 'staffing_approval',
        title: `人员调整审批 Approve: ${coveringName} covers ${coveredName}'s ${accountIds.length} accounts`,
        assigneeId: headId,
        outcomes: ['approve', 'reject'],
        policy: settings.chasing.staffing_approval,
        dueAt: dueAt('staffing_approval', within.decideWithin),
        payload,
      });
    });
    if (verdict?.outcome !== 'approve') {
      const reason = verdict ? (verdict.comment ?? 'refused by the head') : 'not decided before the end date';
      await records.refuseStaffingAdjustment({ flowId, adjustmentId, actorId: verdict?.decidedById, reason });
      status = 'refused';
      return 'refused';
    }

    if (Date.parse(adjustment.startsAt) > Date.now()) await sleep(until(adjustment.startsAt));
    await records.startCover({ flowId, adjustmentId, actorId: verdict.decidedById });
    status = 'active';

    const joined = trainingSessionId ? await records.enrolForCover({ flowId, sessionId: trainingSessionId, employeeId: adjustment.coveringId, actorId: adjustment.createdById }) : undefined;
    const toEnrol = joined?.enrolled ? undefined : (training ?? joined?.session);
    const enrolment = new CancellationScope();
    const enrolling = toEnrol
      ? enrolment
          .run(() =>
            inbox.ask({
              stepKey: 'training',
              type: 'staffing_training',
              title: `安排培训 Enrol ${coveringName} in the training the new duties need: ${toEnrol}`,
              assigneeId: hrId,
              outcomes: ['done'],
              policy: settings.chasing.staffing_training,
              dueAt: dueAt('staffing_training', within.enrolWithin),
              payload: { ...payload, training: toEnrol, ...(joined ? { sessionId: trainingSessionId, notJoined: joined.refusal } : {}) },
            }),
          )
          .catch((err: unknown) => {
            if (!isCancellation(err)) throw err;
          })
      : Promise.resolve();

    // One durable timer until the end date, cut short by HR's change.
    await condition(() => change !== undefined, until(adjustment.endsAt));
    const ended = await records.endCover({ flowId, adjustmentId, how: change?.how ?? 'ended', actorId: change?.args.actorId, reason: change?.args.reason });
    status = ended.status;
    // Training for duties that are over is no longer needed; a permanent cover still needs it.
    if (status !== 'permanent') enrolment.cancel();
    if (status === 'left_with_cover') {
      await inbox.askForMessage(
        {
          stepKey: REASSIGN_STEP,
          type: 'staffing_reassign',
          title: `重新分配客户 ${coveredName} has left: name who keeps the accounts ${coveringName} covered`,
          assigneeId: hrId,
          outcomes: ['done'],
          policy: settings.chasing.staffing_reassign,
          dueAt: dueAt('staffing_reassign', within.reassignWithin),
          payload,
          completedBy: 'HR names who keeps the accounts (POST /staffing-adjustments/:id/reassign)',
        },
        () => reassignedBy,
      );
    }
    await enrolling;
    await records.finishStaffingAdjustment({ flowId });
    return status as StaffingEnd;
  });
}
