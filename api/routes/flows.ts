import { Router } from 'express';
import { z } from 'zod';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest } from '../problems';

export const flowIdParams = z.object({ id: z.string().min(1).max(300) });
export const listFlowsQuery = z.object({
  type: z.string().optional(),
  status: z.enum(['running', 'stalled', 'completed', 'rejected', 'withdrawn', 'cancelled', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const OVERSEERS = ['hr', 'hr_director', 'executive', 'admin'] as const;

export function flowRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseRequest(listFlowsQuery, req.query, 'query');
    if (!hasRole(callerOf(req), ...OVERSEERS)) throw new HttpProblem(403, 'Forbidden', `listing flows needs one of the roles: ${OVERSEERS.join(', ')}`);
    const where = { type: q.type, status: q.status };
    const [items, total] = await Promise.all([
      db.flow.findMany({ where, orderBy: { startedAt: 'desc' }, take: q.limit, skip: q.offset }),
      db.flow.count({ where }),
    ]);
    res.json({ items, total });
  });

  /** A flow: its record, open tasks and audit trail from Postgres, plus its live state while it runs. */
  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(flowIdParams, req.params, 'params');
    const caller = callerOf(req);
    const flow = await db.flow.findUnique({ where: { id } });
    if (!flow) throw new HttpProblem(404, 'Not found', `no flow ${id}`);
    const [tasks, audit] = await Promise.all([
      db.task.findMany({ where: { flowId: id }, orderBy: { createdAt: 'asc' } }),
      db.auditEvent.findMany({ where: { flowId: id }, orderBy: { id: 'asc' } }),
    ]);
    const participant = flow.startedById === caller.id || tasks.some((t) => t.assigneeId === caller.id || t.escalatedToIds.includes(caller.id));
    if (!participant && !hasRole(caller, ...OVERSEERS)) throw new HttpProblem(403, 'Forbidden', 'you take no part in this flow');
    const live = flow.status === 'running' || flow.status === 'stalled' ? await flows.liveState(id) : undefined;
    res.json({
      ...flow,
      live: live ?? null,
      openTasks: tasks.filter((t) => t.status === 'open'),
      tasks,
      audit: audit.map((e) => ({ ...e, id: e.id.toString() })),
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
