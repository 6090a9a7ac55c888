import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { cancelFlowRequest } from '../../domain/tasks';
import {
  attendanceRequest,
  calendarInvite,
  closeSignInRequest,
  currentSignInCode,
  feedbackRequest,
  monitorRequest,
  noteRequest,
  participantsRequest,
  reportRequest,
  rescheduleRequest,
  signInRequest,
  trainerRequest,
  type SessionSummary,
} from '../../domain/trainingSession';
import {
  cancelFlow,
  changeSessionParticipants,
  closeSessionSignIn,
  logSessionNote,
  nameSessionMonitor,
  nameSessionTrainer,
  recordSessionAttendance,
  rescheduleSession,
  signInToSession,
  submitSessionFeedback,
  submitSessionReport,
} from '../../workflows/messages';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { reply, sessionPageView, sessionView, signInCodeView } from '../views';
import { messageRoute } from './flowMessages';

type SessionView = z.infer<typeof sessionView>;

export const sessionIdParams = z.object({ id: z.uuid('must be a training session id (uuid)') });
export const listSessionsQuery = z
  .object({
    planId: z.uuid('must be a plan id (uuid)').optional(),
    from: z.iso.datetime({ offset: true }).optional().meta({ description: 'sessions starting at or after this instant' }),
    to: z.iso.datetime({ offset: true }).optional().meta({ description: 'sessions starting before this instant' }),
    status: z.enum(['scheduled', 'signing_in', 'in_progress', 'feedback', 'completed', 'cancelled']).optional(),
    ...pageParams(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { message: 'must be after from', path: ['to'] });

/** Who sees every session and everyone's attendance: HR, its director, admins, trainers, managers. */
const STAFF = ['hr', 'hr_director', 'admin', 'trainer', 'manager'] as const;

export function trainingSessionRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function loadSession(req: Request) {
    const { id } = parseRequest(sessionIdParams, req.params, 'params');
    const session = await db.trainingSession.findUnique({ where: { id } });
    if (!session) throw new HttpProblem(404, 'Not found', `no training session ${id}`);
    return session;
  }

  const runsIt = (caller: Caller, s: { trainerId: string | null }) => hasRole(caller, 'hr', 'admin') || s.trainerId === caller.id;

  /** The calendar: staff see every session, everyone else the sessions they take part in. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listSessionsQuery, req.query, 'query');
    const caller = callerOf(req);
    const where = {
      planId: q.planId,
      status: q.status,
      startsAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) },
      ...(hasRole(caller, ...STAFF) ? {} : { participants: { some: { employeeId: caller.id } } }),
    };
    const omit = { signInSecret: true, codeRotationMs: true } as const;
    reply(
      res,
      sessionPageView,
      await pageFrom(
        q,
        (window) => db.trainingSession.findMany({ where, omit, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], ...window }),
        () => db.trainingSession.count({ where }),
      ),
    );
  });

  /** The session, if the caller is staff, its trainer or one of its participants (then with their own row). */
  async function readableSession(req: Request) {
    const session = await loadSession(req);
    const caller = callerOf(req);
    const staff = hasRole(caller, ...STAFF) || session.trainerId === caller.id;
    const own = await db.sessionParticipant.findUnique({ where: { sessionId_employeeId: { sessionId: session.id, employeeId: caller.id } } });
    if (!staff && !own) throw new HttpProblem(403, 'Forbidden', 'only participants, their trainer and staff may read this session');
    return { session, staff, own };
  }

  /** A session: schedule, preparation, participants with attendance, notes, summary, open tasks.
   *  A participant sees the session and their own attendance only. */
  router.get('/:id', async (req, res) => {
    const { session, staff, own } = await readableSession(req);
    const { signInSecret: _secret, codeRotationMs: _rotation, ...visible } = session;
    const view = { ...visible, report: visible.report as SessionView['report'], summary: visible.summary as unknown as SessionSummary | null };
    if (!staff) return reply(res, sessionView, { ...view, participants: own ? [own] : [] });
    const [participants, notes, openTasks] = await Promise.all([
      db.sessionParticipant.findMany({ where: { sessionId: session.id }, orderBy: { employeeId: 'asc' } }),
      db.sessionNote.findMany({ where: { sessionId: session.id }, orderBy: { createdAt: 'asc' } }),
      db.task.findMany({ where: { flowId: session.flowId, status: 'open' }, orderBy: { createdAt: 'asc' }, select: { id: true, type: true, title: true, assigneeId: true, dueAt: true } }),
    ]);
    reply(res, sessionView, { ...view, participants, notes, openTasks });
  });

  /** The calendar invitation as a file (the same one the notices carry). */
  router.get('/:id/calendar.ics', async (req, res) => {
    const { session } = await readableSession(req);
    const schedule = { startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), location: session.location ?? undefined };
    const method = session.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
    res.type('text/calendar').send(calendarInvite({ uid: `${session.id}@baton`, sequence: session.scheduleVersion, title: session.title, schedule, description: session.title, method, stampedAt: session.updatedAt.toISOString() }));
  });

  /** The code to show in the room now (trainer, HR): six digits, a sign-in link and its QR code. */
  async function signInCodeOf(req: Request) {
    const session = await loadSession(req);
    if (!runsIt(callerOf(req), session)) throw new HttpProblem(403, 'Forbidden', 'only the session’s trainer and HR may fetch its sign-in code');
    const { code, validUntil } = currentSignInCode(session.signInSecret, Date.now(), session.codeRotationMs);
    const link = `${req.protocol}://${req.get('host')}/sign-in/${session.id}?code=${code}`;
    return { sessionId: session.id, code, validUntil: new Date(validUntil).toISOString(), link };
  }
  router.get('/:id/sign-in-code', async (req, res) => {
    const c = await signInCodeOf(req);
    reply(res, signInCodeView, { code: c.code, validUntil: c.validUntil, link: c.link, qr: { svg: `/api/v1/training-sessions/${c.sessionId}/sign-in-code.svg`, png: `/api/v1/training-sessions/${c.sessionId}/sign-in-code.png` } });
  });
  router.get('/:id/sign-in-code.svg', async (req, res) => {
    res.set('Cache-Control', 'no-store').type('image/svg+xml').send(await QRCode.toString((await signInCodeOf(req)).link, { type: 'svg', margin: 1 }));
  });
  router.get('/:id/sign-in-code.png', async (req, res) => {
    res.set('Cache-Control', 'no-store').type('image/png').send(await QRCode.toBuffer((await signInCodeOf(req)).link, { margin: 1, width: 320 }));
  });

  /** People named in a request exist and are still with the company; one 422 names every other. */
  async function mustBeActive(ids: string[], field: string) {
    const found = await db.employee.findMany({ where: { id: { in: ids }, status: { not: 'left' } }, select: { id: true } });
    refuseFields(ids.filter((id) => !found.some((e) => e.id === id)).map((id) => ({ field, reason: `no active employee ${id}` })));
  }

  const sessionFlow = async (req: Request) => (await loadSession(req)).flowId;
  router.post('/:id/participants', requireRole('hr'), async (req, _res, next) => {
    const body = parseRequest(participantsRequest, req.body, 'body');
    await mustBeActive(body.add, 'add');
    next();
  });
  messageRoute(router, flows, sessionFlow, 'participants', participantsRequest, changeSessionParticipants, ['hr']);
  messageRoute(router, flows, sessionFlow, 'reschedule', rescheduleRequest, rescheduleSession, ['hr']);
  messageRoute(router, flows, sessionFlow, 'cancel', cancelFlowRequest, cancelFlow, ['hr']);
  router.post('/:id/trainer', requireRole('hr'), async (req, _res, next) => {
    const body = parseRequest(trainerRequest, req.body, 'body');
    await mustBeActive([body.trainerId], 'trainerId');
    next();
  });
  messageRoute(router, flows, sessionFlow, 'trainer', trainerRequest, nameSessionTrainer, ['hr']);
  router.post('/:id/monitor', requireRole('hr'), async (req, _res, next) => {
    const body = parseRequest(monitorRequest, req.body, 'body');
    await mustBeActive([body.monitorId], 'monitorId');
    next();
  });
  messageRoute(router, flows, sessionFlow, 'monitor', monitorRequest, nameSessionMonitor, ['hr']);
  messageRoute(router, flows, sessionFlow, 'sign-in', signInRequest, signInToSession);
  messageRoute(router, flows, sessionFlow, 'close-sign-in', closeSignInRequest, closeSessionSignIn, ['hr', 'trainer']);
  messageRoute(router, flows, sessionFlow, 'attendance', attendanceRequest, recordSessionAttendance, ['hr', 'trainer']);
  messageRoute(router, flows, sessionFlow, 'notes', noteRequest, logSessionNote);
  messageRoute(router, flows, sessionFlow, 'feedback', feedbackRequest, submitSessionFeedback);
  messageRoute(router, flows, sessionFlow, 'report', reportRequest, submitSessionReport, ['hr', 'trainer']);

  return router;
}
