/** Who may read a flow, in one place: its page, its comments and their attachments ask here. */
import type { Db } from '../prisma/db';
import type { Flow } from '../generated/prisma/client';
import { hasRole, type Caller } from './auth';
import { HttpProblem } from './problems';

/** Tasks a person holds or was escalated: those they may act on. */
export const heldBy = (personId: string) => ({ OR: [{ assigneeId: personId }, { escalatedToIds: { has: personId } }] });

/** Roles that oversee every flow. */
export const OVERSEERS = ['hr', 'hr_director', 'executive', 'admin'] as const;

/** Risk stays with HR and the people its flows ask (DOMAIN.md §7): executives and operators do not
 *  oversee retention flows. */
export const RISK_OVERSEERS = ['hr', 'hr_director'] as const;
export const overseesFlow = (caller: Caller, type: string) => hasRole(caller, ...(type === 'retention' ? RISK_OVERSEERS : OVERSEERS));

/** In someone else's inbox, the tasks of flows the reader does not oversee stay out of sight: a
 *  retention task's title names the person at risk. */
export const othersTasksVisibleTo = (caller: Caller) => (overseesFlow(caller, 'retention') ? {} : { NOT: { flow: { type: 'retention' } } });

/**
 * Those taking part read a flow: its starter, whoever held or was escalated one of its tasks (over
 * all of them, not a page), those copied in (抄送); and the overseers.
 */
export async function mayReadFlow(db: Db, caller: Caller, flow: Pick<Flow, 'id' | 'startedById' | 'type'>): Promise<boolean> {
  if (flow.startedById === caller.id || overseesFlow(caller, flow.type)) return true;
  const [ownTasks, cc] = await Promise.all([
    db.task.count({ where: { flowId: flow.id, ...heldBy(caller.id) } }),
    db.flowCc.count({ where: { flowId: flow.id, employeeId: caller.id } }),
  ]);
  return ownTasks > 0 || cc > 0;
}

/** The flow `id` for the caller to read: 404 when there is none, 403 when they take no part in it. */
export async function flowToRead(db: Db, caller: Caller, id: string, asked = id): Promise<Flow> {
  const flow = await db.flow.findUnique({ where: { id } });
  if (!flow) throw new HttpProblem(404, 'Not found', `no flow ${asked}`);
  if (!(await mayReadFlow(db, caller, flow))) throw new HttpProblem(403, 'Forbidden', 'you take no part in this flow');
  return flow;
}
