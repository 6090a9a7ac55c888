import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import type { ApiContext } from '../context';
import { reply } from '../views';

export const dashboardView = z
  .object({
    openFlowsByType: z.array(z.object({ type: z.string(), running: z.int(), stalled: z.int() })),
    overdueByDepartment: z.array(z.object({ departmentId: z.string(), overdue: z.int(), open: z.int() })),
    stalledFlows: z.array(z.object({ id: z.string(), type: z.string(), subject: z.string(), stalledReason: z.string().nullable(), updatedAt: z.iso.datetime() })),
  })
  .meta({ id: 'Dashboard' });

/** HR's view over every procedure: what runs, what is late where, what waits for the organisation. */
export function dashboardRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.get('/', requireRole('hr', 'hr_director', 'admin'), async (_req, res) => {
    const [flows, byDepartment, stalled] = await Promise.all([
      db.flow.groupBy({ by: ['type', 'status'], where: { status: { in: ['running', 'stalled'] } }, _count: true }),
      db.$queryRaw<{ departmentId: string; overdue: bigint; open: bigint }[]>`
        SELECT e.department_id AS "departmentId", count(*) FILTER (WHERE t.due_at < now()) AS overdue, count(*) AS open
        FROM task t JOIN employee e ON e.id = t.assignee_id
        WHERE t.status = 'open'
        GROUP BY e.department_id ORDER BY overdue DESC, e.department_id`,
      db.flow.findMany({ where: { status: 'stalled' }, orderBy: { updatedAt: 'asc' }, take: 50, select: { id: true, type: true, subject: true, stalledReason: true, updatedAt: true } }),
    ]);
    const types = [...new Set(flows.map((f) => f.type))].sort();
    const count = (type: string, status: string) => flows.find((f) => f.type === type && f.status === status)?._count ?? 0;
    reply(res, dashboardView, {
      openFlowsByType: types.map((type) => ({ type, running: count(type, 'running'), stalled: count(type, 'stalled') })),
      overdueByDepartment: byDepartment.map((d) => ({ departmentId: d.departmentId, overdue: Number(d.overdue), open: Number(d.open) })),
      stalledFlows: stalled,
    });
  });
  return router;
}
