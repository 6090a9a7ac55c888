import { Router } from 'express';
import { z } from 'zod';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { limitParam, offsetParam, pageFrom, pageParams } from '../pagination';
import { flowPageView, flowView, reply } from '../views';
import { flowToRead, overseesFlow, OVERSEERS } from '../flowAccess';
import { auditRiskRead } from './risk';
import { commentsOf } from '../comments';
import { HttpProblem, parseRequest } from '../problems';

export const flowIdParams = z.object({ id: z.string().min(1).max(300) });
export const listFlowsQuery = z.object({
  type: z.string().optional(),
  status: z.enum(['running', 'stalled', 'completed', 'rejected', 'withdrawn', 'cancelled', 'failed']).optional(),
  cc: z.literal('me').optional().meta({ description: '`me`: the flows the caller is copied in on (抄送我的), for anyone' }),
  ...pageParams(),
});
/** The flow view pages its task list and its audit trail separately. */
export const flowViewQuery = z.object({
  tasksLimit: limitParam(),
  tasksOffset: offsetParam(),
  auditLimit: limitParam(),
  auditOffset: offsetParam(),
});

export function flowRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseRequest(listFlowsQuery, req.query, 'query');
    const caller = callerOf(req);
    if (!q.cc && !hasRole(caller, ...OVERSEERS)) throw new HttpProblem(403, 'Forbidden', `listing flows needs one of the roles: ${OVERSEERS.join(', ')} (or cc=me)`);
    const where = {
      type: q.type,
      status: q.status,
      ...(q.cc ? { cc: { some: { employeeId: caller.id } } } : {}),
      ...(overseesFlow(caller, 'retention') ? {} : { NOT: { type: 'retention' } }),
    };
    reply(
      res,
      flowPageView,
      await pageFrom(
        q,
        (window) => db.flow.findMany({ where, orderBy: [{ startedAt: 'desc' }, { id: 'asc' }], ...window }),
        () => db.flow.count({ where }),
      ),
    );
  });

  /**
   * A flow: its record, open tasks and audit trail from Postgres, plus its live state while it
   * runs. The trail includes the flow's child workflows (`<flow id>/<child>`, e.g. a handover's
   * checklist rounds); a child's own id shows its parent flow with the child's part of the trail.
   */
  router.get('/:id', async (req, res) => {
    const { id: requested } = parseRequest(flowIdParams, req.params, 'params');
    const q = parseRequest(flowViewQuery, req.query, 'query');
    const caller = callerOf(req);
    const id = requested.split('/')[0]!;
    const flow = await flowToRead(db, caller, id, requested);
    if (flow.type === 'retention') await auditRiskRead(db, caller, 'flow', [flow.businessKey.split(':')[0]!], id);
    const trail = requested === id ? { OR: [{ flowId: id }, { flowId: { startsWith: `${id}/` } }] } : { flowId: requested };
    const [cc, comments, tasks, tasksTotal, openTasks, audit, auditTotal, deliveries, failedDeliveries] = await Promise.all([
      db.flowCc.findMany({ where: { flowId: id }, orderBy: [{ addedAt: 'asc' }, { employeeId: 'asc' }] }),
      commentsOf(db, id),
      db.task.findMany({ where: { flowId: id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: q.tasksLimit, skip: q.tasksOffset }),
      db.task.count({ where: { flowId: id } }),
      db.task.findMany({ where: { flowId: id, status: 'open' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      db.auditEvent.findMany({ where: trail, orderBy: { id: 'asc' }, take: q.auditLimit, skip: q.auditOffset }),
      db.auditEvent.count({ where: trail }),
      db.notificationDelivery.groupBy({ by: ['status'], where: { notification: trail }, _count: true }),
      db.notificationDelivery.findMany({
        where: { status: 'failed', notification: trail },
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: { id: true, channel: true, attempts: true, lastError: true, notification: { select: { template: true, recipientId: true, taskId: true } } },
      }),
    ]);
    const deliveriesIn = (status: string) => deliveries.find((d) => d.status === status)?._count ?? 0;
    const live = flow.status === 'running' || flow.status === 'stalled' ? await flows.liveState(id) : undefined;
    reply(res, flowView, {
      ...flow,
      ...(requested !== id ? { childFlowId: requested } : {}),
      live: live ?? null,
      cc,
      comments,
      openTasks,
      tasks,
      tasksTotal,
      tasksLimit: q.tasksLimit,
      tasksOffset: q.tasksOffset,
      audit: audit.map((e) => ({ ...e, id: e.id.toString() })),
      auditTotal,
      auditLimit: q.auditLimit,
      auditOffset: q.auditOffset,
      // What its notifications came to on each channel; the latest failures spelled out.
      notifications: {
        pending: deliveriesIn('pending'),
        sent: deliveriesIn('sent'),
        failed: deliveriesIn('failed'),
        failures: failedDeliveries,
      },
    });
  });

  /** An operator resumes a stalled flow once the organisation is fixed (it also retries by itself). */
  router.post('/:id/resume', requireRole('hr', 'admin'), async (req, res) => {
    const { id } = parseRequest(flowIdParams, req.params, 'params');
    if (!(await db.flow.findUnique({ where: { id } }))) throw new HttpProblem(404, 'Not found', `no flow ${id}`);
    res.json(await flows.resume(id));
  });

  return router;
}
