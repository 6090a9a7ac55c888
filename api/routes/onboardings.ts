import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  assessmentRequest,
  checkInRequest,
  coachingRequest,
  confirmDocumentRequest,
  cultureRequest,
  drillRequest,
  enrolRequest,
  onboardingFlowId,
  portfolioRequest,
  probationRequest,
  pulseRequest,
  registerOnboardingRequest,
  startDateProblem,
  type RegisterOnboardingRequest,
} from '../../domain/onboarding';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { cancelFlowRequest } from '../../domain/tasks';
import type { Prisma } from '../../prisma/db';
import {
  answerPulse,
  assessHire,
  assignPortfolio,
  attestCulture,
  cancelFlow,
  changeSessionParticipants,
  checkInHire,
  confirmDocument,
  decideProbation,
  enrolHire,
  logHireCoaching,
  scoreDrill,
} from '../../workflows/messages';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { flowToRead, heldBy, OVERSEERS } from '../flowAccess';
import { idFor } from '../flows';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest, refuseFields, type FieldError } from '../problems';
import { onboardingAnswerView, onboardingPageView, onboardingStartedView, onboardingView, reply } from '../views';
import { updateIdOf } from './flowMessages';

export const onboardingParams = z.object({ employeeId: z.string().min(1).max(100) });
/** HR may give the flow its own settings (shorter durations, another pass mark), as for a handover. */
export const registerOnboardingBody = registerOnboardingRequest.safeExtend({ settings: flowSettingsOverrides.optional() });
export const listOnboardingsQuery = z.object({ status: z.enum(['open', 'passed', 'ended', 'cancelled']).optional(), ...pageParams() });

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Onboarding (DOMAIN.md §6): HR registers a hire; each step's form goes to the hire's flow, which
 * says whether the sender may send it now. The overseers, the hire and those holding its tasks read it.
 */
