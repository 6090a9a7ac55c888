import { Router } from 'express';
import { z } from 'zod';
import { taskDecision, transferRequest } from '../../domain/tasks';
import { updateIdOf } from './flowMessages';
import type { Db } from '../../prisma/db';
import { callerOf, hasRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest } from '../problems';
import { decisionView, inboxPageView, reply, taskView, transferView } from '../views';

export const taskIdParams = z.object({ id: z.uuid('must be a task id (uuid)') });
export const listTasksQuery = z.object({
  assignee: z.string().default('me').meta({ description: '`me` (default) or an employee id (HR and admins only)' }),
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  flowId: z.string().optional(),
  ...pageParams(),
});

/** Tasks someone may act on: assigned to them, or escalated to them. */
const actionableBy = (employeeId: string) => ({ OR: [{ assigneeId: employeeId }, { escalatedToIds: { has: employeeId } }] });

async function visibleTask(db: Db, caller: Caller, id: string) {
  const task = await db.task.findUnique({ where: { id }, include: { assignee: { select: { id: true, name: true, employeeNo: true } } } });
  if (!task) throw new HttpProblem(404, 'Not found', `no task ${id}`);
  const involved = task.assigneeId === caller.id || task.escalatedToIds.includes(caller.id);
  if (!involved && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'this task is not yours');
  return task;
}

export function taskRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseRequest(listTasksQuery, req.query, 'query');
    const caller = callerOf(req);
    const assignee = q.assignee === 'me' ? caller.id : q.assignee;
    if (assignee !== caller.id && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'only HR and admins may read another person\'s inbox');
    const where = { ...actionableBy(assignee), status: q.status, flowId: q.flowId };
    reply(
      res,
      inboxPageView,
      await pageFrom(
        q,
        (window) =>
          db.task.findMany({
            where,
            // The id breaks ties, so pages neither repeat nor skip tasks due at the same moment.
            orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
            ...window,
            include: { flow: { select: { id: true, type: true, subject: true, status: true } } },
          }),
        () => db.task.count({ where }),
      ),
    );
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    reply(res, taskView, await visibleTask(db, callerOf(req), id));
  });

  /** The flow decides whether this person may decide this task now; the API only forwards. */
  router.post('/:id/decision', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    const body = parseRequest(taskDecision, req.body, 'body');
    const caller = callerOf(req);
    const task = await db.task.findUnique({ where: { id }, select: { flowId: true } });
    if (!task) throw new HttpProblem(404, 'Not found', `no task ${id}`);
    const result = await flows.decide(task.flowId, { taskId: id, actorId: caller.id, decision: body.decision, comment: body.comment });
    reply(res, decisionView, result);
  });

  /** 转交: the flow decides whether the caller may hand this task on, and to this person. */
  router.post('/:id/transfer', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    const body = parseRequest(transferRequest, req.body, 'body');
    const caller = callerOf(req);
    const task = await db.task.findUnique({ where: { id }, select: { flowId: true } });
    if (!task) throw new HttpProblem(404, 'Not found', `no task ${id}`);
    const to = await db.employee.findFirst({ where: { OR: [{ id: body.toId }, { employeeNo: body.toId }] }, select: { id: true, status: true } });
    if (!to || to.status !== 'active') throw new HttpProblem(422, 'Unprocessable request', 'nobody active to transfer the task to', [{ field: 'toId', reason: `no active employee has the id or number ${body.toId}` }]);
    reply(res, transferView, await flows.transfer(task.flowId, { taskId: id, actorId: caller.id, toId: to.id, reason: body.reason }, updateIdOf(req, `transfer:${id}`)));
  });

  return router;
}
