/**
 * Early warning and retention (DOMAIN.md §7). Who sees risk: HR everyone's, a manager their own
 * team's (their reports and the departments they head), nobody else, not even their own; every read
 * of a risk record is on the audit trail. Imports, flags and rule versions go through an intake
 * flow that rescores; a retention flow's steps are Updates its tasks' holders send.
 */
import express, { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../activities/audit';
import { currentRuleSet } from '../../activities/risk';
import {
  actionCheckRequest,
  checkPerformanceRows,
  parsePerformanceCsv,
  performanceImportRequest,
  performanceMonth,
  retentionCloseRequest,
  retentionReviewRequest,
  riskFlagRequest,
  riskLevel,
  riskRules,
  stayInterviewRequest,
  type RowProblem,
} from '../../domain/risk';
import type { Role } from '../../generated/prisma/enums';
import type { Db, Prisma } from '../../prisma/db';
import { checkRetentionAction, closeRetention, recordStayInterview, reviewRetention } from '../../workflows/messages';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields } from '../problems';
import { intakeView, reply, retentionCasePageView, retentionCaseView, riskPageView, riskRecordView, riskRulesView } from '../views';
import { updateIdOf } from './flowMessages';

export const riskEmployeeParams = z.object({ employeeId: z.string().min(1).max(100) });
export const listRiskQuery = z.object({ departmentId: z.string().min(1).max(100).optional(), level: riskLevel.optional(), ...pageParams() });
export const performanceCsvQuery = z.object({ month: performanceMonth });
export const retentionParams = z.object({ flowId: z.string().regex(/^retention:[^:]+:\d+$/, 'a retention flow id: retention:<employeeId>:<n>') });
export const listRetentionQuery = z.object({
  status: z.enum(['open', 'actions_checked', 'level_fell', 'closed_by_hr', 'cancelled']).optional(),
  departmentId: z.string().min(1).max(100).optional(),
  ...pageParams(),
});

const HR: Role[] = ['hr', 'hr_director'];
const MANAGERS: Role[] = ['manager', ...HR];

/** Whose risk the caller may see: everyone's (HR), their team's (a manager), or nobody's (403). */
function riskScopeOf(caller: Caller): Prisma.EmployeeWhereInput {
  if (hasRole(caller, ...HR)) return {};
  if (!hasRole(caller, 'manager')) throw new HttpProblem(403, 'Forbidden', 'risk is seen by HR and by managers for their own team only');
  return { OR: [{ managerId: caller.id }, { department: { headId: caller.id } }], id: { not: caller.id } };
}

/** The employee `employeeId` if the caller may see their risk: 403 outside their team, 404 when there is none. */
async function employeeToRead(ctx: ApiContext, caller: Caller, employeeId: string) {
  const scope = riskScopeOf(caller);
  const employee = await ctx.db.employee.findFirst({ where: { AND: [{ id: employeeId }, scope] }, select: { id: true, name: true, departmentId: true } });
  if (employee) return employee;
  if (await ctx.db.employee.count({ where: { id: employeeId } })) throw new HttpProblem(403, 'Forbidden', 'this employee is not in your team');
  throw new HttpProblem(404, 'Not found', `no employee ${employeeId}`);
}

/** Every read of risk records is on the audit trail: who read whose (also a retention flow read at /flows). */
export async function auditRiskRead(db: Db, caller: Caller, what: string, employeeIds: string[], flowId?: string) {
  await db.$transaction((tx) => appendAudit(tx, { key: `risk-read:${randomUUID()}`, action: 'risk.read', actorId: caller.id, flowId, payload: { what, employeeIds } }));
}

/** Bad lines of an import, named where the caller wrote them; nothing is applied. */
const importRefused = (status: number, problems: RowProblem[], csv: boolean) =>
  new HttpProblem(status, status === 400 ? 'Invalid request' : 'Unprocessable request', `${problems.length} problem(s) in the import; nothing was applied`,
    problems.map((p) => ({ field: csv ? `csv line ${p.line}, ${p.field}` : `rows.${p.line - 1}.${p.field}`, reason: p.message })));

