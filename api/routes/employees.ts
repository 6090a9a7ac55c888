import { Router } from 'express';
import { z } from 'zod';
import { Role } from '../../generated/prisma/enums';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { parseRequest } from '../problems';

export const listEmployeesQuery = z.object({
  role: z.enum(Role).optional(),
  department: z.string().optional().meta({ description: 'department id, e.g. dept-collection' }),
  status: z.enum(['active', 'leaving', 'left']).optional(),
  ...pageParams(),
});

export function employeeRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseRequest(listEmployeesQuery, req.query, 'query');
    const where = { roles: q.role ? { has: q.role } : undefined, departmentId: q.department, status: q.status };
    res.json(
      await pageFrom(
        q,
        (window) =>
          db.employee.findMany({
            where,
            orderBy: { employeeNo: 'asc' },
            select: { id: true, employeeNo: true, name: true, email: true, departmentId: true, managerId: true, roles: true, status: true, locale: true },
            ...window,
          }),
        () => db.employee.count({ where }),
      ),
    );
  });
  return router;
}
