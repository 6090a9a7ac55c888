/**
 * The human-task building block every procedure uses: open a task (inbox row + notification), wait
 * for a decision while chasing it by its policy (reminders, then escalation, each on one durable
 * timer), accept the decision from the assignee or from whoever it was escalated to, record it.
 */
import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { clockOf, defaultDueAt, nextChase, type ChaseProgress, type ChasingPolicy, type EscalationTarget } from '../domain/chasing';
import type { FlowSettings, TaskType } from '../domain/settings';
import type { DelegateTaskArgs } from '../domain/delegation';
import {
  addSignerArgs,
  ccArgs,
  decideTaskArgs,
  taskActionsOf,
  transferTaskArgs,
  type AddSignerArgs,
  type CcArgs,
  type DecideTaskArgs,
  type NextTask,
  type OpenedTask,
  type OpenTaskView,
  type Outcome,
  type TaskAction,
  type TaskResult,
  type TransferTaskArgs,
} from '../domain/tasks';
import { addSigner, copyIn, decideTask, delegateTask, transferTask, type AddSignerResult, type Answer, type CopyInResult, type DecideTaskResult } from './messages';
import { carryWrite, records, settled } from './records';
import { takeComments } from './flowComments';
import { refuse, validArgs } from './refusals';

export { refuse, refuseUnlessValid } from './refusals';


export interface TaskSpec {
  /** Unique within the flow and stable across replays, e.g. `round-2/executive/<approverId>`. */
  stepKey: string;
  type: TaskType;
  title: string;
  assigneeId: string;
  /** The first is the agreeing one: an added signer's answer hands the step on only with it. */
  outcomes: Outcome[];
  policy: ChasingPolicy;
  payload?: Record<string, unknown>;
  /** Epoch ms; by default the task is due when it first escalates. */
  dueAt?: number;
  /** People the flow names for escalation levels (a handover's supervisor, its HR officer). */
  escalationTargets?: Partial<Record<EscalationTarget, string>>;
  /** Set when the flow itself completes the task (say, on a resubmission): the inbox refuses
   *  decisions on it with this explanation. */
  completedBy?: string;
  /** Separation of duties: people who may never hold this task (by transfer, as an added signer
   *  or otherwise), and why. */
  mayNotHold?: { ids: string[]; why: string };
  /** 退回: the earlier levels of the same round this task may send the matter back to (`askInTurn`). */
  earlierLevels?: string[];
  /** 加签: who added this task's holder to the step. */
  addedById?: string;
}

/** One level of a chain asked in turn: its tasks (a countersign), built when the level is reached;
 *  `pass` counts the times the chain was sent back within the round, for unique step keys. */
export interface Level<K extends string = string> {
  key: K;
  asks: (pass: number) => Promise<TaskSpec[]>;
}

type Verdict = Awaited<ReturnType<TaskInbox['askAll']>>;

/** A signer added to a task (加签), and the step their own task has. */
interface AddedSigner {
  signerId: string;
  stepKey: string;
}

/** What the inbox offers to decide: nothing for a task its own form completes. */
const offeredOutcomes = (spec: TaskSpec): Outcome[] => (spec.completedBy ? [] : spec.outcomes);

/** How a procedure describes its tasks: each chased by the flow's policy for its type, with what
 *  every task of the flow carries (read when the task is asked, as people may have changed). */
export function taskMaker(chasing: Record<TaskType, ChasingPolicy>, common: () => Pick<TaskSpec, 'payload' | 'escalationTargets'>) {
  return (stepKey: string, type: TaskType, title: string, assigneeId: string, extra: Partial<TaskSpec> = {}): TaskSpec => ({
    stepKey,
    type,
    title,
    assigneeId,
    outcomes: ['done'],
    policy: chasing[type],
    ...common(),
    ...extra,
  });
}

/** An open task as one run of a flow hands it to the next when it continues as new: its inbox
 *  row stays as it is and the next run goes on chasing it where this one was. */
export interface CarriedTask {
  id: string;
  spec: TaskSpec;
  createdAt: number;
  dueAt: number;
  mayDecide: string[];
  progress: ChaseProgress;
  actingFor?: string;
}

