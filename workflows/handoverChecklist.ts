/**
 * One round of a handover checklist (DOMAIN.md §5.2–5.4), a child of the handover flow. A
 * collector's checklist has a line per delinquent account, so it can run to thousands of lines:
 * lines are completed and verified in batches, chased per due time (not per line), and the
 * workflow continues as a new run before its history grows long.
 *
 * Memory follows the database, never the other way round: a line is `done` or `verified` here
 * only once the activity that records it has committed and named it among the lines it changed.
 * While that write is in flight the line is `completing` or `verifying`, and every other message
 * about it is refused.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { clockOf, nextChase, type ChaseProgress, type ChaseStep, type ChasingPolicy } from '../domain/chasing';
import type { WorkingTimeSettings } from '../domain/workingTime';
import {
  checklistLayoutOf,
  completeItemsArgs,
  verifyItemsArgs,
  type ChecklistLayout,
  type ChecklistLineStatus,
  type RecordedLayout,
} from '../domain/handover';
import { refuse } from './humanTask';
import { completeItems, flowState, verifyItems, type ItemsResult } from './messages';
import { nothingCarried, records } from './records';

export interface ChecklistInput {
  resignationId: string;
  leaverId: string;
  supervisorId: string;
  successorId: string;
  hrId: string;
  lastDayStartsAt: string;
  departsAt: string;
  lead: string;
  policy: ChasingPolicy;
  /** The flow's working time, for a policy on the working clock. */
  workingTime?: WorkingTimeSettings;
  historyLimit: number;
  /** Later rounds only pick up accounts still with the leaver. */
  accountsOnly: boolean;
}

/** Everything a run hands to the next one when it continues as new. */
export interface ChecklistState extends ChecklistLayout {
  createdAt: number;
  progress: ChaseProgress[];
  batches: number;
  critical: boolean;
  departed: boolean;
  accountsMoved: number;
}

export interface ChecklistOutcome {
  items: number;
  accountsMoved: number;
}

type LineState = ChecklistLineStatus | 'completing' | 'verifying';

const DESCRIBED: Record<LineState, string> = {
  open: 'open',
  reopened: 'reopened',
  completing: 'being completed',
  done: 'done',
  verifying: 'being verified',
  verified: 'verified',
};

