import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../auth';
import type { ApiContext } from '../context';
import { callerView, reply } from '../views';

export const departmentView = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string(), headId: z.string().nullable() }).meta({ id: 'Department' });

/** Who the caller is, and the departments: what every screen needs to label people and places. */
export function directoryRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.get('/me', (req, res) => reply(res, callerView, callerOf(req)));
  router.get('/departments', async (_req, res) => {
    const departments = await db.department.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true, name: true, nameEn: true, headId: true } });
    reply(res, z.object({ items: z.array(departmentView) }), { items: departments });
  });
  return router;
}