interface LiveTask {
  id: string;
  /** Order of asking within the run: tasks after a mark are what a message led to. */
  seq: number;
  spec: TaskSpec;
  createdAt: number;
  dueAt: number;
  mayDecide: string[];
  progress: ChaseProgress;
  /** The inbox row exists: only then is the task shown as open. */
  opened: boolean;
  /** A transfer or an added signer is being written: nobody acts on the task until it is. */
  changingHands?: string;
  /** 加签 before: the signer whose decision the task waits for. */
  waitingFor?: AddedSigner;
  /** 加签 after: asked in turn once the holder agrees. */
  signersAfter: AddedSigner[];
  /** Signers added so far, to number their steps. */
  signersAdded: number;
  /** Delegation while away: the owner its holder acts for. */
  actingFor?: string;
  decision?: TaskResult;
  closedAs?: 'done' | 'cancelled';
}

/** Someone the task was escalated to acts for its holder; its holder, for the owner they are the delegate of. */
const onBehalfOf = (task: LiveTask, actorId: string) => (actorId === task.spec.assigneeId ? task.actingFor : task.spec.assigneeId);

/** Runs `asking` until it ends or the deadline passes, whichever is first; then its open tasks close. */
export async function askUntil(deadline: number, asking: () => Promise<unknown>): Promise<void> {
  const scope = new CancellationScope();
  let answered = false;
  const running = scope
    .run(asking)
    .then(() => void (answered = true))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  if (!(await condition(() => answered, Math.max(1, deadline - Date.now())))) scope.cancel();
  await running;
}

/** The flow's open tasks. Create one per workflow run, before any task is asked. */
export class TaskInbox {
  private readonly live = new Map<string, LiveTask>();
  private asked = 0;
  /** Runs from before the fix reminded at once when a task's period was shorter than the lead. */
  private get remindsAtOpen(): boolean {
    return !patched('no-reminder-at-open');
  }
  private readonly flowId = workflowInfo().workflowId;

  private readonly workingTime: FlowSettings['workingTime'];

  /** `settings`: the flow's, for policies on the working clock and the actions each type allows. */
  constructor(private readonly settings: Pick<FlowSettings, 'workingTime' | 'taskActions'>) {
    this.workingTime = settings.workingTime;
    setHandler(decideTask, (args) => this.decideFromInbox(args), { validator: (args) => this.checkDecision(args) });
    setHandler(transferTask, (args) => this.transferFromInbox(args), { validator: (args) => this.checkTransfer(args) });
    setHandler(addSigner, (args) => this.addSignerFromInbox(args), { validator: (args) => this.checkAddSigner(args) });
    setHandler(copyIn, (args) => this.copyInFromInbox(args), { validator: (args) => this.checkCopyIn(args) });
    setHandler(delegateTask, (args) => this.delegateFromInbox(args), { validator: (args) => this.checkDelegation(args) });
    takeComments();
  }

  /** What the holder may do besides deciding: its type's setting, where the task allows it (a
   *  task its form completes is handed on only where its type says so; by default few are). */
  private actionsOf(spec: TaskSpec): TaskAction[] {
    return taskActionsOf(this.settings, spec.type).filter((a) => a !== 'send_back' || !!spec.earlierLevels?.length);
  }

  get openTasks(): OpenTaskView[] {
    return [...this.live.values()]
      .filter((t) => t.opened && !t.decision)
      .map((t) => ({
        taskId: t.id,
        stepKey: t.spec.stepKey,
        type: t.spec.type,
        title: t.spec.title,
        assigneeId: t.spec.assigneeId,
        actingForId: t.actingFor,
        mayDecide: [...t.mayDecide],
        outcomes: offeredOutcomes(t.spec),
        actions: this.actionsOf(t.spec),
        waitingForId: t.waitingFor?.signerId,
        dueAt: new Date(t.dueAt).toISOString(),
        remindersSent: t.progress.remindersSent,
        escalationLevel: t.progress.escalationLevel,
      }));
  }

