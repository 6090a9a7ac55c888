/**
 * A key position's reserve pool (后备人才库, DOMAIN.md §7): one flow per position for as long as the
 * company runs. Managers nominate, HR assesses and withdraws, a handover places the candidate it
 * names successor; whenever the pool falls below its minimum HR is alarmed (once, until it holds
 * enough again). Each quarter a Schedule asks the pool for its review: HR gets a task, chased, and
 * records every candidate kept (with their readiness now) or withdrawn.
 *
 * Changes are taken one at a time, so two managers nominating the same person at once, or a
 * withdrawal racing a review, meet a pool that is never half-changed.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  assessArgs,
  DEFAULT_POOL_MINIMUMS,
  nominateArgs,
  placeCandidateArgs,
  poolMinimumArgs,
  poolReviewArgs,
  POSITION_NAMES,
  withdrawArgs,
  type KeyPosition,
  type PoolCandidate,
  type PoolReviewArgs,
} from '../domain/reservePool';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { TaskInbox } from './humanTask';
import {
  assessCandidate,
  flowState,
  nominateCandidate,
  placeCandidate,
  poolReviewDue,
  reviewPool,
  setPoolMinimum,
  withdrawCandidate,
  type PoolChange,
} from './messages';
import { nothingCarried, records } from './records';
import { refuse, validArgs } from './refusals';

export interface ReservePoolInput {
  position: KeyPosition;
  settings: FlowSettings;
}

/** Past this many events a run hands the pool on to a new run (its state is all on record). */
const HISTORY_LIMIT = 5_000;

