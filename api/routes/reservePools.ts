import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recurrence } from '../../domain/recurrence';
import {
  assessRequest,
  averageOf,
  keyPosition,
  KEY_POSITIONS,
  nominateRequest,
  poolMinimumRequest,
  poolReviewRequest,
  POOL_REVIEW_SCHEDULE_ID,
  rankCandidates,
  reservePoolFlowId,
  shortfall,
  standingScore,
  withdrawRequest,
  type KeyPosition,
} from '../../domain/reservePool';
import type { Db } from '../../prisma/db';
import type { UpdateDefinition } from '@temporalio/common';
import { assessCandidate, nominateCandidate, reviewPool, setPoolMinimum, withdrawCandidate, type PoolChange } from '../../workflows/messages';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { OVERSEERS } from '../flowAccess';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { poolChangedView, poolReviewedView, poolReviewScheduleView, reply, reservePoolListView, reservePoolView } from '../views';
import { updateIdOf } from './flowMessages';

export const poolParams = z.object({ position: keyPosition });
export const poolCandidateParams = poolParams.extend({ employeeId: z.string().min(1).max(100) });
export const poolReviewScheduleRequest = z.object({ schedule: recurrence });

/** Each pool candidate with what the system holds on them, ranked as the pool ranks them. */
export async function rankedPool(db: Db, position: KeyPosition, except: string[] = []) {
  const rows = await db.reserveCandidate.findMany({ where: { position, status: 'active', employeeId: { notIn: except } }, orderBy: { nominatedAt: 'asc' } });
  const ids = rows.map((r) => r.employeeId);
  const [people, knowledge, behaviour] = await Promise.all([
    db.employee.findMany({ where: { id: { in: [...ids, ...rows.map((r) => r.nominatedById)] } }, select: { id: true, name: true, employeeNo: true, departmentId: true, status: true } }),
    db.knowledgeScore.findMany({ where: { employeeId: { in: ids } }, select: { employeeId: true, score: true } }),
    db.followUpCheckpoint.findMany({ where: { employeeId: { in: ids }, application: { not: null } }, select: { employeeId: true, application: true } }),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const candidates = rows
    .filter((r) => byId.get(r.employeeId)?.status === 'active')
    .map((r) => {
      const standing = {
        knowledgeScores: knowledge.filter((k) => k.employeeId === r.employeeId).map((k) => k.score),
        behaviourRatings: behaviour.filter((b) => b.employeeId === r.employeeId).map((b) => b.application!),
        panelRating: r.panelRating,
      };
      return {
        ...r,
        readiness: r.readiness as 'ready_now' | 'ready_later',
        nominatedAt: r.nominatedAt.toISOString(),
        employee: byId.get(r.employeeId)!,
        nominatedBy: byId.get(r.nominatedById) ?? { id: r.nominatedById, name: r.nominatedById },
        score: standingScore(standing),
        knowledgeAverage: averageOf(standing.knowledgeScores),
        behaviourAverage: averageOf(standing.behaviourRatings),
      };
    });
  return rankCandidates(candidates);
}

/** A manager nominates people they manage (or whose department they head); HR anyone. */
async function mayNominate(db: Db, caller: Caller, nominee: { managerId: string | null; departmentId: string }): Promise<boolean> {
  if (hasRole(caller, 'hr')) return true;
  if (nominee.managerId === caller.id) return true;
  return (await db.department.count({ where: { id: nominee.departmentId, headId: caller.id } })) > 0;
}

/**
 * The reserve pools (后备人才库): HR, the company's leaders and managers read them (a collector never
 * does); managers nominate their own people; HR assesses, withdraws, sets minimums, reviews each
 * quarter and sets when the quarterly review comes. Every change goes through the pool's flow.
 */
export function reservePoolRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();
  router.use(requireRole(...OVERSEERS, 'manager'));

  const poolOf = (req: Request) => parseRequest(poolParams, req.params, 'params').position;
  const change = <A extends { actorId: string }>(req: Request, position: KeyPosition, update: UpdateDefinition<PoolChange, [A]>, args: Omit<A, 'actorId'>, what: string) =>
    flows.changePool({ position, settings: flowDefaults }, update, { ...args, actorId: callerOf(req).id } as A, updateIdOf(req, what) ?? randomUUID());

  async function summaries(positions: readonly KeyPosition[]) {
    const pools = await db.reservePool.findMany({ where: { position: { in: [...positions] } } });
    return Promise.all(
      positions.map(async (position) => {
        const pool = pools.find((p) => p.position === position);
        const candidates = await rankedPool(db, position);
        return {
          position,
          flowId: reservePoolFlowId(position),
          minimum: pool?.minimum ?? 0,
          held: candidates.length,
          needed: shortfall(candidates.length, pool?.minimum ?? 0),
          readyNow: candidates.filter((c) => c.readiness === 'ready_now').length,
          short: pool?.shortSince != null,
          shortSince: pool?.shortSince ?? null,
          lastReviewedAt: pool?.lastReviewedAt ?? null,
          candidates,
        };
      }),
    );
  }

  router.get('/', async (_req, res) => {
    reply(res, reservePoolListView, { items: (await summaries(KEY_POSITIONS)).map(({ candidates: _c, flowId: _f, ...summary }) => summary) });
  });

  /** When the quarterly review comes (quarterly by default): the Schedule is created or follows the new rhythm. */
  router.put('/review-schedule', requireRole('hr'), async (req, res) => {
    const { schedule } = parseRequest(poolReviewScheduleRequest, req.body, 'body');
    await flows.keepRecurring(POOL_REVIEW_SCHEDULE_ID, schedule, 'reservePoolReviews', [{ settings: flowDefaults }]);
    reply(res, poolReviewScheduleView, { scheduleId: POOL_REVIEW_SCHEDULE_ID, schedule });
  });

  router.post('/review-schedule/run-now', requireRole('hr'), async (_req, res) => {
    if (!(await flows.hasSchedule(POOL_REVIEW_SCHEDULE_ID))) throw new HttpProblem(404, 'Not found', 'no quarterly review is scheduled yet: PUT /reserve-pools/review-schedule first');
    await flows.changeRecurring(POOL_REVIEW_SCHEDULE_ID, { runNow: true });
    res.status(202).json({ scheduleId: POOL_REVIEW_SCHEDULE_ID });
  });

  router.get('/:position', async (req, res) => {
    const [pool] = await summaries([poolOf(req)]);
    const task = await db.task.findFirst({ where: { flowId: pool!.flowId, type: 'reserve_pool_review', status: 'open' }, select: { id: true, assigneeId: true, dueAt: true } });
    reply(res, reservePoolView, { ...pool!, reviewTask: task && { taskId: task.id, assigneeId: task.assigneeId, dueAt: task.dueAt } });
  });

  router.post('/:position/candidates', async (req, res) => {
    const position = poolOf(req);
    const body = parseRequest(nominateRequest, req.body, 'body');
    const nominee = await db.employee.findUnique({ where: { id: body.employeeId } });
    refuseFields(nominee?.status === 'active' ? [] : [{ field: 'employeeId', reason: nominee ? `${nominee.name} is not an active employee` : `no employee ${body.employeeId}` }]);
    if (!(await mayNominate(db, callerOf(req), nominee!))) throw new HttpProblem(403, 'Forbidden', 'a manager nominates the people they manage; HR nominates anyone', undefined, 'not_allowed');
    reply(res, poolChangedView, await change(req, position, nominateCandidate, body, `nominate:${position}:${body.employeeId}`), 201);
  });

  /** A candidate in the pool, or a 404 before anything reaches the pool's flow (which checks again). */
  async function candidateOf(req: Request) {
    const { position, employeeId } = parseRequest(poolCandidateParams, req.params, 'params');
    if (!(await db.reserveCandidate.count({ where: { position, employeeId, status: 'active' } }))) {
      throw new HttpProblem(404, 'Not found', `${employeeId} is not a candidate in the ${position} pool`);
    }
    return { position, employeeId };
  }

  router.post('/:position/candidates/:employeeId/assessment', requireRole('hr'), async (req, res) => {
    const { position, employeeId } = await candidateOf(req);
    const body = parseRequest(assessRequest, req.body, 'body');
    reply(res, poolChangedView, await change(req, position, assessCandidate, { ...body, employeeId }, `assess:${position}:${employeeId}`));
  });

  router.post('/:position/candidates/:employeeId/withdrawal', requireRole('hr'), async (req, res) => {
    const { position, employeeId } = await candidateOf(req);
    const body = parseRequest(withdrawRequest, req.body, 'body');
    reply(res, poolChangedView, await change(req, position, withdrawCandidate, { ...body, employeeId }, `withdraw:${position}:${employeeId}`));
  });

  router.put('/:position/minimum', requireRole('hr'), async (req, res) => {
    const position = poolOf(req);
    const body = parseRequest(poolMinimumRequest, req.body, 'body');
    reply(res, poolChangedView, await change(req, position, setPoolMinimum, body, `minimum:${position}`));
  });

  /** The quarter's review, by whoever holds its task (the flow checks). */
  router.post('/:position/reviews', requireRole('hr'), async (req, res) => {
    const position = poolOf(req);
    const body = parseRequest(poolReviewRequest, req.body, 'body');
    reply(res, poolReviewedView, await flows.send(reservePoolFlowId(position), reviewPool, { ...body, actorId: callerOf(req).id }, updateIdOf(req, `review:${position}`)));
  });

  return router;
}
