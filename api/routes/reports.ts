/**
 * Reports across procedures. The causes of leaving (DOMAIN.md §7): exit interviews counted by
 * department and quarter of the last working day; HR sees every department, a manager their own;
 * groups of fewer than MIN_REPORTED_LEAVERS leavers are shown without counts. Reads are on the audit
 * trail, as risk reads are.
 */
import { Router } from 'express';
import { LEAVING_CAUSES, type LeavingCause } from '../../domain/risk';
import { leavingCausesByGroup, leavingCausesQuery, MIN_REPORTED_LEAVERS } from '../../domain/exitInterview';
import { callerOf, hasRole } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest } from '../problems';
import { leavingCausesReportView, reply } from '../views';
import { auditRiskRead } from './risk';

export function reportRoutes({ db }: ApiContext): Router {
  const router = Router();

  router.get('/leaving-causes', async (req, res) => {
    const caller = callerOf(req);
    const everyDepartment = hasRole(caller, 'hr', 'hr_director');
    if (!everyDepartment && !hasRole(caller, 'manager')) throw new HttpProblem(403, 'Forbidden', 'the causes of leaving are seen by HR and by managers for their own department');
    const q = parseRequest(leavingCausesQuery, req.query, 'query');
    const interviews = await db.exitInterview.findMany({
      where: { leftOn: { gte: new Date(q.from), lte: new Date(q.to) }, ...(everyDepartment ? {} : { departmentId: caller.departmentId }) },
      select: { employeeId: true, departmentId: true, leftOn: true, causes: true },
    });
    const groups = leavingCausesByGroup(interviews.map((i) => ({ departmentId: i.departmentId, leftOn: i.leftOn.toISOString().slice(0, 10), causes: i.causes as LeavingCause[] })));
    const departments = new Map((await db.department.findMany({ where: { id: { in: groups.map((g) => g.departmentId) } }, select: { id: true, name: true, nameEn: true } })).map((d) => [d.id, d]));
    const shown = new Set(groups.filter((g) => !g.suppressed).map((g) => g.departmentId));
    await auditRiskRead(db, caller, 'leaving_causes', interviews.filter((i) => shown.has(i.departmentId)).map((i) => i.employeeId));
    reply(res, leavingCausesReportView, {
      ...q,
      minGroup: MIN_REPORTED_LEAVERS,
      causes: [...LEAVING_CAUSES],
      groups: groups.map((g) => ({ leavers: null, causes: null, ...g, department: departments.get(g.departmentId)! })),
    });
  });

  return router;
}