export async function reservePool({ position, settings }: ReservePoolInput): Promise<'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  const candidates = new Map<string, PoolCandidate>();
  let minimum = DEFAULT_POOL_MINIMUMS[position];
  let short = false;
  let reviews = 0;
  let nominations = 0;
  /** Changes taken in this run: with the run's id, each change's key on the audit trail. */
  let changes = 0;
  const nextChange = () => `${workflowInfo().runId}:${++changes}`;
  let reviewAsked: string | undefined;
  let reviewedBy: string | undefined;
  const reviewStep = () => `review-${reviews + 1}`;

  /** One change at a time, each after the one before it is written; the first waits for the pool as
   *  it stands on record (an Update that starts the flow arrives before it is read). */
  let lastChange: Promise<unknown> = (async () => {
    const pool = await records.openReservePool({ flowId, position, minimum });
    for (const c of pool.candidates) candidates.set(c.employeeId, c);
    ({ minimum, short, reviews, nominations } = pool);
  })();
  function inTurn<T>(change: () => Promise<T>): Promise<T> {
    const run = lastChange.then(change);
    lastChange = run.catch(() => undefined);
    return run;
  }

  const inPool = (employeeId: string) => {
    if (!candidates.has(employeeId)) refuse('invalid_decision', `employeeId: ${employeeId} is not in the ${POSITION_NAMES[position].en} pool`);
  };

  /** HR hears when the pool falls below its minimum, and the record says when it holds enough again. */
  async function afterChange(): Promise<PoolChange> {
    const nowShort = candidates.size < minimum;
    if (nowShort !== short) {
      short = nowShort;
      await records.markPoolShort({ flowId, position, short, held: candidates.size, minimum, change: nextChange() });
    }
    return { held: candidates.size, short };
  }

  setHandler(flowState, () => ({
    type: 'reserve_pool',
    status: short ? 'short' : 'held',
    step: reviewAsked ? reviewStep() : 'kept',
    openTasks: inbox.openTasks,
    details: { position, minimum, held: candidates.size, reviews, candidates: [...candidates.values()] },
  }));

  setHandler(
    nominateCandidate,
    (args) =>
      inTurn(async () => {
        if (candidates.has(args.employeeId)) refuse('already_decided', `${args.employeeId} is already in the ${POSITION_NAMES[position].en} pool`);
        nominations += 1;
        const candidate = await records.recordNomination({ ...args, flowId, position, nominationNo: nominations });
        candidates.set(args.employeeId, candidate);
        return afterChange();
      }),
    { validator: (args) => validArgs(nominateArgs, args) },
  );

  setHandler(
    assessCandidate,
    (args) =>
      inTurn(async () => {
        inPool(args.employeeId);
        await records.recordPoolAssessment({ ...args, flowId, position, change: nextChange() });
        candidates.set(args.employeeId, { ...candidates.get(args.employeeId)!, panelRating: args.panelRating, readiness: args.readiness });
        return afterChange();
      }),
    { validator: (args) => validArgs(assessArgs, args) },
  );

  async function leave(employeeId: string, status: 'withdrawn' | 'placed', reason: string, actorId: string) {
    await records.endCandidacy({ flowId, position, employeeId, status, reason, actorId, change: nextChange() });
    candidates.delete(employeeId);
    return afterChange();
  }

  setHandler(
    withdrawCandidate,
    (args) =>
      inTurn(async () => {
        inPool(args.employeeId);
        return leave(args.employeeId, 'withdrawn', args.reason, args.actorId);
      }),
    { validator: (args) => validArgs(withdrawArgs, args) },
  );

  // Whoever a handover names successor: in the pool, they leave it for the post; not in it, nothing changes.
  setHandler(
    placeCandidate,
    (args) =>
      inTurn(async () => {
        if (!candidates.has(args.employeeId)) return { ...(await afterChange()), placed: false };
        return { ...(await leave(args.employeeId, 'placed', `named successor in resignation ${args.resignationId}`, args.actorId)), placed: true };
      }),
    { validator: (args) => validArgs(placeCandidateArgs, args) },
  );

  setHandler(
    setPoolMinimum,
    (args) =>
      inTurn(async () => {
        await records.setPoolMinimum({ flowId, position, minimum: args.minimum, actorId: args.actorId, change: nextChange() });
        minimum = args.minimum;
        return afterChange();
      }),
    { validator: (args) => validArgs(poolMinimumArgs, args) },
  );

  setHandler(poolReviewDue, ({ quarter }) => {
    reviewAsked ??= quarter;
  });

  setHandler(
    reviewPool,
    (args: PoolReviewArgs) => {
      const step = reviewStep();
      return inbox.answering(
        () =>
          inTurn(async () => {
            reviewVerdictsProblem(args);
            await records.recordPoolReview({ ...args, flowId, position, reviewNo: reviews + 1, onBehalfOfId: inbox.actsFor(step, args.actorId) });
            for (const v of args.verdicts) {
              if (v.withdraw) candidates.delete(v.employeeId);
              else candidates.set(v.employeeId, { ...candidates.get(v.employeeId)!, readiness: v.readiness! });
            }
            reviews += 1;
            reviewedBy = args.actorId;
            return { ...(await afterChange()), reviewNo: reviews };
          }),
        step,
      );
    },
    {
      validator: (args) => {
        validArgs(poolReviewArgs, args);
        if (!reviewAsked) refuse('wrong_state', 'no review of this pool is due: the quarterly Schedule asks for it');
        inbox.checkActor(reviewStep(), args.actorId, 'the quarterly review of this pool');
        reviewVerdictsProblem(args);
      },
    },
  );

  /** A review names every candidate in the pool once, and nobody else. */
  function reviewVerdictsProblem(args: PoolReviewArgs): void {
    const named = args.verdicts.map((v) => v.employeeId);
    const stranger = named.find((id) => !candidates.has(id));
    if (stranger) refuse('invalid_decision', `verdicts: ${stranger} is not in the pool`);
    if (new Set(named).size !== named.length) refuse('invalid_decision', 'verdicts: a candidate is named twice');
    const missing = [...candidates.keys()].filter((id) => !named.includes(id));
    if (missing.length) refuse('invalid_decision', `verdicts: say whether to keep ${missing.join(', ')}`);
  }

  /** The quarter's review: HR's task, chased until they record it. */
  async function quarterlyReview(quarter: string): Promise<void> {
    const { reviewerId } = await records.poolReviewer();
    const names = POSITION_NAMES[position];
    await inbox.askForMessage(
      {
        stepKey: reviewStep(),
        type: 'reserve_pool_review',
        title: `后备人才库季度评审：${names.zh} Quarterly review of the ${names.en} pool (${quarter})`,
        assigneeId: reviewerId,
        outcomes: ['done'],
        policy: settings.chasing.reserve_pool_review,
        payload: { position, quarter },
        completedBy: `the review is recorded (POST /reserve-pools/${position}/reviews)`,
      },
      () => reviewedBy,
    );
    reviewedBy = undefined;
    reviewAsked = undefined;
  }

  return new FlowEnd().run(async () => {
    // A pool opened below its minimum says so at once.
    await inTurn(afterChange);
    for (;;) {
      await condition(() => reviewAsked !== undefined || workflowInfo().historyLength > HISTORY_LIMIT);
      if (reviewAsked) await quarterlyReview(reviewAsked);
      else {
        await condition(() => allHandlersFinished() && nothingCarried());
        await continueAsNew<typeof reservePool>({ position, settings });
      }
    }
  });
}

/** Started by the quarterly Schedule: every key position's pool is asked for its review. */
export async function reservePoolReviews({ settings }: { settings: FlowSettings }): Promise<void> {
  const at = new Date(Date.now());
  const quarter = `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
  await records.askPoolsForReview({ settings, quarter });
}