  /** The open tasks to hand to the next run (see `CarriedTask`). */
  get carried(): CarriedTask[] {
    return [...this.live.values()]
      .filter((t) => t.opened && !t.decision)
      .map((t) => ({ id: t.id, spec: t.spec, createdAt: t.createdAt, dueAt: t.dueAt, mayDecide: [...t.mayDecide], progress: { ...t.progress }, actingFor: t.actingFor }));
  }

  /** A task is being opened or closed, or signers added to one are still to answer: a run must
   *  not continue as new now (the next run would not know whom a signer's task belongs to). */
  get changing(): boolean {
    return [...this.live.values()].some((t) => !t.opened || (t.decision && !t.closedAs) || t.waitingFor || t.signersAfter.length || t.spec.addedById);
  }

  /** Asks one person; resolves with their (or their escalation target's) decision. Cancelling the
   *  surrounding scope cancels the task. A task `carried` from the last run is taken up as it was. */
  async ask(spec: TaskSpec, carried?: CarriedTask): Promise<TaskResult> {
    const createdAt = carried?.createdAt ?? Date.now();
    const task: LiveTask = {
      id: carried?.id ?? uuid4(),
      seq: ++this.asked,
      spec,
      createdAt,
      dueAt: carried?.dueAt ?? spec.dueAt ?? defaultDueAt(spec.policy, createdAt, clockOf(spec.policy, this.workingTime)),
      mayDecide: carried ? [...carried.mayDecide] : [spec.assigneeId],
      progress: carried ? { ...carried.progress } : { remindersSent: 0, escalationLevel: 0 },
      opened: !!carried,
      signersAfter: [],
      signersAdded: 0,
      actingFor: carried?.actingFor,
    };
    this.live.set(task.id, task);
    try {
      // Writes run to completion even when the flow is cancelled, so no row is left half-done.
      // Tasks asked together (a countersign, a session's preparation) open in one activity and one
      // transaction: the carried openTask calls of a batch are written together (activities/index.ts).
      if (!carried) {
        const opened = await carryWrite('openTask', {
          taskId: task.id,
          flowId: this.flowId,
          stepKey: spec.stepKey,
          type: spec.type,
          title: spec.title,
          assigneeId: spec.assigneeId,
          outcomes: offeredOutcomes(spec),
          actions: this.actionsOf(spec),
          earlierLevels: spec.earlierLevels ?? [],
          addedById: spec.addedById,
          mayNotHold: spec.mayNotHold?.ids,
          payload: spec.payload ?? {},
          createdAt: new Date(createdAt).toISOString(),
          dueAt: new Date(task.dueAt).toISOString(),
        }).written;
        // The assignee is away: their delegate holds it, acting for them.
        const { holderId, actingForId } = (opened ?? {}) as Partial<OpenedTask>;
        if (actingForId && holderId) this.handTo(task, holderId, actingForId);
      }
      task.opened = true;
      await this.decidedWithSignersBefore(task);
    } catch (err) {
      if (isCancellation(err)) {
        await CancellationScope.nonCancellable(() => records.cancelTask({ flowId: this.flowId, taskId: task.id, reason: 'the flow no longer needs it' }));
      }
      task.closedAs = 'cancelled';
      this.live.delete(task.id);
      throw err;
    }
    // The flow goes on with the decision; the task is closed with the flow's next write.
    const decision = task.decision!;
    const closing = carryWrite('closeTask', { ...decision, flowId: this.flowId });
    void closing.written.then(() => {
      task.closedAs = 'done';
      this.live.delete(task.id);
    });
    await closing.queued;
    return this.withSignersAfter(task, decision);
  }

  /** 加签 before: each signer the holder adds decides first. Their agreement hands the task back to
   *  the holder; any other answer (a rejection, a send-back) is the step's decision. */
  private async decidedWithSignersBefore(task: LiveTask): Promise<void> {
    for (;;) {
      await this.chaseUntilDecided(task);
      if (task.decision || !task.waitingFor) return;
      const { signerId, stepKey } = task.waitingFor;
      const answer = await this.ask(this.signerSpec(task, task.waitingFor));
      const agreed = answer.outcome === task.spec.outcomes[0];
      await CancellationScope.nonCancellable(() => records.signerAnswered({ taskId: task.id, stepKey, signerId, outcome: answer.outcome, backWithHolder: agreed }));
      task.waitingFor = undefined;
      if (!agreed) {
        task.decision = { ...answer, taskId: task.id };
        return;
      }
    }
  }

