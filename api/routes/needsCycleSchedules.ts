import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { needsCycleScheduleChange, needsCycleScheduleRequest } from '../../domain/needsCycle';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { needsScheduleId } from '../../workflows/scheduledNeedsCycle';
import { callerOf, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { needsCycleSchedulePageView, needsCycleScheduleView, reply } from '../views';
import { recurringControls } from './recurring';

export const needsScheduleIdParams = z.object({ id: z.uuid('must be a needs-cycle schedule id (uuid)') });
export const listNeedsSchedulesQuery = z.object({ status: z.enum(['active', 'paused', 'deleted']).optional(), ...pageParams() });
export const createNeedsScheduleBody = needsCycleScheduleRequest.safeExtend({ settings: flowSettingsOverrides.optional() });

const CYCLES = { orderBy: [{ createdAt: 'desc' as const }, { id: 'asc' as const }], take: 12 };
const FINISHED = ['confirmed', 'cancelled'];

/** The yearly needs cycle: HR sets what it asks and when; its Schedule starts each cycle. */
export function needsCycleScheduleRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();
  router.use(requireRole('hr', 'hr_director', 'admin'));

  async function loadSchedule(req: Request) {
    const { id } = parseRequest(needsScheduleIdParams, req.params, 'params');
    const schedule = await db.needsCycleSchedule.findUnique({ where: { id }, include: { cycles: CYCLES } });
    if (!schedule || schedule.status === 'deleted') throw new HttpProblem(404, 'Not found', `no needs-cycle schedule ${id}`);
    return schedule;
  }

  router.post('/', requireRole('hr'), async (req, res) => {
    const { settings, ...body } = parseRequest(createNeedsScheduleBody, req.body, 'body');
    const caller = callerOf(req);
    const department = await db.department.findUnique({ where: { id: body.departmentId } });
    const hr = body.hrId ? await db.employee.findFirst({ where: { id: body.hrId, status: 'active' } }) : caller;
    refuseFields([
      ...(department ? [] : [{ field: 'departmentId', reason: `no department ${body.departmentId}` }]),
      ...(hr ? [] : [{ field: 'hrId', reason: `no active employee ${body.hrId}` }]),
    ]);
    const id = randomUUID();
    await db.needsCycleSchedule.create({ data: { id, name: body.name, departmentId: body.departmentId, competencies: body.competencies, surveyWithin: body.surveyWithin, schedule: body.schedule, hrId: hr!.id, createdById: caller.id } });
    try {
      await flows.scheduleRecurring(needsScheduleId(id), body.schedule, 'scheduledNeedsCycle', [{ scheduleId: id, settings: withOverrides(flowDefaults, settings) }]);
    } catch (err) {
      // Without its Schedule it would never start a cycle: it is not kept.
      await db.needsCycleSchedule.delete({ where: { id } });
      throw err;
    }
    res.location(`/api/v1/needs-cycle-schedules/${id}`);
    reply(res, needsCycleScheduleView, { ...(await db.needsCycleSchedule.findUniqueOrThrow({ where: { id } })), cycles: [] }, 201);
  });

  router.get('/', async (req, res) => {
    const q = parseRequest(listNeedsSchedulesQuery, req.query, 'query');
    const where = { status: q.status ?? { not: 'deleted' } };
    reply(
      res,
      needsCycleSchedulePageView,
      await pageFrom(
        q,
        (window) => db.needsCycleSchedule.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], include: { cycles: CYCLES }, ...window }),
        () => db.needsCycleSchedule.count({ where }),
      ),
    );
  });

  router.get('/:id', async (req, res) => reply(res, needsCycleScheduleView, await loadSchedule(req)));

  /** Later cycles start with what it says then; the Schedule follows a new schedule. */
  router.patch('/:id', requireRole('hr'), async (req, res) => {
    const schedule = await loadSchedule(req);
    const change = parseRequest(needsCycleScheduleChange, req.body, 'body');
    if (change.schedule) await flows.changeRecurring(needsScheduleId(schedule.id), { when: change.schedule });
    await db.needsCycleSchedule.update({ where: { id: schedule.id }, data: change });
    reply(res, needsCycleScheduleView, await loadSchedule(req));
  });

  recurringControls(router, flows, {
    load: loadSchedule,
    scheduleIdOf: needsScheduleId,
    setStatus: (id, status) => db.needsCycleSchedule.update({ where: { id }, data: { status } }),
    runGoing: (schedule) => schedule.cycles.filter((c) => !FINISHED.includes(c.status)).map((c) => `the cycle ${c.name}`)[0],
    answer: async (req, res) => reply(res, needsCycleScheduleView, await loadSchedule(req)),
  });

  return router;
}
