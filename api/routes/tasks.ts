import { Router } from 'express';
import { z } from 'zod';
import { addSignerRequest, ccRequest, taskDecision, transferRequest } from '../../domain/tasks';
import { addSigner, copyIn } from '../../workflows/messages';
import { updateIdOf } from './flowMessages';
import type { Db } from '../../prisma/db';
import { callerOf, hasRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { heldBy, othersTasksVisibleTo, overseesFlow } from '../flowAccess';
import { HttpProblem, parseRequest } from '../problems';
import { addedSignerView, copyInView, decisionView, inboxPageView, reply, taskView, transferView } from '../views';

export const taskIdParams = z.object({ id: z.uuid('must be a task id (uuid)') });
export const listTasksQuery = z.object({
  assignee: z.string().default('me').meta({ description: '`me` (default) or an employee id (HR and admins only)' }),
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  flowId: z.string().optional(),
  ...pageParams(),
});


async function visibleTask(db: Db, caller: Caller, id: string) {
  const task = await db.task.findUnique({ where: { id }, include: { assignee: { select: { id: true, name: true, employeeNo: true } }, flow: { select: { type: true } } } });
  if (!task) throw new HttpProblem(404, 'Not found', `no task ${id}`);
  const { flow, ...shown } = task;
  const involved = task.assigneeId === caller.id || task.escalatedToIds.includes(caller.id);
  // HR and admins read anyone's task, except an admin a retention flow's (overseesFlow).
  if (!involved && !(hasRole(caller, 'hr', 'admin') && overseesFlow(caller, flow.type))) throw new HttpProblem(403, 'Forbidden', 'this task is not yours');
  return shown;
}

/** The active people named by id or employee number, in the order named; 422 naming the field
 *  for anyone unknown or no longer active. */
async function activePeople(db: Db, named: string[], fieldOf: (i: number) => string): Promise<string[]> {
  const found = await db.employee.findMany({ where: { status: 'active', OR: [{ id: { in: named } }, { employeeNo: { in: named } }] }, select: { id: true, employeeNo: true } });
  const errors = named.flatMap((n, i) =>
    found.some((e) => e.id === n || e.employeeNo === n) ? [] : [{ field: fieldOf(i), reason: `no active employee has the id or number ${n}` }],
  );
  if (errors.length) throw new HttpProblem(422, 'Unprocessable request', 'nobody active by that name', errors);
  return named.map((n) => found.find((e) => e.id === n || e.employeeNo === n)!.id);
}

/** The flow an open task belongs to (404 for an unknown task). */
async function flowOfTask(db: Db, id: string): Promise<string> {
  const task = await db.task.findUnique({ where: { id }, select: { flowId: true } });
  if (!task) throw new HttpProblem(404, 'Not found', `no task ${id}`);
  return task.flowId;
}

export function taskRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseRequest(listTasksQuery, req.query, 'query');
    const caller = callerOf(req);
    const assignee = q.assignee === 'me' ? caller.id : q.assignee;
    if (assignee !== caller.id && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'only HR and admins may read another person\'s inbox');
    const where = { ...heldBy(assignee), ...(assignee === caller.id ? {} : othersTasksVisibleTo(caller)), status: q.status, flowId: q.flowId };
    // An open inbox asks again every few seconds: each answer carries an ETag (Express's), and with
    // no-cache the browser asks with If-None-Match and an unchanged inbox costs a 304, not a page.
    res.set('Cache-Control', 'private, no-cache');
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
    const flowId = await flowOfTask(db, id);
    const result = await flows.decide(flowId, { taskId: id, actorId: caller.id, decision: body.decision, comment: body.comment, backTo: body.backTo });
    reply(res, decisionView, result);
  });

  /** 转交: the flow decides whether the caller may hand this task on, and to this person. */
  router.post('/:id/transfer', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    const body = parseRequest(transferRequest, req.body, 'body');
    const caller = callerOf(req);
    const flowId = await flowOfTask(db, id);
    const [toId] = await activePeople(db, [body.toId], () => 'toId');
    reply(res, transferView, await flows.transfer(flowId, { taskId: id, actorId: caller.id, toId: toId!, reason: body.reason }, updateIdOf(req, `transfer:${id}`)));
  });

  /** 加签: the flow decides whether the caller may add this signer to the task's step. */
  router.post('/:id/signers', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    const body = parseRequest(addSignerRequest, req.body, 'body');
    const flowId = await flowOfTask(db, id);
    const [signerId] = await activePeople(db, [body.signerId], () => 'signerId');
    const args = { taskId: id, actorId: callerOf(req).id, signerId: signerId!, position: body.position, reason: body.reason };
    reply(res, addedSignerView, await flows.send(flowId, addSigner, args, updateIdOf(req, `signer:${id}`)));
  });

  /** 抄送: the flow decides whether the caller may copy people in from this task. */
  router.post('/:id/cc', async (req, res) => {
    const { id } = parseRequest(taskIdParams, req.params, 'params');
    const body = parseRequest(ccRequest, req.body, 'body');
    const flowId = await flowOfTask(db, id);
    const ids = await activePeople(db, body.ids, (i) => `ids.${i}`);
    reply(res, copyInView, await flows.send(flowId, copyIn, { taskId: id, actorId: callerOf(req).id, ids, note: body.note }, updateIdOf(req, `cc:${id}`)));
  });

  return router;
}
