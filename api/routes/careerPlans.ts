import { Router, type Request } from 'express';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { careerPlanRequest, careerPlanReviewRequest, reviewTimeProblem } from '../../domain/careerPlan';
import type { Prisma } from '../../prisma/db';
import { reviewCareerPlan } from '../../workflows/messages';
import { heldBy } from '../flowAccess';
import { callerOf, hasRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { careerPlanHistoryView, careerPlanPageView, careerPlanReviewedView, careerPlanRevisedView, careerPlanView, reply } from '../views';
import { updateIdOf } from './flowMessages';

export const careerPlanParams = z.object({ employeeId: z.string().min(1).max(100).meta({ description: '`me` or an employee id' }) });
export const listCareerPlansQuery = z.object({
  reviewDueBefore: z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-01-01T00:00:00+08:00' }).optional().meta({ description: 'only plans whose review is due before this time' }),
  ...pageParams(),
});

/** Read every employee's plan. */
const ALL_READERS = ['hr', 'hr_director'] as const;

type PlanRow = Prisma.CareerPlanGetPayload<object>;

/**
 * Career plans: an employee keeps theirs with their manager; the head of their department and HR
 * may read and revise it too. Revisions and reviews go to the employee's plan flow.
 */
export function careerPlanRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  /** Whose plans the caller keeps besides their own: their reports', their departments', or all (HR). */
  async function keptBy(caller: Caller): Promise<Prisma.EmployeeWhereInput> {
    if (hasRole(caller, ...ALL_READERS)) return {};
    const headed = (await db.department.findMany({ where: { headId: caller.id }, select: { id: true } })).map((d) => d.id);
    return { OR: [{ id: caller.id }, { managerId: caller.id }, { departmentId: { in: headed } }] };
  }

  /** The employee the path names, if the caller may keep their plan. */
  async function employeeOf(req: Request) {
    const { employeeId } = parseRequest(careerPlanParams, req.params, 'params');
    const caller = callerOf(req);
    const id = employeeId === 'me' ? caller.id : employeeId;
    const employee = await db.employee.findFirst({ where: { OR: [{ id }, { employeeNo: id }] }, select: { id: true, name: true, status: true } });
    if (!employee) throw new HttpProblem(404, 'Not found', `no employee ${id}`);
    if (!(await db.employee.count({ where: { AND: [{ id: employee.id }, await keptBy(caller)] } }))) {
      throw new HttpProblem(403, 'Forbidden', 'a career plan is kept by its employee, their manager, their department\'s head and HR');
    }
    return employee;
  }

  async function viewed(caller: Caller, rows: PlanRow[]) {
    const [people, reviewing] = await Promise.all([
      db.employee.findMany({ where: { id: { in: rows.map((p) => p.employeeId) } }, select: { id: true, name: true, employeeNo: true, departmentId: true } }),
      db.task.findMany({
        where: { flowId: { in: rows.map((p) => p.flowId) }, type: 'career_plan_review', status: 'open', ...heldBy(caller.id) },
        select: { flowId: true },
      }),
    ]);
    return rows.map((p) => ({
      ...p,
      wantedSkills: p.wantedSkills as { key: string; name: string }[],
      employee: people.find((e) => e.id === p.employeeId)!,
      mayReview: reviewing.some((t) => t.flowId === p.flowId),
    }));
  }

  /** The plans the caller keeps, the next review first. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listCareerPlansQuery, req.query, 'query');
    const caller = callerOf(req);
    const kept = await keptBy(caller);
    const employees = Object.keys(kept).length ? { employeeId: { in: (await db.employee.findMany({ where: kept, select: { id: true } })).map((e) => e.id) } } : {};
    const where: Prisma.CareerPlanWhereInput = { ...employees, ...(q.reviewDueBefore ? { nextReviewAt: { lt: new Date(q.reviewDueBefore) } } : {}) };
    const page = await pageFrom(
      q,
      (window) => db.careerPlan.findMany({ where, orderBy: [{ nextReviewAt: 'asc' }, { employeeId: 'asc' }], ...window }),
      () => db.careerPlan.count({ where }),
    );
    reply(res, careerPlanPageView, { ...page, items: await viewed(caller, page.items) });
  });

  router.get('/:employeeId', async (req, res) => {
    const employee = await employeeOf(req);
    const plan = await db.careerPlan.findUnique({ where: { employeeId: employee.id } });
    if (!plan) throw new HttpProblem(404, 'Not found', `${employee.name} has no career plan yet: PUT one with revision 0`);
    reply(res, careerPlanView, (await viewed(callerOf(req), [plan]))[0]!);
  });

  /** A revision over the one the writer saw; the first (revision 0) starts the plan and its flow. */
  router.put('/:employeeId', async (req, res) => {
    const employee = await employeeOf(req);
    const body = parseRequest(careerPlanRequest, req.body, 'body');
    const caller = callerOf(req);
    const badReviewTime = body.nextReviewAt && reviewTimeProblem(body.nextReviewAt, Date.now());
    refuseFields(badReviewTime ? [{ field: 'nextReviewAt', reason: badReviewTime }] : []);
    if (employee.status === 'left') throw new HttpProblem(409, 'Conflict', `${employee.name} has left: their plan is kept as it was`);
    const onRecord = await db.careerPlan.findUnique({ where: { employeeId: employee.id }, select: { revision: true, nextReviewAt: true } });
    // A flow that starts finds the plan's revision on record (after an operator ended the last one).
    const carried = onRecord && { revision: onRecord.revision, nextReviewAt: onRecord.nextReviewAt.getTime(), reviews: await db.careerPlanReview.count({ where: { employeeId: employee.id } }) };
    // The same writer sending the same plan over the same revision is one change, retried or not.
    const updateId = updateIdOf(req, 'revise') ?? `revise:r${body.revision}:${caller.id}:${createHash('sha1').update(JSON.stringify(body)).digest('hex')}`;
    const revised = await flows.reviseCareerPlan({ employeeId: employee.id, settings: flowDefaults, carried: carried ?? undefined }, { ...body, actorId: caller.id }, updateId);
    reply(res, careerPlanRevisedView, revised);
  });

  /** The yearly review, from whoever holds its task (the flow checks). */
  router.post('/:employeeId/review', async (req, res) => {
    const employee = await employeeOf(req);
    const body = parseRequest(careerPlanReviewRequest, req.body, 'body');
    const plan = await db.careerPlan.findUnique({ where: { employeeId: employee.id }, select: { flowId: true } });
    if (!plan) throw new HttpProblem(404, 'Not found', `${employee.name} has no career plan yet`);
    reply(res, careerPlanReviewedView, await flows.send(plan.flowId, reviewCareerPlan, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'review')));
  });

  /** Every revision as written and every review, oldest first. */
  router.get('/:employeeId/history', async (req, res) => {
    const employee = await employeeOf(req);
    const [revisions, reviews] = await Promise.all([
      db.careerPlanRevision.findMany({ where: { employeeId: employee.id }, orderBy: { revision: 'asc' } }),
      db.careerPlanReview.findMany({ where: { employeeId: employee.id }, orderBy: { reviewNo: 'asc' } }),
    ]);
    reply(res, careerPlanHistoryView, { revisions: revisions.map((r) => ({ ...r, content: r.content as never })), reviews });
  });

  return router;
}