export function riskRoutes(ctx: ApiContext): Router {
  const { db, flows, flowDefaults } = ctx;
  const router = Router();
  const intakeId = (req: Request) => {
    const key = idempotencyKeyOf(req);
    return key ? `${callerOf(req).id}:${key}` : randomUUID();
  };

  /** Levels, highest score first: HR everyone's, a manager their team's; by department and level. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listRiskQuery, req.query, 'query');
    const caller = callerOf(req);
    const scope = riskScopeOf(caller);
    const where: Prisma.EmployeeRiskWhereInput = {
      ...(q.level ? { level: q.level } : {}),
      employeeId: { in: (await db.employee.findMany({ where: { AND: [scope, q.departmentId ? { departmentId: q.departmentId } : {}] }, select: { id: true } })).map((e) => e.id) },
    };
    const page = await pageFrom(q, (w) => db.employeeRisk.findMany({ where, orderBy: [{ score: 'desc' }, { employeeId: 'asc' }], ...w }), () => db.employeeRisk.count({ where }));
    const people = new Map((await db.employee.findMany({ where: { id: { in: page.items.map((r) => r.employeeId) } }, select: { id: true, name: true, departmentId: true } })).map((p) => [p.id, p]));
    await auditRiskRead(db, caller, 'list', page.items.map((r) => r.employeeId));
    reply(res, riskPageView, { ...page, items: page.items.map((r) => ({ ...r, employee: people.get(r.employeeId)!, reasons: r.reasons as never })) });
  });

  router.get('/rules', requireRole(...HR), async (_req, res) => {
    const current = await currentRuleSet(db);
    const versions = await db.riskRuleSet.findMany({ orderBy: { version: 'desc' }, select: { version: true, createdById: true, createdAt: true } });
    reply(res, riskRulesView, { ...current, versions });
  });

  /** A new version of the rules; everyone is scored again with it. */
  router.put('/rules', requireRole(...HR), async (req, res) => {
    const rules = parseRequest(riskRules, req.body, 'body');
    const { version, levels } = await flows.runRiskIntake(intakeId(req), { kind: 'rules', rules, actorId: callerOf(req).id }, flowDefaults);
    reply(res, intakeView, { version, levels });
  });

  router.get('/:employeeId', async (req, res) => {
    const { employeeId } = parseRequest(riskEmployeeParams, req.params, 'params');
    const caller = callerOf(req);
    const employee = await employeeToRead(ctx, caller, employeeId);
    const [current, history, flags, retention] = await Promise.all([
      db.employeeRisk.findUnique({ where: { employeeId } }),
      db.riskScore.findMany({ where: { employeeId }, orderBy: { computedAt: 'desc' }, take: 20 }),
      db.riskFlag.findMany({ where: { employeeId }, orderBy: { createdAt: 'desc' }, take: 20 }),
      db.retentionCase.findMany({ where: { employeeId }, orderBy: { caseNo: 'desc' }, select: { flowId: true, caseNo: true, status: true, stage: true, openedAt: true, closedAt: true } }),
    ]);
    await auditRiskRead(db, caller, 'record', [employeeId]);
    reply(res, riskRecordView, {
      employee,
      level: current?.level ?? null,
      score: current?.score ?? null,
      reasons: (current?.reasons ?? []) as never,
      ruleSetVersion: current?.ruleSetVersion ?? null,
      computedAt: current?.computedAt ?? null,
      history: history.map((h) => ({ ...h, reasons: h.reasons as never })),
      flags,
      retention,
    });
  });

  /** A manager (of this employee) or HR flags someone they worry about; they are scored again. */
  router.post('/:employeeId/flags', async (req, res) => {
    const { employeeId } = parseRequest(riskEmployeeParams, req.params, 'params');
    const caller = callerOf(req);
    await employeeToRead(ctx, caller, employeeId);
    const { reason } = parseRequest(riskFlagRequest, req.body, 'body');
    const id = intakeId(req);
    const { levels } = await flows.runRiskIntake(id, { kind: 'flag', flagId: id, employeeId, reason, actorId: caller.id }, flowDefaults);
    reply(res, intakeView, { levels }, 201);
  });

  return router;
}

/**
 * A month's performance figures: JSON `{month, rows}` or text/csv (`?month=YYYY-MM`, a header with
 * employeeNo, collectionRate, contacts, complaints). Every bad line is named; nothing is applied
 * unless every line is good; the month's earlier import is replaced.
 */
export function performanceRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.post('/imports', requireRole(...HR), express.text({ type: 'text/csv', limit: '2mb' }), async (req, res) => {
    const csv = req.is('text/csv') ? parsePerformanceCsv(typeof req.body === 'string' ? req.body : '') : undefined;
    const month = csv ? parseRequest(performanceCsvQuery, req.query, 'query').month : undefined;
    const body = csv ? undefined : parseRequest(performanceImportRequest, req.body, 'body');
    if (csv?.problems.length) throw importRefused(400, csv.problems, true);
    const lines = csv ? csv.rows.map((r) => ({ line: r.line, record: r.record })) : body!.rows.map((record, i) => ({ line: i + 1, record }));
    const checked = checkPerformanceRows(lines);
    if (checked.problems.length) throw importRefused(400, checked.problems, !!csv);
    const known = await ctx.db.employee.findMany({ where: { employeeNo: { in: checked.rows.map((r) => r.employeeNo) } }, select: { id: true, employeeNo: true } });
    const idOf = new Map(known.map((e) => [e.employeeNo, e.id]));
    const unknown = checked.rows.filter((r) => !idOf.has(r.employeeNo)).map((r) => ({ line: r.line, field: 'employeeNo', message: `no employee has the number ${r.employeeNo}` }));
    if (unknown.length) throw importRefused(422, unknown, !!csv);
    const importId = randomUUID();
    const idempotent = idempotencyKeyOf(req);
    const rows = checked.rows.map(({ employeeNo, line: _line, ...figures }) => ({ employeeId: idOf.get(employeeNo)!, ...figures }));
    const { levels } = await ctx.flows.runRiskIntake(idempotent ? `${callerOf(req).id}:${idempotent}` : importId, { kind: 'performance', importId, month: month ?? body!.month, rows, actorId: callerOf(req).id }, ctx.flowDefaults);
    reply(res, intakeView, { levels }, 201);
  });
  return router;
}