export async function handoverChecklist(input: ChecklistInput, carried?: ChecklistState | (Omit<ChecklistState, keyof ChecklistLayout> & RecordedLayout)): Promise<ChecklistOutcome> {
  const flowId = workflowInfo().workflowId;
  const clock = clockOf(input.policy, input.workingTime);
  // Handlers are in place before the lines are written: a line seen in the database may be
  // completed at once. Until the layout is back, the flow asks the sender to try again.
  const state: ChecklistState = carried
    ? { ...carried, ...checklistLayoutOf(carried) }
    : { itemNos: [], statuses: [], dueGroups: [], dueTimes: [], createdAt: Date.now(), progress: [], batches: 0, critical: false, departed: false, accountsMoved: 0 };
  let lines: LineState[] = [...state.statuses];
  let positionOf = new Map(state.itemNos.map((no, i) => [no, i]));
  let written = carried !== undefined;

  const owner = () => (state.departed ? input.supervisorId : input.leaverId);
  const count = (...wanted: LineState[]) => lines.filter((s) => wanted.includes(s)).length;
  const allVerified = () => count('verified') === lines.length;
  const pendingIn = (group: number) => lines.some((s, i) => (s === 'open' || s === 'reopened' || s === 'completing') && state.dueGroups[i] === group);

  /** The positions of the named lines, or a refusal naming every line that is not `allowed`. */
  function linesIn(itemNos: number[], allowed: LineState[], doing: string): number[] {
    if (!written) refuse('wrong_state', 'the checklist is still being written; try again in a moment');
    const wrong: string[] = [];
    const positions = itemNos.map((no) => {
      const i = positionOf.get(no);
      if (i === undefined) wrong.push(`${no} is not on this checklist`);
      else if (!allowed.includes(lines[i]!)) wrong.push(`${no} is ${DESCRIBED[lines[i]!]}`);
      return i!;
    });
    if (wrong.length) refuse('wrong_state', `cannot ${doing}: item ${wrong.slice(0, 10).join(', ')}${wrong.length > 10 ? ` and ${wrong.length - 10} more` : ''}`);
    return positions;
  }

  /** Holds the lines in `during` while their write runs; then each line the write changed takes
   *  its new status and every other line returns to where it was. */
  async function recorded(positions: number[], during: LineState, after: ChecklistLineStatus, write: () => Promise<ItemsResult & { itemNos?: number[] }>): Promise<ItemsResult> {
    const before = positions.map((i) => lines[i]!);
    positions.forEach((i) => (lines[i] = during));
    let changed = new Set<number>();
    try {
      const result = await write();
      // Histories recorded before writes named their lines: then every line named was changed.
      changed = new Set(result.itemNos ?? positions.map((i) => state.itemNos[i]!));
      return { applied: result.applied, accountsMoved: result.accountsMoved };
    } finally {
      positions.forEach((i, k) => (lines[i] = changed.has(state.itemNos[i]!) ? after : before[k]!));
    }
  }

  setHandler(flowState, () => ({
    type: 'handover_checklist',
    status: !written ? 'writing' : allVerified() ? 'verified' : 'open',
    step: state.departed ? 'after departure' : 'before departure',
    openTasks: [],
    details: { items: lines.length, open: count('open', 'reopened', 'completing'), done: count('done', 'verifying'), verified: count('verified'), accountsMoved: state.accountsMoved, owner: owner() },
  }));

  setHandler(
    completeItems,
    (args) =>
      recorded(linesIn(args.itemNos, ['open', 'reopened'], 'complete'), 'completing', 'done', () =>
        records.recordItemsCompleted({ checklistFlowId: flowId, resignationId: input.resignationId, batch: ++state.batches, itemNos: args.itemNos, actorId: args.actorId, note: args.note }),
      ),
    {
      validator: (args) => {
        if (!completeItemsArgs.safeParse(args).success) refuse('invalid_decision', 'name the items to complete');
        if (args.actorId !== owner()) refuse('not_your_task', state.departed ? 'the leaver has gone: the supervisor completes the remaining lines' : 'only the leaver completes handover lines before departure');
        linesIn(args.itemNos, ['open', 'reopened'], 'complete');
      },
    },
  );

  setHandler(
    verifyItems,
    async (args) => {
      const result = await recorded(linesIn(args.itemNos, ['done'], 'verify'), 'verifying', args.verdict === 'accept' ? 'verified' : 'reopened', () =>
        records.recordItemsVerified({
          checklistFlowId: flowId,
          resignationId: input.resignationId,
          batch: ++state.batches,
          itemNos: args.itemNos,
          actorId: args.actorId,
          verdict: args.verdict,
          comment: args.comment,
          leaverId: input.leaverId,
          successorId: input.successorId,
        }),
      );
      state.accountsMoved += result.accountsMoved ?? 0;
      return result;
    },
    {
      validator: (args) => {
        const parsed = verifyItemsArgs.safeParse(args);
        if (!parsed.success) refuse('invalid_decision', parsed.error.issues.map((i) => i.message).join('; '));
        if (args.actorId !== input.supervisorId && args.actorId !== input.hrId) refuse('not_your_task', 'only the handover supervisor (or HR) verifies handover lines');
        linesIn(args.itemNos, ['done'], 'verify');
      },
    },
  );

  /** The next thing the checklist does by itself: a chasing step of a due time with lines still
   *  open, the last working day's critical escalation, or the departure. */
  function nextDeadline(): { at: number; run: () => Promise<void> } | undefined {
    const candidates: { at: number; run: () => Promise<void> }[] = [];
    state.dueTimes.forEach((dueAt, group) => {
      const step = pendingIn(group) ? nextChase(input.policy, { createdAt: state.createdAt, dueAt: Date.parse(dueAt), remindAtOpen: !patched('no-reminder-at-open') }, state.progress[group]!, clock) : undefined;
      if (step) candidates.push({ at: step.at, run: () => chase(group, step) });
    });
    if (!state.critical && !allVerified()) {
      candidates.push({
        at: Date.parse(input.lastDayStartsAt),
        run: async () => {
          state.critical = true;
          await records.escalateChecklistCritical({ checklistFlowId: flowId, hrId: input.hrId });
        },
      });
    }
    if (!state.departed) {
      candidates.push({
        at: Date.parse(input.departsAt),
        // Ownership changes when the leaver departs, not when the write lands: from now on the
        // flow refuses the leaver's completions.
        run: async () => {
          state.departed = true;
          await records.handItemsToSupervisor({ checklistFlowId: flowId, leaverId: input.leaverId, supervisorId: input.supervisorId });
        },
      });
    }
    return candidates.sort((a, b) => a.at - b.at)[0];
  }

  /** Chasing steps already due when an emergency checklist is written count as taken: the
   *  supervisor hears of the lines once, by the checklist itself, not by a burst of reminders. */
  function chasingDueBy(at: number): ChaseProgress {
    const group = state.progress.length;
    const progress: ChaseProgress = { remindersSent: 0, escalationLevel: 0 };
    const next = () => nextChase(input.policy, { createdAt: at, dueAt: Date.parse(state.dueTimes[group]!) }, progress, clock);
    for (let step = next(); step && step.at <= at; step = next()) {
      if (step.kind === 'remind') progress.remindersSent = step.reminder;
      else progress.escalationLevel = step.level;
    }
    return progress;
  }

  async function chase(group: number, step: ChaseStep) {
    await records.chaseChecklistGroup({
      checklistFlowId: flowId,
      resignationId: input.resignationId,
      dueAt: state.dueTimes[group]!,
      step,
      named: { supervisor: input.supervisorId, hr: input.hrId },
    });
    const progress = state.progress[group]!;
    if (step.kind === 'remind') progress.remindersSent = step.reminder;
    else progress.escalationLevel = step.level;
  }

  if (!written) {
    // The leaver has already gone (seed 四 人员流失应急): the supervisor owns every line from the start.
    const emergency = patched('emergency-handover') && Date.parse(input.departsAt) <= Date.now();
    if (emergency) state.departed = true;
    const layout = checklistLayoutOf(
      await records.generateChecklist({
        resignationId: input.resignationId,
        checklistFlowId: flowId,
        leaverId: input.leaverId,
        supervisorId: input.supervisorId,
        ownerId: owner(),
        lastDayStartsAt: input.lastDayStartsAt,
        lead: input.lead,
        accountsOnly: input.accountsOnly,
      }),
    );
    Object.assign(state, layout, { createdAt: Date.now() });
    lines = [...layout.statuses];
    positionOf = new Map(layout.itemNos.map((no, i) => [no, i]));
    written = true;
  }
  while (state.progress.length < state.dueTimes.length) state.progress.push(state.departed && !carried ? chasingDueBy(state.createdAt) : { remindersSent: 0, escalationLevel: 0 });

  const historyFull = () => workflowInfo().historyLength > input.historyLimit || workflowInfo().continueAsNewSuggested;

  while (!allVerified()) {
    if (historyFull()) {
      // Once every handler has finished and no carried write is left, every line is at rest.
      await condition(() => allHandlersFinished() && nothingCarried());
      await continueAsNew<typeof handoverChecklist>(input, { ...state, statuses: lines as ChecklistLineStatus[] });
    }
    const next = nextDeadline();
    const woken = next
      ? await condition(() => allVerified() || historyFull(), Math.max(1, next.at - Date.now()))
      : (await condition(() => allVerified() || historyFull()), true);
    if (!woken && next) await next.run();
  }
  await condition(allHandlersFinished);
  return { items: lines.length, accountsMoved: state.accountsMoved };
}