  /** 加签 after: once the holder agrees, each signer they added decides in turn; the first other
   *  answer is the step's decision, else the holder's agreement stands. */
  private async withSignersAfter(task: LiveTask, decision: TaskResult): Promise<TaskResult> {
    if (decision.outcome !== task.spec.outcomes[0]) return decision;
    for (const signer of task.signersAfter) {
      const answer = await this.ask(this.signerSpec(task, signer));
      if (answer.outcome !== decision.outcome) return answer;
    }
    return decision;
  }

  /** An added signer's own task: the same decision, due by its own policy, never to someone the
   *  step excludes. */
  private signerSpec(task: LiveTask, { signerId, stepKey }: AddedSigner): TaskSpec {
    const { dueAt: _due, ...spec } = task.spec;
    return { ...spec, stepKey, assigneeId: signerId, addedById: task.spec.assigneeId };
  }

  /**
   * A chain of levels asked in turn, each a countersign (会签). 退回 from a level sends the matter
   * back to the earlier level it names: that level decides again, and every level after it.
   * `decided` records each level's answers. Resolves with the answer that ended the chain (a
   * rejection, a request for changes), or undefined when every level agreed.
   */
  async askInTurn<K extends string>(levels: Level<K>[], decided: (level: K, verdict: Verdict) => Promise<unknown>): Promise<TaskResult | undefined> {
    let pass = 0;
    for (let i = 0; i < levels.length; ) {
      const earlierLevels: string[] = levels.slice(0, i).map((l) => l.key);
      const specs = await levels[i]!.asks(pass);
      const verdict = await this.askAll(specs.map((spec) => ({ ...spec, earlierLevels })));
      await decided(levels[i]!.key, verdict);
      if (verdict.agreed) {
        i++;
        continue;
      }
      const dissent = verdict.dissent!;
      if (dissent.outcome !== 'send_back') return dissent;
      i = earlierLevels.indexOf(dissent.backTo!);
      pass++;
    }
    return undefined;
  }

  /**
   * Countersign (会签): asks everyone at once; all must answer `agreeing`. The first other answer
   * ends the round and cancels the tasks still open.
   */
  async askAll(specs: TaskSpec[], agreeing: Outcome = 'approve'): Promise<{ agreed: boolean; results: TaskResult[]; dissent?: TaskResult }> {
    const results: TaskResult[] = [];
    let dissent: TaskResult | undefined;
    const round = new CancellationScope();
    const settled = await round.run(() =>
      Promise.allSettled(
        specs.map(async (spec) => {
          const result = await this.ask(spec);
          results.push(result);
          if (result.outcome !== agreeing && !dissent) {
            dissent = result;
            round.cancel();
          }
        }),
      ),
    );
    if (dissent) return { agreed: false, results, dissent };
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return { agreed: true, results };
  }

  /**
   * Asks for a task that a message of the flow completes rather than an inbox decision (a survey,
   * an assessment): waits until `answeredBy` names who sent it, then completes the task as them.
   * `once asked` runs right after the task is registered, so what it announces is already true.
   */
  async askForMessage(spec: TaskSpec & { completedBy: string }, answeredBy: () => string | undefined, onceAsked?: () => Promise<void>, carried?: CarriedTask): Promise<void> {
    // Runs from before went on as soon as the wait for the answer was cancelled, racing the task's
    // own cancellation in the inbox.
    const closedFirst = patched('message-task-closed-first');
    const asked = this.ask(spec, carried);
    const answered = (async () => {
      await onceAsked?.();
      await condition(() => answeredBy() !== undefined);
      this.complete(spec.stepKey, answeredBy()!, 'done');
    })();
    // Awaited together, so that when the flow cancels the task neither rejection goes unheard. The
    // wait for the answer fails at once; the flow goes on once the task is cancelled in the inbox.
    const answeredOnceClosed = closedFirst
      ? answered.catch(async (err: unknown) => {
          await asked.catch(() => undefined);
          throw err;
        })
      : answered;
    await Promise.all([asked, answeredOnceClosed]);
  }

