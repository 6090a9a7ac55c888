import type { Client } from '@temporalio/client';
import { trace } from '@opentelemetry/api';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import { delegationActivities } from './delegations';
import { surveyActivities } from './surveys';
import { commentActivities } from './comments';
import { suggestionActivities } from './suggestions';
import { careerPlanActivities } from './careerPlans';
import { promotionActivities } from './promotions';
import { teamRebuildingActivities } from './teamRebuilding';
import { reservePoolActivities } from './reservePool';
import { riskActivities } from './risk';
import { exitInterviewActivities } from './exitInterview';
import { onboardingActivities } from './onboarding';
import { staffingActivities } from './staffingAdjustments';
import { flowActivities } from './flows';
import { followUpActivities } from './followUp';
import { handoverActivities } from './handover';
import { needsActivities } from './needs';
import { notificationActivities, type Courier } from './notifications';
import { taskActivities } from './tasks';
import { trainingPlanActivities } from './trainingPlans';
import { trainingSessionActivities } from './trainingSessions';
import { failingFastWhenPermanent } from './writeFaults';
import { WRITE_CANNOT_SUCCEED } from '../domain/stalls';

/** Every activity, bound to one database and logger (registered by the worker); an error that
 *  every retry would repeat fails it at once (activities/writeFaults.ts).
 *  `temporal` lets activities read what Temporal recorded of closed flows (the flow-end watch);
 *  `courier` delivers notifications (the log only when not given). */
export function createActivities(db: Db, log: Logger, temporal: Client, courier?: Courier) {
  const activities = failingFastWhenPermanent({
    ...flowActivities(db, log, temporal),
    ...taskActivities(db, log),
    ...notificationActivities(db, log, courier),
    ...trainingPlanActivities(db, log, temporal),
    ...trainingSessionActivities(db, log),
    ...handoverActivities(db, log),
    ...needsActivities(db, log),
    ...followUpActivities(db, log, temporal),
    ...delegationActivities(db, log, temporal),
    ...surveyActivities(db, log),
    ...commentActivities(db, log),
    ...suggestionActivities(db, log),
    ...careerPlanActivities(db, log),
    ...promotionActivities(db, log),
    ...teamRebuildingActivities(db, log),
    ...reservePoolActivities(db, log, temporal),
    ...riskActivities(db, log, temporal),
    ...exitInterviewActivities(db, log),
    ...onboardingActivities(db, log, temporal),
    ...staffingActivities(db, log, temporal),
  });
  return { ...activities, writeInOrder: writeInOrderOf(activities) };
}

/** A call of one activity by name, as workflows/records.ts carries it. */
export interface CarriedCall {
  name: string;
  args: unknown[];
}

/** Writes whose consecutive calls one activity makes in one transaction: the calls it replaces, by name. */
const TOGETHER: Record<string, string> = { openTask: 'openTasks' };

/** The carried calls, each run of consecutive calls that can be written together made one call
 *  (`joined`: it answers with one result per call it replaces). */
function writtenTogether(calls: CarriedCall[]): (CarriedCall & { joined?: boolean })[] {
  const joined: (CarriedCall & { joined?: boolean })[] = [];
  for (const call of calls) {
    const together = TOGETHER[call.name];
    const previous = joined.at(-1);
    if (!together) joined.push(call);
    else if (previous?.joined && previous.name === together) (previous.args[0] as unknown[]).push(call.args[0]);
    else joined.push({ name: together, args: [[call.args[0]]], joined: true });
  }
  return joined;
}

/**
 * Several short writes of a flow in one local activity: the writes it carried, in order, then
 * `last`, whose result it answers. Every write is idempotent, so a retried attempt runs them all
 * again. When `last` is refused for good (a non-retryable failure, say a stall), the refusal is
 * answered rather than thrown: the writes ahead of it are on record all the same.
 */
function writeInOrderOf(activities: Record<string, unknown>) {
  const tracer = trace.getTracer('baton-worker');
  // Each write has its own span (`Write:<name>`) under the activity's, when the process traces.
  const run = ({ name, args }: CarriedCall) => {
    const activity = activities[name];
    if (typeof activity !== 'function') throw ApplicationFailure.nonRetryable(`no activity ${name}`);
    return tracer.startActiveSpan(`Write:${name}`, async (span) => {
      try {
        return await (activity as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        span.end();
      }
    });
  };
  return async (ahead: CarriedCall[], last?: CarriedCall): Promise<{ result?: unknown; refusal?: { type: string; message: string }; written?: unknown[] }> => {
    // What each carried call answered, in order (a task's holder, when it opened).
    const written: unknown[] = [];
    for (const call of writtenTogether(ahead)) {
      const answer = await run(call);
      if (call.joined) written.push(...(answer as unknown[]));
      else written.push(answer);
    }
    if (!last) return { written };
    try {
      return { result: await run(last), written };
    } catch (err) {
      // A write that cannot succeed fails the whole activity: the flow stalls and tries all again.
      if (err instanceof ApplicationFailure && err.nonRetryable && err.type && err.type !== WRITE_CANNOT_SUCCEED) return { refusal: { type: err.type, message: err.message }, written };
      throw err;
    }
  };
}

export type Activities = ReturnType<typeof createActivities>;