export function onboardingRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  /** The hire the registration is for, refusing what cannot be: unknown people, places and documents. */
  async function hireOf(body: RegisterOnboardingRequest): Promise<string> {
    const errors: FieldError[] = [];
    const [department, manager, trainer, documents] = await Promise.all([
      db.department.findUnique({ where: { id: body.departmentId }, select: { id: true } }),
      db.employee.findUnique({ where: { id: body.managerId }, select: { status: true } }),
      db.employee.findUnique({ where: { id: body.trainerId }, select: { status: true, roles: true } }),
      db.document.findMany({ where: { id: { in: body.documentIds } }, select: { id: true } }),
    ]);
    if (!department) errors.push({ field: 'departmentId', reason: `no department ${body.departmentId}` });
    if (manager?.status !== 'active') errors.push({ field: 'managerId', reason: `no active employee ${body.managerId}` });
    if (trainer?.status !== 'active' || !trainer.roles.includes('trainer')) errors.push({ field: 'trainerId', reason: `${body.trainerId} is not an active trainer` });
    const unknown = body.documentIds.filter((d) => !documents.some((k) => k.id === d));
    if (unknown.length) errors.push({ field: 'documentIds', reason: `no document ${unknown.join(', ')}` });
    const late = startDateProblem(body.startDate, Date.now());
    if (late) errors.push({ field: 'startDate', reason: late.replace(/^startDate: /, '') });

    const employeeId = body.employeeId ?? idFor('employee', body.person!.employeeNo.toUpperCase());
    const known = body.employeeId
      ? await db.employee.findUnique({ where: { id: body.employeeId } })
      : await db.employee.findFirst({ where: { OR: [{ id: employeeId }, { employeeNo: body.person!.employeeNo }, { email: body.person!.email }] } });
    if (body.employeeId && !known) errors.push({ field: 'employeeId', reason: `no employee ${body.employeeId}` });
    refuseFields(errors);
    if (known && (known.status === 'active' || known.status === 'leaving')) {
      throw new HttpProblem(409, 'Already an employee', `${known.name} (${known.employeeNo}) is an active employee: there is no one to onboard`, undefined, 'already_employed');
    }
    // A person on record under another id (their employee number or email) comes back by that id.
    if (known && known.id !== employeeId) {
      throw new HttpProblem(409, 'Known person', `${known.name} (${known.employeeNo}) is on record: register them by employeeId ${known.id}`, undefined, 'known_person');
    }
    return employeeId;
  }

  router.post('/', requireRole('hr'), async (req, res) => {
    const body = parseRequest(registerOnboardingBody, req.body, 'body');
    const employeeId = await hireOf(body);
    const { employeeId: _given, settings, ...rest } = body;
    const started = await flows.startOnboarding({ ...rest, employeeId, hrId: callerOf(req).id, settings: withOverrides(flowDefaults, settings) }).catch((err: unknown) => {
      if (err instanceof HttpProblem && err.code === 'flow_closed') throw new HttpProblem(409, 'Already onboarded', 'this person\'s onboarding has already run', undefined, 'flow_closed');
      throw err;
    });
    res.location(`/api/v1/onboardings/${employeeId}`);
    reply(res, onboardingStartedView, started, 202);
  });

  /** The onboardings the caller takes part in (as the hire, their manager or trainer; all for the overseers). */
  router.get('/', async (req, res) => {
    const q = parseRequest(listOnboardingsQuery, req.query, 'query');
    const caller = callerOf(req);
    const theirs: Prisma.OnboardingWhereInput = hasRole(caller, ...OVERSEERS) ? {} : { OR: [{ employeeId: caller.id }, { managerId: caller.id }, { trainerId: caller.id }] };
    const where: Prisma.OnboardingWhereInput = { ...theirs, ...(q.status ? { status: q.status } : {}) };
    const page = await pageFrom(
      q,
      (window) => db.onboarding.findMany({ where, orderBy: [{ status: 'asc' }, { startDate: 'desc' }, { employeeId: 'asc' }], ...window }),
      () => db.onboarding.count({ where }),
    );
    const hires = await db.employee.findMany({ where: { id: { in: page.items.map((o) => o.employeeId) } }, select: { id: true, name: true, status: true } });
    reply(res, onboardingPageView, { ...page, items: page.items.map((o) => ({ ...o, startDate: day(o.startDate), hire: hires.find((h) => h.id === o.employeeId)! })) });
  });

  async function onboardingToRead(req: Request) {
    const { employeeId } = parseRequest(onboardingParams, req.params, 'params');
    const flowId = onboardingFlowId(employeeId);
    const caller = callerOf(req);
    if (caller.id !== employeeId) await flowToRead(db, caller, flowId, employeeId);
    const onboarding = await db.onboarding.findUnique({ where: { employeeId } });
    if (!onboarding) throw new HttpProblem(404, 'Not found', `no onboarding of ${employeeId}`);
    return onboarding;
  }

  /** One onboarding with its timeline: each step's task (due, done, late, chased) and what each step recorded. */
  router.get('/:employeeId', async (req, res) => {
    const o = await onboardingToRead(req);
    const k = { employeeId: o.employeeId };
    const [hire, tasks, documents, drills, coaching, assessments, decisions, checkIns, pulses, live] = await Promise.all([
      db.employee.findUniqueOrThrow({ where: { id: o.employeeId }, select: { id: true, name: true, status: true } }),
      db.task.findMany({ where: { flowId: o.flowId }, orderBy: [{ createdAt: 'asc' }, { stepKey: 'asc' }] }),
      db.documentConfirmation.findMany({ where: k, orderBy: [{ documentId: 'asc' }, { version: 'asc' }] }),
      db.onboardingDrill.findMany({ where: k, orderBy: { drillNo: 'asc' } }),
      db.onboardingCoaching.findMany({ where: k, orderBy: { sessionNo: 'asc' } }),
      db.onboardingAssessment.findMany({ where: k, orderBy: [{ round: 'asc' }, { attempt: 'asc' }] }),
      db.onboardingDecision.findMany({ where: k, orderBy: [{ round: 'asc' }, { pass: 'asc' }] }),
      db.onboardingCheckIn.findMany({ where: k, orderBy: { checkpoint: 'asc' } }),
      db.onboardingPulse.findMany({ where: k, orderBy: { checkpoint: 'asc' } }),
      o.status === 'open' ? flows.liveState(o.flowId) : undefined,
    ]);
    const rules = live?.details as { coachingMinimum?: number; drillCriteria?: { key: string; name: string }[] } | undefined;
    const now = Date.now();
    reply(res, onboardingView, {
      ...o,
      startDate: day(o.startDate),
      hire,
      steps: tasks.map((t) => ({
        ...t,
        doneAt: t.decidedAt,
        late: (t.decidedAt?.getTime() ?? (t.status === 'open' ? now : 0)) > t.dueAt.getTime(),
        remindersSent: t.reminderCount,
      })),
      documents,
      drills: drills.map((d) => ({ ...d, scores: d.scores as Record<string, number> })),
      coaching: coaching.map((c) => ({ ...c, heldOn: day(c.heldOn) })),
      assessments,
      decisions,
      checkIns: checkIns.map((c) => ({ ...c, heldOn: day(c.heldOn) })),
      pulses,
      rules: rules?.coachingMinimum && rules.drillCriteria ? { coachingMinimum: rules.coachingMinimum, drillCriteria: rules.drillCriteria } : null,
    });
  });

  /** A step's form, as an Update to the hire's flow with its sender. */
  function stepForm<A>(path: string, request: z.ZodType<A>, update: Parameters<typeof flows.send>[1], before?: (req: Request, body: A) => Promise<void>) {
    router.post(`/:employeeId/${path}`, async (req, res) => {
      const { employeeId } = parseRequest(onboardingParams, req.params, 'params');
      const body = parseRequest(request, req.body, 'body');
      const flowId = onboardingFlowId(employeeId);
      if (!(await db.onboarding.findUnique({ where: { employeeId }, select: { status: true } }))) throw new HttpProblem(404, 'Not found', `no onboarding of ${employeeId}`);
      await before?.(req, body);
      const answer = await flows.send(flowId, update, { ...body, actorId: callerOf(req).id }, updateIdOf(req, path));
      reply(res, onboardingAnswerView, answer as z.output<typeof onboardingAnswerView>);
    });
  }

  stepForm('culture', cultureRequest, attestCulture);
  stepForm('documents', confirmDocumentRequest, confirmDocument);
  // HR enrols the hire in a session: first the session takes them (its flow refuses once sign-in
  // has opened), then the onboarding hears which one. Only the holder of the enrolment task may.
  stepForm('training', enrolRequest, enrolHire, async (req, { sessionId }) => {
    const { employeeId } = parseRequest(onboardingParams, req.params, 'params');
    const caller = callerOf(req);
    const enrolment = await db.task.findFirst({ where: { flowId: onboardingFlowId(employeeId), type: 'onboarding_enrolment', status: 'open' } });
    if (!enrolment) throw new HttpProblem(409, 'Refused by the flow', 'the hire is not waiting to be enrolled in a session', undefined, 'wrong_state');
    if (!(await db.task.count({ where: { id: enrolment.id, ...heldBy(caller.id) } }))) throw new HttpProblem(403, 'Forbidden', 'only the holder of the enrolment task enrols the hire', undefined, 'not_your_task');
    const session = await db.trainingSession.findUnique({ where: { id: sessionId }, include: { participants: { where: { employeeId }, select: { employeeId: true } } } });
    if (!session) refuseFields([{ field: 'sessionId', reason: `no training session ${sessionId}` }]);
    if (session!.status !== 'scheduled') refuseFields([{ field: 'sessionId', reason: `the session is ${session!.status}: choose one still ahead` }]);
    if (!session!.participants.length) {
      await flows.send(session!.flowId, changeSessionParticipants, { add: [employeeId], remove: [], actorId: caller.id }, updateIdOf(req, `enrol:${employeeId}`));
    }
  });
  stepForm('drills', drillRequest, scoreDrill);
  stepForm('coaching', coachingRequest, logHireCoaching);
  stepForm('assessment', assessmentRequest, assessHire);
  stepForm('probation', probationRequest, decideProbation, async (_req, p) => {
    if (p.decision !== 'reassign') return;
    const [department, manager] = await Promise.all([
      db.department.findUnique({ where: { id: p.departmentId! }, select: { id: true } }),
      db.employee.findUnique({ where: { id: p.managerId! }, select: { status: true } }),
    ]);
    refuseFields([
      ...(department ? [] : [{ field: 'departmentId', reason: `no department ${p.departmentId}` }]),
      ...(manager?.status === 'active' ? [] : [{ field: 'managerId', reason: `no active employee ${p.managerId}` }]),
    ]);
  });
  stepForm('check-ins', checkInRequest, checkInHire);
  // HR cancels an onboarding (the hire never came, or was registered by mistake): its tasks close, the
  // person never joined, the reason stays with the flow's end. The flow refuses once the hire passed or left.
  router.post('/:employeeId/cancel', requireRole('hr'));
  stepForm('cancel', cancelFlowRequest, cancelFlow);
  stepForm('pulse', pulseRequest, answerPulse);
  // Accounts that are not on record are refused here, before the flow moves any.
  stepForm('portfolio', portfolioRequest, assignPortfolio, async (_req, { accountIds }) => {
    const found = await db.account.findMany({ where: { id: { in: accountIds } }, select: { id: true } });
    const unknown = accountIds.filter((a) => !found.some((f) => f.id === a));
    if (unknown.length) refuseFields([{ field: 'accountIds', reason: `no account ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}` }]);
  });

  return router;
}