  /**
   * Answers a message once the flow has done everything it leads to that needs no person: the
   * task it completes (`stepKey`) is closed and no write is in flight. The answer lists the tasks
   * opened meanwhile, already in their assignees' inboxes, so the caller's next read sees them.
   */
  async answering<T extends object>(effect: () => T | Promise<T>, stepKey?: string): Promise<T & Answer> {
    const mark = this.asked;
    const result = await effect();
    // Runs from before answers waited for the flow to settle answered at once.
    if (!patched('answer-when-settled')) return { ...result, next: [] };
    if (stepKey) await condition(() => !this.isLive(stepKey));
    await condition(settled);
    return { ...result, next: this.openedAfter(mark) };
  }

  private isLive(stepKey: string): boolean {
    return [...this.live.values()].some((t) => t.spec.stepKey === stepKey);
  }

  private openedAfter(mark: number): NextTask[] {
    return [...this.live.values()]
      .filter((t) => t.seq > mark && t.opened && !t.decision)
      .map((t) => ({ taskId: t.id, type: t.spec.type, title: t.spec.title, assigneeId: t.spec.assigneeId, dueAt: new Date(t.dueAt).toISOString() }));
  }

  /** Completes an open task from inside the flow, for tasks the flow itself completes. */
  complete(stepKey: string, actorId: string, outcome: Outcome, comment?: string): void {
    const task = this.undecided(stepKey);
    if (task) this.decide(task, actorId, outcome, comment);
  }

  /** For a message that completes a task (an assessment, an assignment): refuses it unless that
   *  task is open and the actor is its assignee or someone it was escalated to. */
  /** Whom `actorId` acts for on the undecided task `stepKey`, as its decision would record it. */
  actsFor(stepKey: string, actorId: string): string | undefined {
    const task = this.undecided(stepKey);
    return task && onBehalfOf(task, actorId);
  }

  checkActor(stepKey: string, actorId: string, what: string): void {
    const task = this.undecided(stepKey);
    if (!task) refuse('wrong_state', `${what} is not expected at this point of the flow`);
    if (!task.mayDecide.includes(actorId)) refuse('not_your_task', `only the assignee of "${task.spec.title}", or someone it was escalated to, may do this`);
  }

  private undecided(stepKey: string): LiveTask | undefined {
    return [...this.live.values()].find((t) => t.spec.stepKey === stepKey && !t.decision);
  }

  /** Chases the holder until they decide, or until they add a signer to decide first. */
  private async chaseUntilDecided(task: LiveTask): Promise<void> {
    const decidedOrWaiting = () => task.decision !== undefined || task.waitingFor !== undefined;
    for (;;) {
      const step = nextChase(task.spec.policy, { ...task, remindAtOpen: this.remindsAtOpen }, task.progress, clockOf(task.spec.policy, this.workingTime));
      if (!step) return condition(decidedOrWaiting);
      // One durable timer until the next chase, cut short by a decision.
      if (await condition(decidedOrWaiting, Math.max(1, step.at - Date.now()))) return;
      if (step.kind === 'remind') {
        await CancellationScope.nonCancellable(() => records.remindAssignee({ taskId: task.id, reminder: step.reminder }));
        task.progress.remindersSent = step.reminder;
      } else {
        const { targetId } = await CancellationScope.nonCancellable(() => records.escalateTask({ taskId: task.id, level: step.level, to: step.to, named: task.spec.escalationTargets?.[step.to] }));
        if (targetId && !task.mayDecide.includes(targetId)) task.mayDecide.push(targetId);
        task.progress.escalationLevel = step.level;
      }
    }
  }

  private checkDecision(raw: DecideTaskArgs): void {
    const args = validArgs(decideTaskArgs, raw, 'invalid_decision');
    const task = this.openTask(args.taskId);
    if (task.spec.completedBy) refuse('not_allowed', `this task completes when ${task.spec.completedBy}`);
    if (!task.mayDecide.includes(args.actorId)) refuse('not_your_task', 'only the assignee, or someone the task was escalated to, may decide it');
    if (args.decision === 'send_back') {
      this.mayDo(task, 'send_back', 'send the matter back: it has no earlier level');
      if (!args.backTo || !task.spec.earlierLevels!.includes(args.backTo)) refuse('invalid_decision', `send back to one of the earlier levels: ${task.spec.earlierLevels!.join(', ')}`);
    } else if (!task.spec.outcomes.includes(args.decision)) {
      refuse('invalid_decision', `this task accepts only: ${task.spec.outcomes.join(', ')}`);
    }
  }

