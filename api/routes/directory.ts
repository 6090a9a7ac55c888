import { Router } from 'express';
import { callerOf } from '../auth';
import type { ApiContext } from '../context';
import { callerView, departmentListView, reply } from '../views';

/** Who the caller is, and the departments: what every screen needs to label people and places. */
export function directoryRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.get('/me', (req, res) => reply(res, callerView, callerOf(req)));
  router.get('/departments', async (_req, res) => {
    const departments = await db.department.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true, name: true, nameEn: true, headId: true, adminOwnerId: true } });
    reply(res, departmentListView, { items: departments });
  });
  return router;
}