/** Retention flows: HR sees all, a manager those of their team; the tasks' holders send each step. */
export function retentionRoutes(ctx: ApiContext): Router {
  const { db, flows } = ctx;
  const router = Router();

  async function caseToRead(req: Request) {
    const { flowId } = parseRequest(retentionParams, req.params, 'params');
    const caller = callerOf(req);
    const found = await db.retentionCase.findUnique({ where: { flowId } });
    riskScopeOf(caller); // a collector hears 403 before learning whether the flow exists
    if (!found) throw new HttpProblem(404, 'Not found', `no retention flow ${flowId}`);
    await employeeToRead(ctx, caller, found.employeeId);
    return found;
  }

  router.get('/', async (req, res) => {
    const q = parseRequest(listRetentionQuery, req.query, 'query');
    const caller = callerOf(req);
    const scope = riskScopeOf(caller);
    const ids = (await db.employee.findMany({ where: scope, select: { id: true } })).map((e) => e.id);
    const where: Prisma.RetentionCaseWhereInput = { employeeId: { in: ids }, ...(q.status ? { status: q.status } : {}), ...(q.departmentId ? { departmentId: q.departmentId } : {}) };
    const page = await pageFrom(q, (w) => db.retentionCase.findMany({ where, orderBy: [{ status: 'desc' }, { openedAt: 'desc' }], ...w }), () => db.retentionCase.count({ where }));
    await auditRiskRead(db, caller, 'retention_list', page.items.map((c) => c.employeeId));
    reply(res, retentionCasePageView, { ...page, items: page.items.map((c) => ({ ...c, stayInterview: c.stayInterview as never, review: c.review as never, actionChecks: c.actionChecks as never })) });
  });

  router.get('/:flowId', async (req, res) => {
    const found = await caseToRead(req);
    const caller = callerOf(req);
    const [employee, tasks] = await Promise.all([
      db.employee.findUniqueOrThrow({ where: { id: found.employeeId }, select: { id: true, name: true, departmentId: true } }),
      db.task.findMany({ where: { flowId: found.flowId, status: 'open' }, select: { id: true, stepKey: true, type: true, assigneeId: true, dueAt: true } }),
    ]);
    await auditRiskRead(db, caller, 'retention', [found.employeeId], found.flowId);
    reply(res, retentionCaseView, { ...found, employee, openTasks: tasks, stayInterview: found.stayInterview as never, review: found.review as never, actionChecks: found.actionChecks as never });
  });

  /** The manager records the stay interview: causes, notes, and actions each with an owner (a manager or HR). */
  router.post('/:flowId/stay-interview', requireRole(...MANAGERS), async (req, res) => {
    const found = await caseToRead(req);
    const body = parseRequest(stayInterviewRequest, req.body, 'body');
    const owners = await db.employee.findMany({ where: { id: { in: body.actions.map((a) => a.ownerId) }, status: 'active' }, select: { id: true, roles: true } });
    refuseFields(
      body.actions.flatMap((a, i) => {
        const owner = owners.find((o) => o.id === a.ownerId);
        if (!owner) return [{ field: `actions.${i}.ownerId`, reason: `no active employee ${a.ownerId}` }];
        return owner.roles.some((r) => MANAGERS.includes(r)) ? [] : [{ field: `actions.${i}.ownerId`, reason: 'an action is owned by a manager or HR: risk stays out of everyone else\'s sight' }];
      }),
    );
    res.json(await flows.send(found.flowId, recordStayInterview, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'stay-interview')));
  });

  router.post('/:flowId/review', requireRole(...HR), async (req, res) => {
    const found = await caseToRead(req);
    const body = parseRequest(retentionReviewRequest, req.body, 'body');
    res.json(await flows.send(found.flowId, reviewRetention, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'review')));
  });

  /** An action's owner says whether it was done (they may be a manager of another team: the flow checks they hold its task). */
  router.post('/:flowId/action-checks', requireRole(...MANAGERS), async (req, res) => {
    const { flowId } = parseRequest(retentionParams, req.params, 'params');
    const body = parseRequest(actionCheckRequest, req.body, 'body');
    if (!(await db.retentionCase.count({ where: { flowId } }))) throw new HttpProblem(404, 'Not found', `no retention flow ${flowId}`);
    res.json(await flows.send(flowId, checkRetentionAction, { ...body, actorId: callerOf(req).id }, updateIdOf(req, `action-check:${body.actionNo}`)));
  });

  router.post('/:flowId/close', requireRole(...HR), async (req, res) => {
    const found = await caseToRead(req);
    const body = parseRequest(retentionCloseRequest, req.body, 'body');
    res.json(await flows.send(found.flowId, closeRetention, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'close')));
  });

  return router;
}