  /** Refuses an action the task's type (or the task) does not allow. */
  private mayDo(task: LiveTask, action: TaskAction, what: string): void {
    if (!this.actionsOf(task.spec).includes(action)) refuse('not_allowed', `this task cannot ${what}`);
  }

  /** Refuses handing the task (or a part of its step) to someone who may not hold it. */
  private mayHold(task: LiveTask, personId: string, refusal: 'invalid_transfer' | 'invalid_action'): void {
    if (task.spec.mayNotHold?.ids.includes(personId)) refuse('not_allowed', `they may not decide this task: ${task.spec.mayNotHold.why}`);
    const holdsPart = [...this.live.values()].some((t) => t !== task && !t.decision && t.spec.type === task.spec.type && t.spec.assigneeId === personId);
    if (holdsPart || task.signersAfter.some((s) => s.signerId === personId)) refuse(refusal, 'they already take part in this step: one person decides it once');
  }

  /** 转交: whoever may decide the task hands it on, within the rules of its type and of the flow. */
  private checkTransfer(raw: TransferTaskArgs): void {
    const { taskId, actorId, toId } = validArgs(transferTaskArgs, raw, 'invalid_transfer');
    const task = this.openTask(taskId);
    this.mayDo(task, 'transfer', 'be transferred: it is its holder\'s own part of the flow');
    if (!task.mayDecide.includes(actorId)) refuse('not_your_task', 'only the assignee, or someone the task was escalated to, may transfer it');
    if (toId === task.spec.assigneeId) refuse('invalid_transfer', 'the task is already theirs');
    this.mayHold(task, toId, 'invalid_transfer');
  }

  private async transferFromInbox({ taskId, actorId, toId, reason }: TransferTaskArgs): Promise<Answer & { taskId: string; assigneeId: string }> {
    const task = this.live.get(taskId)!;
    const fromId = task.spec.assigneeId;
    await this.whileChangingHands(task, 'being transferred to someone else', () =>
      records.transferTask({ flowId: this.flowId, taskId, move: uuid4(), fromId, toId, actorId, reason }),
    );
    this.handTo(task, toId);
    return { taskId, assigneeId: toId, next: this.openedAfter(task.seq - 1).filter((t) => t.taskId === taskId) };
  }

  /** 加签: whoever may decide the task adds a person to its step, before or after themselves. */
  private checkAddSigner(raw: AddSignerArgs): void {
    const { taskId, actorId, signerId } = validArgs(addSignerArgs, raw, 'invalid_action');
    const task = this.openTask(taskId);
    this.mayDo(task, 'add_signer', 'have signers added');
    if (!task.mayDecide.includes(actorId)) refuse('not_your_task', 'only the assignee, or someone the task was escalated to, may add a signer');
    if (signerId === task.spec.assigneeId || signerId === actorId) refuse('invalid_action', 'they already decide this task');
    this.mayHold(task, signerId, 'invalid_action');
  }

  private async addSignerFromInbox({ taskId, actorId, signerId, position, reason }: AddSignerArgs): Promise<AddSignerResult> {
    const task = this.live.get(taskId)!;
    const signer: AddedSigner = { signerId, stepKey: `${task.spec.stepKey}/signer-${++task.signersAdded}` };
    await this.whileChangingHands(task, 'having a signer added', () =>
      records.addSigner({ flowId: this.flowId, taskId, stepKey: signer.stepKey, signerId, position, actorId, reason }),
    );
    if (position === 'after') {
      task.signersAfter.push(signer);
      return { taskId, next: [] };
    }
    task.waitingFor = signer;
    // Answered once the signer's task is in their inbox (or the step ended meanwhile).
    await condition(() => !this.live.has(taskId) || this.isOpened(signer.stepKey));
    const next = this.openedAfter(0).filter((t) => this.live.get(t.taskId)?.spec.stepKey === signer.stepKey);
    return { taskId, signerTaskId: next[0]?.taskId, next };
  }

