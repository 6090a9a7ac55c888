import { Router, type Request } from 'express';
import { z } from 'zod';
import { teamRebuildingFlowId, teamTalkRequest } from '../../domain/teamRebuilding';
import type { Prisma } from '../../prisma/db';
import { recordTeamTalk } from '../../workflows/messages';
import { callerOf, hasRole } from '../auth';
import type { ApiContext } from '../context';
import { flowToRead, heldBy, OVERSEERS } from '../flowAccess';
import { pageFrom, pageParams } from '../pagination';
import { parseRequest } from '../problems';
import { reply, teamRebuildingPageView, teamRebuildingView, teamTalkRecordedView } from '../views';
import { updateIdOf } from './flowMessages';

export const teamRebuildingParams = z.object({ resignationId: z.string().min(1).max(100) });
export const listTeamRebuildingsQuery = z.object({ status: z.enum(['open', 'done', 'cancelled']).optional(), ...pageParams() });

type RebuildingRow = Prisma.TeamRebuildingGetPayload<object>;

/**
 * Team rebuilding after a departure: the head (or whoever a talk's task went to) records each talk;
 * the overseers and those holding its tasks read it, as any flow's page.
 */
export function teamRebuildingRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function named(rows: RebuildingRow[]) {
    const ids = [...new Set(rows.flatMap((r) => [r.leaverId, r.headId, ...r.memberIds]))];
    const people = new Map((await db.employee.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, p]));
    return rows.map((r) => ({ ...r, leaver: people.get(r.leaverId)!, head: people.get(r.headId)!, members: r.memberIds.map((m) => people.get(m)!) }));
  }

  async function rebuildingToRead(req: Request) {
    const { resignationId } = parseRequest(teamRebuildingParams, req.params, 'params');
    await flowToRead(db, callerOf(req), teamRebuildingFlowId(resignationId), resignationId);
    return db.teamRebuilding.findUniqueOrThrow({ where: { resignationId }, include: { talks: { orderBy: { recordedAt: 'asc' } } } });
  }

  /** The rebuildings the caller takes part in (all of them for the overseers), open ones first. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listTeamRebuildingsQuery, req.query, 'query');
    const caller = callerOf(req);
    const theirs = hasRole(caller, ...OVERSEERS)
      ? {}
      : { flowId: { in: (await db.task.findMany({ where: { type: { in: ['team_meeting', 'team_one_to_one'] }, ...heldBy(caller.id) }, select: { flowId: true }, distinct: ['flowId'] })).map((t) => t.flowId) } };
    const where: Prisma.TeamRebuildingWhereInput = { ...theirs, ...(q.status ? { status: q.status } : {}) };
    const page = await pageFrom(
      q,
      (window) => db.teamRebuilding.findMany({ where, orderBy: [{ status: 'desc' }, { dueAt: 'asc' }, { resignationId: 'asc' }], ...window }),
      () => db.teamRebuilding.count({ where }),
    );
    reply(res, teamRebuildingPageView, { ...page, items: await named(page.items) });
  });

  router.get('/:resignationId', async (req, res) => {
    const { talks, ...rebuilding } = await rebuildingToRead(req);
    const held = await db.task.findMany({ where: { flowId: rebuilding.flowId, status: 'open', ...heldBy(callerOf(req).id) }, select: { stepKey: true } });
    const [view] = await named([rebuilding]);
    reply(res, teamRebuildingView, {
      ...view!,
      talks: talks.map((t) => ({ ...t, heldOn: t.heldOn.toISOString().slice(0, 10) })),
      mayRecord: held.map((t) => t.stepKey),
    });
  });

  /** A talk held: the meeting (no memberId) or a one-to-one. Its flow checks who may record it. */
  router.post('/:resignationId/talks', async (req, res) => {
    const { resignationId } = parseRequest(teamRebuildingParams, req.params, 'params');
    const body = parseRequest(teamTalkRequest, req.body, 'body');
    const flowId = teamRebuildingFlowId(resignationId);
    await flowToRead(db, callerOf(req), flowId, resignationId);
    reply(res, teamTalkRecordedView, await flows.send(flowId, recordTeamTalk, { ...body, actorId: callerOf(req).id }, updateIdOf(req, `talk:${body.memberId ?? 'meeting'}`)));
  });

  return router;
}
