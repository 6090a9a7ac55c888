/**
 * New-collector onboarding (新员工入职培训, DOMAIN.md §6), one flow per hire from HR's registration to
 * day 90. Five steps run side by side, each a task due some working days after the start date:
 * the culture attestation, the documents (each version read and confirmed; a new version asks
 * again), a training session HR enrols the hire in, the trainer's drills, the coach's one-to-ones.
 * Then the assessment: a fail opens one retest; a second fail goes to HR, whose decision the head
 * countersigns (extend or reassign, and assess again later; or end probation). A pass makes the
 * hire active and opens their first portfolio. Check-ins at day 30/60/90 run alongside throughout.
 */
import { CancellationScope, condition, isCancellation, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { clockOf } from '../domain/chasing';
import { durationMs } from '../domain/durations';
import {
  assessmentArgs,
  checkInArgs,
  coachingArgs,
  confirmDocumentArgs,
  cultureArgs,
  drillArgs,
  drillResult,
  dueBase,
  enrolArgs,
  extendedUntil,
  heldOnProblem,
  onboardingSettingsOf,
  portfolioArgs,
  probationArgs,
  pulseArgs,
  type OnboardingInput,
  type OnboardingPeople,
  type ProbationArgs,
} from '../domain/onboarding';
import type { FlowSettings, TaskType } from '../domain/settings';
import { elapsedTime } from '../domain/workingTime';
import { FlowEnd } from './flowEnd';
import { TaskInbox, taskMaker, type TaskSpec } from './humanTask';
import {
  answerPulse,
  assessHire,
  assignPortfolio,
  attestCulture,
  checkInHire,
  confirmDocument,
  decideProbation,
  documentRevised,
  enrolHire,
  flowState,
  logHireCoaching,
  onboardingStarted,
  scoreDrill,
  sessionAttendanceFinal,
} from './messages';
import { records, writeThroughRegularActivities } from './records';
import { refuse, validArgs } from './refusals';

export type OnboardingFlowInput = OnboardingInput & { settings: FlowSettings };

type Status = 'opening' | 'open' | 'passed' | 'ended';

export async function onboarding({ settings, ...hire }: OnboardingFlowInput): Promise<'passed' | 'ended' | 'cancelled'> {
  // Five steps, three check-ins and every document's task wait side by side, each with its timers.
  writeThroughRegularActivities();
  const flowId = workflowInfo().workflowId;
  const { employeeId, trainerId, hrId } = hire;
  const rules = onboardingSettingsOf(settings);
  const inbox = new TaskInbox(settings);
  const task = taskMaker(settings.chasing, () => ({ payload: { employeeId }, escalationTargets: { hr: hrId } }));
  const step = { flowId, employeeId };
  /** A task its step's form completes. */
  const formTask = (stepKey: string, type: TaskType, title: string, assigneeId: string, extra: Partial<TaskSpec> & { completedBy: string }) => ({
    ...task(stepKey, type, title, assigneeId, extra),
    completedBy: extra.completedBy,
  });

  let people: OnboardingPeople | undefined;
  let status: Status = 'opening';
  let now = 'registering';
  let round = 1;
  // What each step's form has brought in so far (who sent it completes its task).
  let culturedBy: string | undefined;
  const latest = new Map<string, number>();
  const confirmed = new Map<string, { version: number; by: string }>();
  let enrolled: { sessionId: string; actorId: string } | undefined;
  /** How often a session the hire is in said its attendance is final. */
  let attendanceNews = 0;
  let drill: { no: number; passed?: boolean; by?: string } = { no: 1 };
  let coachingSessions = 0;
  let assessment: { attempt: number; passed?: boolean; by?: string } = { attempt: 1 };
  let proposal: ProbationArgs | undefined;
  let probationPass = 1;
  const checkedIn = new Map<number, string>();
  const pulsed = new Map<number, string>();
  let portfolioBy: string | undefined;
  let assignments = 0;
  let closing = false;

  setHandler(flowState, () => ({
    type: 'onboarding',
    status,
    step: now,
    openTasks: inbox.openTasks,
    details: { employeeId, round, coachingSessions, coachingMinimum: rules.coachingMinimum, drillCriteria: rules.drillCriteria, documents: Object.fromEntries(latest) },
  }));
  setHandler(sessionAttendanceFinal, ({ sessionId }) => {
    if (sessionId === enrolled?.sessionId) attendanceNews++;
  });

  setHandler(onboardingStarted, async () => {
    await condition(() => status !== 'opening');
    return { employeeId, flowId };
  });

  // ---- Due times -------------------------------------------------------------------------------
  const base = () => dueBase(hire.startDate, Date.parse(people!.registeredAt));
  /** Due `offset` after the start date, on the clock of the task type's policy (working days by default). */
  const due = (type: TaskType, offset: string) => clockOf(settings.chasing[type], settings.workingTime).after(base(), offset);
  /** A task opened later in the flow (a retest, a decision) has `answerWithin` from now. */
  const dueFromNow = (type: TaskType) => clockOf(settings.chasing[type], settings.workingTime).after(Date.now(), rules.answerWithin);
  const name = () => people!.hireName;

  // ---- The messages of each step ---------------------------------------------------------------
  /** The hire's own steps are theirs alone: nobody the task was escalated to answers in their place. */
  const byHireOnly = (stepKey: string, actorId: string, what: string) => {
    inbox.checkActor(stepKey, actorId, what);
    if (actorId !== employeeId) refuse('not_your_task', `only the hire may do this: ${what}`);
  };

  setHandler(
    attestCulture,
    (args) =>
      inbox.answering(async () => {
        await records.attestCulture({ ...step, ...args });
        culturedBy = args.actorId;
        return { attested: true as const };
      }, 'culture'),
    { validator: (args) => (validArgs(cultureArgs, args), byHireOnly('culture', args.actorId, 'attesting the culture')) },
  );

  const documentStep = (documentId: string) => inbox.openTasks.find((t) => t.stepKey.startsWith(`document/${documentId}/`))?.stepKey;
  setHandler(
    confirmDocument,
    (args) =>
      inbox.answering(async () => {
        await records.confirmDocument({ ...step, ...args });
        confirmed.set(args.documentId, { version: args.version, by: args.actorId });
        return { documentId: args.documentId, version: args.version };
      }, documentStep(args.documentId)),
    {
      validator: (args) => {
        validArgs(confirmDocumentArgs, args);
        if (!latest.has(args.documentId)) refuse('invalid_decision', 'documentId: not a document this hire reads');
        if (args.version !== latest.get(args.documentId)) refuse('invalid_decision', `version: the current version of this document is ${latest.get(args.documentId)}`);
        const open = documentStep(args.documentId);
        if (!open) refuse('already_decided', 'this version of the document is confirmed');
        byHireOnly(open, args.actorId, 'confirming a document');
      },
    },
  );
  setHandler(documentRevised, ({ documentId, version }) => {
    if (hire.documentIds.includes(documentId)) latest.set(documentId, Math.max(latest.get(documentId) ?? 0, version));
  });

  let enrolment = 1;
  setHandler(
    enrolHire,
    (args) =>
      inbox.answering(async () => {
        await records.recordTraining({ ...step, sessionId: args.sessionId, attendance: null, enrolledById: args.actorId });
        enrolled = args;
        return { sessionId: args.sessionId };
      }, `enrolment/${enrolment}`),
    { validator: (args) => (validArgs(enrolArgs, args), inbox.checkActor(`enrolment/${enrolment}`, args.actorId, 'enrolling the hire')) },
  );

  setHandler(
    scoreDrill,
    (args) =>
      inbox.answering(async () => {
        const result = drillResult(rules.drillCriteria, args.scores, rules.drillPassMark);
        await records.recordDrill({ ...step, ...args, drillNo: drill.no, mean: result.mean, passed: result.passed });
        drill = { ...drill, passed: result.passed, by: args.actorId };
        return { drillNo: drill.no, mean: result.mean, passed: result.passed };
      }, `drill/${drill.no}`),
    {
      validator: (args) => {
        validArgs(drillArgs, args);
        const { problem } = drillResult(rules.drillCriteria, args.scores, rules.drillPassMark);
        if (problem) refuse('invalid_decision', problem);
        inbox.checkActor(`drill/${drill.no}`, args.actorId, 'scoring a drill');
      },
    },
  );

  setHandler(
    logHireCoaching,
    (args) => {
      const sessionNo = ++coachingSessions;
      return inbox.answering(async () => {
        await records.logCoaching({ ...step, ...args, sessionNo });
        return { sessions: sessionNo, required: rules.coachingMinimum };
      }, sessionNo === rules.coachingMinimum ? 'coaching' : undefined);
    },
    {
      validator: (args) => {
        validArgs(coachingArgs, args);
        if (status === 'opening' || closing) refuse('wrong_state', 'coaching is logged while the onboarding runs');
        if (args.actorId !== trainerId) refuse('not_your_task', 'only the hire\'s named coach logs their coaching');
        const problem = heldOnProblem(args.heldOn, Date.now());
        if (problem) refuse('invalid_decision', problem);
      },
    },
  );

  const assessmentStep = () => `assessment/${round}/${assessment.attempt}`;
  setHandler(
    assessHire,
    (args) =>
      inbox.answering(async () => {
        const passed = args.score >= rules.passMark;
        const stepKey = assessmentStep();
        await records.recordOnboardingAssessment({ ...step, ...args, round, attempt: assessment.attempt, passed, onBehalfOfId: inbox.actsFor(stepKey, args.actorId) });
        assessment = { ...assessment, passed, by: args.actorId };
        if (passed) status = 'passed';
        return { round, attempt: assessment.attempt, passed };
      }, assessmentStep()),
    { validator: (args) => (validArgs(assessmentArgs, args), inbox.checkActor(assessmentStep(), args.actorId, 'assessing the hire')) },
  );

  const probationStep = () => `probation/${round}/${probationPass}`;
  setHandler(
    decideProbation,
    (args) =>
      inbox.answering(async () => {
        await records.recordProbationDecision({ ...step, ...args, round, pass: probationPass });
        proposal = args;
        return { decision: args.decision };
      }, probationStep()),
    {
      validator: (args) => {
        validArgs(probationArgs, args);
        inbox.checkActor(probationStep(), args.actorId, 'deciding the probation');
        if (args.decision === 'reassign' && args.departmentId === people?.departmentId && args.managerId === people?.managerId) {
          refuse('invalid_decision', 'departmentId: a reassignment moves the hire to another department or manager');
        }
      },
    },
  );

  setHandler(
    checkInHire,
    (args) =>
      inbox.answering(async () => {
        await records.recordCheckIn({ ...step, ...args, onBehalfOfId: inbox.actsFor(`check-in/${args.checkpoint}`, args.actorId) });
        checkedIn.set(args.checkpoint, args.actorId);
        return { checkpoint: args.checkpoint };
      }, `check-in/${args.checkpoint}`),
    {
      validator: (args) => {
        validArgs(checkInArgs, args);
        inbox.checkActor(`check-in/${args.checkpoint}`, args.actorId, 'this check-in');
        const problem = heldOnProblem(args.heldOn, Date.now());
        if (problem) refuse('invalid_decision', problem);
      },
    },
  );

  setHandler(
    answerPulse,
    (args) =>
      inbox.answering(async () => {
        await records.recordPulse({ ...step, ...args });
        // The pulse is early warning's too: the hire is scored again with it (runs from before this did not).
        if (patched('pulse-risk')) await records.recomputeRisk({ key: `${flowId}:pulse-${args.checkpoint}`, employeeIds: [employeeId], cause: 'onboarding_pulse', settings });
        pulsed.set(args.checkpoint, args.actorId);
        return { checkpoint: args.checkpoint };
      }, `pulse/${args.checkpoint}`),
    { validator: (args) => (validArgs(pulseArgs, args), byHireOnly(`pulse/${args.checkpoint}`, args.actorId, 'this pulse')) },
  );

  setHandler(
    assignPortfolio,
    (args) => {
      const assignment = ++assignments;
      return inbox.answering(async () => {
        const { moved } = await records.assignFirstPortfolio({ ...step, accountIds: args.accountIds, assignment, actorId: args.actorId, onBehalfOfId: inbox.actsFor('portfolio', args.actorId) });
        portfolioBy = args.actorId;
        return { moved };
      }, 'portfolio');
    },
    {
      validator: (args) => {
        validArgs(portfolioArgs, args);
        if (status !== 'passed') refuse('wrong_state', 'no account goes to a hire before they pass the onboarding assessment');
        inbox.checkActor('portfolio', args.actorId, 'assigning the first portfolio');
      },
    },
  );

  // ---- The steps -------------------------------------------------------------------------------
  async function culture(): Promise<void> {
    await inbox.askForMessage(
      formTask('culture', 'onboarding_culture', `企业文化与价值观 Read and attest the company's culture and values`, employeeId, {
        dueAt: due('onboarding_culture', rules.due.culture),
        completedBy: 'the hire attests (POST /onboardings/:employeeId/culture)',
      }),
      () => culturedBy,
    );
  }

  /** One document, kept current while the flow runs: each version it reaches is read and confirmed. */
  async function documentKeptCurrent(documentId: string): Promise<void> {
    const behind = () => (confirmed.get(documentId)?.version ?? 0) < latest.get(documentId)!;
    for (let first = true; ; first = false) {
      await condition(() => behind() || closing);
      if (!behind()) return;
      const version = latest.get(documentId)!;
      await inbox.askForMessage(
        formTask(`document/${documentId}/v${version}`, 'onboarding_document', `阅读并确认制度文件 Read and confirm a document (v${version})`, employeeId, {
          dueAt: first ? due('onboarding_document', rules.due.documents) : dueFromNow('onboarding_document'),
          payload: { employeeId, documentId, version },
          completedBy: 'the hire confirms the current version (POST /onboardings/:employeeId/documents)',
        }),
        () => (behind() ? undefined : confirmed.get(documentId)!.by),
      );
    }
  }
  const documentsRead = () => condition(() => hire.documentIds.every((d) => (confirmed.get(d)?.version ?? 0) >= latest.get(d)!));

  /** HR enrols the hire in a session of procedure 3; its attendance comes back once it is final. An
   *  absence, or a cancelled session, asks HR for another one. */
  async function training(): Promise<void> {
    for (; ; enrolment++) {
      enrolled = undefined;
      await inbox.askForMessage(
        formTask(`enrolment/${enrolment}`, 'onboarding_enrolment', `安排入职培训 Enrol ${name()} in the next suitable training session`, hrId, {
          dueAt: enrolment === 1 ? due('onboarding_enrolment', rules.due.training) : dueFromNow('onboarding_enrolment'),
          completedBy: 'HR enrols the hire in a session (POST /onboardings/:employeeId/training)',
        }),
        () => enrolled?.actorId,
      );
      if (await attended(enrolled!.sessionId)) return;
    }
  }

  async function attended(sessionId: string): Promise<boolean> {
    for (;;) {
      const session = await records.sessionAttendance({ sessionId, employeeId });
      const final = session.status === 'cancelled' || session.attendance !== 'expected';
      if (final) {
        await records.recordTraining({ ...step, sessionId, attendance: session.status === 'cancelled' ? 'session_cancelled' : (session.attendance ?? 'not_enrolled') });
        return session.attendance === 'present' || session.attendance === 'late';
      }
      // Attendance is final once sign-in closes, which the session says (even when brought
      // forward); else look at its end, or a while after a session that runs late.
      const endsIn = Date.parse(session.endsAt) - Date.now();
      const news = attendanceNews;
      await condition(() => attendanceNews !== news, endsIn > 0 ? endsIn : durationMs(rules.trainingRecheckAfter));
    }
  }

  /** The trainer scores role-plays against the rubric until one passes. */
  async function drills(): Promise<void> {
    for (;;) {
      await inbox.askForMessage(
        formTask(`drill/${drill.no}`, 'onboarding_drill', `情景演练评分 Score ${name()}'s drill${drill.no > 1 ? ` (${drill.no})` : ''}`, trainerId, {
          dueAt: drill.no === 1 ? due('onboarding_drill', rules.due.drills) : dueFromNow('onboarding_drill'),
          completedBy: 'the trainer scores the drill (POST /onboardings/:employeeId/drills)',
        }),
        () => drill.by,
      );
      if (drill.passed) return;
      drill = { no: drill.no + 1 };
    }
  }

  async function coaching(): Promise<void> {
    await inbox.askForMessage(
      formTask('coaching', 'onboarding_coaching', `一对一辅导 Coach ${name()}: at least ${rules.coachingMinimum} logged sessions`, trainerId, {
        dueAt: due('onboarding_coaching', rules.due.coaching),
        completedBy: `the coach has logged ${rules.coachingMinimum} sessions (POST /onboardings/:employeeId/coaching)`,
      }),
      () => (coachingSessions >= rules.coachingMinimum ? trainerId : undefined),
    );
  }

  /** One round of the assessment: a first attempt and, after a fail, one retest. */
  async function assessed(): Promise<boolean> {
    if (enrolled) await records.recordTrainingScore({ ...step, sessionId: enrolled.sessionId });
    for (assessment = { attempt: 1 }; ; assessment = { attempt: assessment.attempt + 1 }) {
      const first = round === 1 && assessment.attempt === 1;
      now = `assessment, round ${round}, attempt ${assessment.attempt}`;
      await inbox.askForMessage(
        formTask(assessmentStep(), 'onboarding_assessment', `${assessment.attempt === 1 ? '入职考核 Assess' : '补考 Retest'} ${name()} (pass mark ${rules.passMark})`, trainerId, {
          dueAt: first ? due('onboarding_assessment', rules.due.assessment) : dueFromNow('onboarding_assessment'),
          completedBy: 'the trainer records the score (POST /onboardings/:employeeId/assessment)',
        }),
        () => assessment.by,
      );
      if (assessment.passed) return true;
      if (assessment.attempt === 2) return false;
    }
  }

  /** After a second fail HR decides and the department's head countersigns; a head who declines
   *  sends it back to HR. */
  async function probationDecided(): Promise<ProbationArgs & { until?: number }> {
    for (probationPass = 1; ; probationPass++) {
      now = 'probation decision after a second fail';
      proposal = undefined;
      await inbox.askForMessage(
        formTask(probationStep(), 'onboarding_probation', `试用期决定 ${name()} failed the assessment twice: extend, reassign or end probation`, hrId, {
          dueAt: dueFromNow('onboarding_probation'),
          completedBy: 'HR records the decision (POST /onboardings/:employeeId/probation)',
        }),
        () => proposal?.actorId,
      );
      const decided = proposal!;
      const head = await inbox.ask(
        task(`${probationStep()}/countersign`, 'onboarding_probation_countersign', `会签试用期决定 Countersign for ${name()}: ${decided.decision} (${decided.reason})`, people!.headId, {
          outcomes: ['approve', 'reject'],
          dueAt: dueFromNow('onboarding_probation_countersign'),
          payload: { employeeId, decision: decided.decision, reason: decided.reason },
        }),
      );
      const until = decided.decision === 'end' ? undefined : extendedUntil(Date.now(), decided.extendBy, rules);
      people = await records.countersignProbation({
        ...step,
        round,
        pass: probationPass,
        outcome: head.outcome,
        comment: head.comment,
        actorId: head.decidedById,
        onBehalfOfId: head.onBehalfOfId,
        probationEndsAt: until === undefined ? undefined : new Date(until).toISOString(),
      });
      if (head.outcome === 'approve') return { ...decided, until };
    }
  }

  /** Assessment rounds until a pass, or until HR and the head end the probation. */
  async function assessedUntilDecided(): Promise<'passed' | 'ended'> {
    for (round = 1; ; round++) {
      if (await assessed()) return 'passed';
      const decided = await probationDecided();
      if (decided.decision === 'end') return 'ended';
      now = `probation extended to ${new Date(decided.until!).toISOString()}`;
      await sleep(Math.max(1, decided.until! - Date.now()));
    }
  }

  /** The manager's check-in and the hire's pulse at each checkpoint (day 30/60/90, calendar time). */
  async function checkIns(): Promise<void> {
    await Promise.all(
      rules.checkInsAt.map(async (at, i) => {
        const checkpoint = i + 1;
        const dueAt = elapsedTime.after(base(), at);
        const opensAt = elapsedTime.before(dueAt, rules.checkInOpensBefore);
        // Always one timer, however late the flow got here: a timer only when still ahead would
        // depend on the moment a write finished, and a replay would not take it the same way.
        await sleep(Math.max(1, opensAt - Date.now()));
        await Promise.all([
          inbox.askForMessage(
            formTask(`check-in/${checkpoint}`, 'onboarding_check_in', `入职回访 Check-in ${checkpoint} with ${name()}`, people!.managerId, {
              dueAt,
              payload: { employeeId, checkpoint },
              completedBy: 'the manager records the check-in (POST /onboardings/:employeeId/check-ins)',
            }),
            () => checkedIn.get(checkpoint),
          ),
          inbox.askForMessage(
            formTask(`pulse/${checkpoint}`, 'onboarding_pulse', `入职感受 How is your start going? (check-in ${checkpoint})`, employeeId, {
              dueAt,
              payload: { employeeId, checkpoint },
              completedBy: 'the hire answers the pulse (POST /onboardings/:employeeId/pulse)',
            }),
            () => pulsed.get(checkpoint),
          ),
        ]);
      }),
    );
  }

  async function firstPortfolio(): Promise<void> {
    now = 'first portfolio';
    await inbox.askForMessage(
      formTask('portfolio', 'onboarding_portfolio', `分配首批客户 Assign ${name()}'s first portfolio`, people!.managerId, {
        dueAt: dueFromNow('onboarding_portfolio'),
        completedBy: 'the manager assigns accounts (POST /onboardings/:employeeId/portfolio)',
      }),
      () => portfolioBy,
    );
  }

  // ---- The story -------------------------------------------------------------------------------
  const flowEnd = new FlowEnd(() => (status === 'opening' ? 'the onboarding is being registered' : status !== 'open' ? `the hire has ${status === 'passed' ? 'passed' : 'left'}` : undefined));
  return flowEnd.run(async () => {
    people = await records.openOnboarding({ ...hire, flowId });
    for (const [id, version] of Object.entries(await records.documentVersions({ documentIds: hire.documentIds }))) latest.set(id, Math.max(latest.get(id) ?? 0, version));
    status = 'open';
    now = 'first steps';

    // Check-ins and the documents' new versions go on beside everything else, until the end.
    const alongside = new CancellationScope();
    const beside = alongside.run(() => Promise.all([checkIns(), ...hire.documentIds.map(documentKeptCurrent)]));
    // Awaited at the end; until then a rejection (the flow cancelled meanwhile) must not go unheard,
    // which would fail the flow's task rather than end the story.
    beside.catch(() => undefined);
    await Promise.all([culture(), documentsRead(), training(), drills(), coaching()]);

    const outcome = await assessedUntilDecided();
    if (outcome === 'ended') {
      status = 'ended';
      alongside.cancel();
      await beside.catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      });
    } else {
      await firstPortfolio();
      now = 'support until day 90';
      closing = true;
      await beside;
    }
    now = outcome;
    await records.finishOnboarding(step);
    return outcome;
  });
}
