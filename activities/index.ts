import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import { flowActivities } from './flows';
import { followUpActivities } from './followUp';
import { handoverActivities } from './handover';
import { needsActivities } from './needs';
import { notificationActivities, type Courier } from './notifications';
import { taskActivities } from './tasks';
import { trainingPlanActivities } from './trainingPlans';
import { trainingSessionActivities } from './trainingSessions';

/** Every activity, bound to one database and logger (registered by the worker).
 *  `temporal` lets activities read what Temporal recorded of closed flows (the flow-end watch);
 *  `courier` delivers notifications (the log only when not given). */
export function createActivities(db: Db, log: Logger, temporal: Client, courier?: Courier) {
  return {
    ...flowActivities(db, log, temporal),
    ...taskActivities(db, log),
    ...notificationActivities(db, log, courier),
    ...trainingPlanActivities(db, log, temporal),
    ...trainingSessionActivities(db, log),
    ...handoverActivities(db, log),
    ...needsActivities(db, log),
    ...followUpActivities(db, log, temporal),
  };
}

export type Activities = ReturnType<typeof createActivities>;
