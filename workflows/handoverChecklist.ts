/**
 * One round of a handover checklist (DOMAIN.md §5.2–5.4), a child of the handover flow. A
 * collector's checklist has a line per delinquent account, so it can run to thousands of lines:
 * lines are completed and verified in batches, chased per due time (not per line), and the
 * workflow continues as a new run before its history grows long. Its state is a few strings.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nextChase, type ChaseProgress, type ChaseStep, type ChasingPolicy } from '../domain/chasing';
import { completeItemsArgs, verifyItemsArgs, type ChecklistLayout } from '../domain/handover';
import { refuse } from './humanTask';
import { completeItems, flowState, verifyItems } from './messages';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

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
  historyLimit: number;
  /** Later rounds only pick up accounts that reached the leaver after the first checklist. */
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

const STATUS = { o: 'open', d: 'done', v: 'verified', r: 'reopened' } as const;

export async function handoverChecklist(input: ChecklistInput, carried?: ChecklistState): Promise<ChecklistOutcome> {
  const flowId = workflowInfo().workflowId;
  // Handlers are in place before the lines are written: a line seen in the database may be
  // completed at once. Until the layout is back, the flow asks the sender to try again.
  const state: ChecklistState = carried ?? {
    firstItemNo: 1,
    statuses: '',
    groupOfItem: '',
    dueTimes: [],
    accountItems: 0,
    createdAt: Date.now(),
    progress: [],
    batches: 0,
    critical: false,
    departed: false,
    accountsMoved: 0,
  };
  let statuses = [...state.statuses];
  let written = carried !== undefined;

  const owner = () => (state.departed ? input.supervisorId : input.leaverId);
  const count = (...codes: string[]) => statuses.filter((s) => codes.includes(s)).length;
  const pendingIn = (group: number) => statuses.some((s, i) => (s === 'o' || s === 'r') && state.groupOfItem.charCodeAt(i) - 48 === group);

  /** The positions of the named lines, or a refusal naming every line that is not in `allowed`. */
  function linesIn(itemNos: number[], allowed: string, doing: string): number[] {
    if (!written) refuse('wrong_state', 'the checklist is still being written; try again in a moment');
    const wrong: string[] = [];
    const positions = itemNos.map((no) => {
      const i = no - state.firstItemNo;
      const s = statuses[i];
      if (s === undefined) wrong.push(`${no} is not on this checklist`);
      else if (!allowed.includes(s)) wrong.push(`${no} is ${STATUS[s as keyof typeof STATUS]}`);
      return i;
    });
    if (wrong.length) refuse('wrong_state', `cannot ${doing}: item ${wrong.slice(0, 10).join(', ')}${wrong.length > 10 ? ` and ${wrong.length - 10} more` : ''}`);
    return positions;
  }

  setHandler(flowState, () => ({
    type: 'handover_checklist',
    status: !written ? 'writing' : count('v') === statuses.length ? 'verified' : 'open',
    step: state.departed ? 'after departure' : 'before departure',
    openTasks: [],
    details: { items: statuses.length, open: count('o', 'r'), done: count('d'), verified: count('v'), accountsMoved: state.accountsMoved, owner: owner() },
  }));

  setHandler(
    completeItems,
    async (args) => {
      for (const i of linesIn(args.itemNos, 'or', 'complete')) statuses[i] = 'd';
      const batch = ++state.batches;
      return act.recordItemsCompleted({ checklistFlowId: flowId, resignationId: input.resignationId, batch, itemNos: args.itemNos, actorId: args.actorId, note: args.note });
    },
    {
      validator: (args) => {
        if (!completeItemsArgs.safeParse(args).success) refuse('invalid_decision', 'name the items to complete');
        if (args.actorId !== owner()) refuse('not_your_task', state.departed ? 'the leaver has gone: the supervisor completes the remaining lines' : 'only the leaver completes handover lines before departure');
        linesIn(args.itemNos, 'or', 'complete');
      },
    },
  );

  setHandler(
    verifyItems,
    async (args) => {
      for (const i of linesIn(args.itemNos, 'd', 'verify')) statuses[i] = args.verdict === 'accept' ? 'v' : 'r';
      const batch = ++state.batches;
      const result = await act.recordItemsVerified({
        checklistFlowId: flowId,
        resignationId: input.resignationId,
        batch,
        itemNos: args.itemNos,
        actorId: args.actorId,
        verdict: args.verdict,
        comment: args.comment,
        leaverId: input.leaverId,
        successorId: input.successorId,
      });
      state.accountsMoved += result.accountsMoved;
      return result;
    },
    {
      validator: (args) => {
        const parsed = verifyItemsArgs.safeParse(args);
        if (!parsed.success) refuse('invalid_decision', parsed.error.issues.map((i) => i.message).join('; '));
        if (args.actorId !== input.supervisorId && args.actorId !== input.hrId) refuse('not_your_task', 'only the handover supervisor (or HR) verifies handover lines');
        linesIn(args.itemNos, 'd', 'verify');
      },
    },
  );

  /** The next thing the checklist does by itself: a chasing step of a due time with lines still
   *  open, the last working day's critical escalation, or the departure. */
  function nextDeadline(): { at: number; run: () => Promise<void> } | undefined {
    const candidates: { at: number; run: () => Promise<void> }[] = [];
    state.dueTimes.forEach((dueAt, group) => {
      const progress = state.progress[group]!;
      const step = pendingIn(group) ? nextChase(input.policy, { createdAt: state.createdAt, dueAt: Date.parse(dueAt) }, progress) : undefined;
      if (step) candidates.push({ at: step.at, run: () => chase(group, step) });
    });
    if (!state.critical && count('v') < statuses.length) {
      candidates.push({
        at: Date.parse(input.lastDayStartsAt),
        run: async () => {
          state.critical = true;
          await act.escalateChecklistCritical({ checklistFlowId: flowId, hrId: input.hrId });
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
          await act.handItemsToSupervisor({ checklistFlowId: flowId, leaverId: input.leaverId, supervisorId: input.supervisorId });
        },
      });
    }
    return candidates.sort((a, b) => a.at - b.at)[0];
  }

  async function chase(group: number, step: ChaseStep) {
    await act.chaseChecklistGroup({
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
    Object.assign(
      state,
      await act.generateChecklist({
        resignationId: input.resignationId,
        checklistFlowId: flowId,
        leaverId: input.leaverId,
        supervisorId: input.supervisorId,
        lastDayStartsAt: input.lastDayStartsAt,
        lead: input.lead,
        accountsOnly: input.accountsOnly,
      }),
      { createdAt: Date.now() },
    );
    statuses = [...state.statuses];
    written = true;
  }
  while (state.progress.length < state.dueTimes.length) state.progress.push({ remindersSent: 0, escalationLevel: 0 });

  const allVerified = () => count('v') === statuses.length;
  const historyFull = () => workflowInfo().historyLength > input.historyLimit || workflowInfo().continueAsNewSuggested;

  while (!allVerified()) {
    if (historyFull()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof handoverChecklist>(input, { ...state, statuses: statuses.join('') });
    }
    const next = nextDeadline();
    const woken = next
      ? await condition(() => allVerified() || historyFull(), Math.max(1, next.at - Date.now()))
      : (await condition(() => allVerified() || historyFull()), true);
    if (!woken && next) await next.run();
  }
  await condition(allHandlersFinished);
  return { items: statuses.length, accountsMoved: state.accountsMoved };
}