  /** 抄送: whoever may decide the task copies people in on the flow. */
  private checkCopyIn(raw: CcArgs): void {
    const { taskId, actorId } = validArgs(ccArgs, raw, 'invalid_action');
    const task = this.openTask(taskId);
    this.mayDo(task, 'cc', 'copy people in');
    if (!task.mayDecide.includes(actorId)) refuse('not_your_task', 'only the assignee, or someone the task was escalated to, may copy people in');
  }

  private async copyInFromInbox({ taskId, actorId, ids, note }: CcArgs): Promise<CopyInResult> {
    const flowId = this.flowId.split('/')[0]!;
    const { added } = await CancellationScope.nonCancellable(() => records.copyIn({ flowId, taskId, copy: uuid4(), actorId, ids, note }));
    return { flowId, added, next: [] };
  }

  /** Writes a change of who holds the task; nobody acts on it meanwhile. */
  private async whileChangingHands(task: LiveTask, what: string, write: () => Promise<unknown>): Promise<void> {
    task.changingHands = what;
    try {
      await CancellationScope.nonCancellable(write);
    } finally {
      task.changingHands = undefined;
    }
  }

  private isOpened(stepKey: string): boolean {
    return [...this.live.values()].some((t) => t.spec.stepKey === stepKey && t.opened);
  }

  /** Delegation while away: the owner's open task goes to their delegate, who acts for them. */
  private checkDelegation({ taskId, ownerId, delegateId }: DelegateTaskArgs): void {
    const task = this.openTask(taskId);
    if (task.spec.assigneeId !== ownerId) refuse('wrong_state', 'the task is no longer theirs');
    this.mayDo(task, 'transfer', 'be handed on: it is its holder\'s own part of the flow');
    this.mayHold(task, delegateId, 'invalid_transfer');
  }

  private async delegateFromInbox({ taskId, delegationId, ownerId, delegateId, reason }: DelegateTaskArgs): Promise<{ taskId: string; assigneeId: string }> {
    const task = this.live.get(taskId)!;
    await this.whileChangingHands(task, 'being handed to a delegate', () =>
      records.transferTask({ flowId: this.flowId, taskId, move: `delegation:${delegationId}`, fromId: ownerId, toId: delegateId, actorId: ownerId, reason, delegationId }),
    );
    this.handTo(task, delegateId, ownerId);
    return { taskId, assigneeId: delegateId };
  }

  /** The task's new holder alone decides it (those it was escalated to were chasing the previous
   *  one); with `actingFor`, as that person's delegate. */
  private handTo(task: LiveTask, holderId: string, actingFor?: string): void {
    task.spec = { ...task.spec, assigneeId: holderId };
    task.mayDecide = [holderId];
    task.actingFor = actingFor;
  }

  /** The open task `taskId`, or a refusal saying why it cannot be acted on. */
  private openTask(taskId: string): LiveTask {
    const task = this.live.get(taskId);
    if (!task) refuse('task_not_open', 'this task is no longer open in this flow');
    if (task.decision) refuse('already_decided', `this task was already decided (${task.decision.outcome})`);
    if (task.changingHands) refuse('wrong_state', `this task is ${task.changingHands}`);
    if (task.waitingFor) refuse('wrong_state', 'this task waits for the decision of the signer added before its holder');
    return task;
  }

  private decideFromInbox(args: DecideTaskArgs): Promise<DecideTaskResult> {
    const task = this.live.get(args.taskId)!;
    return this.answering(async () => {
      this.decide(task, args.actorId, args.decision, args.comment, args.backTo);
      await condition(() => task.closedAs !== undefined);
      return { ...task.decision, taskId: task.id, status: task.closedAs! };
    });
  }

  private decide(task: LiveTask, actorId: string, outcome: Outcome, comment?: string, backTo?: string): void {
    task.decision = {
      taskId: task.id,
      outcome,
      comment,
      backTo,
      decidedById: actorId,
      onBehalfOfId: onBehalfOf(task, actorId),
      decidedAt: new Date(Date.now()).toISOString(),
    };
  }
}
