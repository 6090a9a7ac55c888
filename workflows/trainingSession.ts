/**
 * One training session (DOMAIN.md §3), from its plan's approval to its stored summary: preparation
 * before a lead time (HR confirms the schedule, an administrative owner prepares the room, HR
 * reviews the trainer), reschedule or cancel until the start, sign-in in a window around the
 * start, notes while it runs, then feedback from every attendee and the trainer's report.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import type { FlowSettings } from '../domain/settings';
import {
  attendanceArgs,
  checkSignInCode,
  closeSignInArgs,
  feedbackArgs,
  monitorArgs,
  noteArgs,
  participantsArgs,
  reportArgs,
  rescheduleArgs,
  sessionTimeline,
  signInArgs,
  sessionSettingsOf,
  signInMoment,
  trainerArgs,
  type Attendance,
  type SessionOfPlan,
  type ReportArgs,
  type Schedule,
  type TrainerArgs,
} from '../domain/trainingSession';
import { FlowEnd } from './flowEnd';
import { refuse, refuseUnlessValid, TaskInbox, taskMaker } from './humanTask';
import {
  changeSessionParticipants,
  closeSessionSignIn,
  flowState,
  logSessionNote,
  nameSessionMonitor,
  nameSessionTrainer,
  recordSessionAttendance,
  rescheduleSession,
  sessionStarted,
  signInToSession,
  submitSessionFeedback,
  submitSessionReport,
} from './messages';
import { carried, records, settled } from './records';

export interface TrainingSessionInput extends SessionOfPlan {
  settings: FlowSettings;
}

export const trainingSessionFlowId = (planId: string, sessionNo: number) => `training-session:${planId}:${sessionNo}`;

type Status = 'scheduled' | 'signing_in' | 'in_progress' | 'feedback' | 'completed';

export async function trainingSession(input: TrainingSessionInput): Promise<'completed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { sessionId, hrId } = input;
  const settings = sessionSettingsOf(input.settings);
  const inbox = new TaskInbox(input.settings);
  // Derives the rotating sign-in codes; the same on replay.
  const secret = uuid4();

  let status: Status = 'scheduled';
  const schedule: Schedule & { version: number } = { startsAt: input.startsAt, endsAt: input.endsAt, location: input.location, version: 1 };
  const timeline = () => sessionTimeline(schedule, settings);
  let recorded = false;
  let trainerId = input.trainerId;
  /** Someone HR names to watch the session besides the trainer: they log notes too. */
  let monitorId: string | undefined;
  let adminOwnerId = hrId;
  let invited = false;
  const preparation = { schedule: false, checklist: false, trainer: false };
  let writing: 'rescheduling' | 'changing participants' | undefined;
  /** The schedule version whose preparation has been asked (its tasks are on their way to the inbox). */
  let armedVersion = 0;
  let participantChanges = 0;
  const attendance = new Map<string, Attendance>();
  const signingIn = new Map<string, Promise<{ attendance: Attendance; signedInAt: string | null }>>();
  /** Sign-in closed before its time by the trainer or HR: closing, then on record, then who was absent. */
  let closingSignIn = false;
  let signInClosedEarly = false;
  let absentAtClose: string[] | undefined;
  let attendanceEntries = 0;
  let trainerNamed: TrainerArgs | undefined;
  const feedbackFrom = new Set<string>();
  /** Once feedback closes the summary is computed: attendance and notes no longer change. */
  let feedbackClosed = false;
  let report: ReportArgs | undefined;

  const task = taskMaker(input.settings.chasing, () => ({ payload: { sessionId, planId: input.planId }, escalationTargets: { hr: hrId } }));
  const isStaff = (actorId: string) => actorId === trainerId || actorId === hrId;
  const mayLogNotes = (actorId: string) => isStaff(actorId) || actorId === monitorId;

  setHandler(flowState, () => ({
    type: 'training_session',
    status,
    step: status,
    openTasks: inbox.openTasks,
    details: {
      sessionId,
      planId: input.planId,
      schedule,
      trainerId,
      monitorId,
      preparation,
      participants: attendance.size,
      attended: [...attendance.values()].filter((a) => a === 'present' || a === 'late').length,
      feedback: feedbackFrom.size,
    },
  }));

  setHandler(sessionStarted, async () => {
    await condition(() => recorded);
    return { sessionId, flowId, sessionNo: input.sessionNo };
  });

  // ---- Before the start: reschedule, participants, trainer (the API admits HR only) ---------

  /** A change of the session's plan (schedule, participants) is written one at a time: while one
   *  is in flight, the next is refused and tried again by its sender. */
  async function writingAs<T>(what: NonNullable<typeof writing>, write: () => Promise<T>): Promise<T> {
    writing = what;
    try {
      return await write();
    } finally {
      writing = undefined;
    }
  }

  const beforeSignIn = (what: string) => {
    if (status !== 'scheduled') refuse('wrong_state', `sign-in has opened: ${what} is no longer possible (cancel the session and add a repeat session instead)`);
    if (writing) refuse('wrong_state', `the session is ${writing}; try again in a moment`);
  };

  setHandler(
    rescheduleSession,
    (args) =>
      inbox.answering(() =>
        writingAs('rescheduling', async () => {
          const version = schedule.version + 1;
          await records.rescheduleSession({ flowId, sessionId, version, startsAt: args.startsAt, endsAt: args.endsAt, location: args.location, reason: args.reason, actorId: args.actorId, tell: invited });
          Object.assign(schedule, { startsAt: args.startsAt, endsAt: args.endsAt, version }, args.location !== undefined ? { location: args.location } : {});
          // The answer lists the preparation the move opens again (runs from before answered at once).
          if (patched('reschedule-answers-rearmed')) await condition(() => armedVersion === version);
          return { version, startsAt: schedule.startsAt, endsAt: schedule.endsAt, location: schedule.location };
        }),
      ),
    {
      validator: (args) => {
        refuseUnlessValid(rescheduleArgs, args);
        beforeSignIn('moving it');
        if (args.version !== undefined && args.version !== schedule.version) {
          refuse('wrong_state', `version: the session was moved meanwhile (now version ${schedule.version}, ${schedule.startsAt} to ${schedule.endsAt}); look at it again`);
        }
        if (Date.parse(args.startsAt) - durationMs(settings.signInOpensBefore) <= Date.now()) refuse('invalid_decision', 'startsAt: the new start must leave time before sign-in opens');
      },
    },
  );

  setHandler(
    changeSessionParticipants,
    (args) =>
      inbox.answering(() =>
        writingAs('changing participants', async () => {
          const { add, remove } = participantsArgs.parse(args);
          const { added, removed } = await records.changeParticipants({ flowId, sessionId, add, remove, actorId: args.actorId, change: ++participantChanges });
          for (const id of added) if (!attendance.has(id)) attendance.set(id, 'expected');
          for (const id of removed) attendance.delete(id);
          return { participants: [...attendance.keys()] };
        }),
      ),
    {
      validator: (args) => {
        refuseUnlessValid(participantsArgs, args);
        beforeSignIn('changing participants');
        const absentNow = participantsArgs.parse(args).remove.filter((id) => !attendance.has(id));
        if (absentNow.length) refuse('invalid_decision', `remove: not participants of this session: ${absentNow.join(', ')}`);
      },
    },
  );

  const replacingTrainer = () => inbox.openTasks.find((t) => t.type === 'session_trainer_replace');
  setHandler(
    nameSessionTrainer,
    (args) =>
      inbox.answering(() => {
        trainerNamed = args;
        return { trainerId: args.trainerId };
      }, replacingTrainer()?.stepKey),
    {
      validator: (args) => {
        refuseUnlessValid(trainerArgs, args);
        const replacing = replacingTrainer();
        if (!replacing) refuse('wrong_state', 'no trainer is being looked for now');
        inbox.checkActor(replacing.stepKey, args.actorId, 'naming the trainer');
      },
    },
  );

  setHandler(
    nameSessionMonitor,
    async (args) => {
      await records.setMonitor({ flowId, sessionId, monitorId: args.monitorId, actorId: args.actorId });
      monitorId = args.monitorId;
      return { monitorId: args.monitorId };
    },
    {
      validator: (args) => {
        refuseUnlessValid(monitorArgs, args);
        if (feedbackClosed) refuse('wrong_state', 'the session is over');
        if (attendance.has(args.monitorId)) refuse('invalid_decision', 'monitorId: a participant cannot monitor their own session');
      },
    },
  );

  // ---- Sign-in, attendance, notes -------------------------------------------------------------

  setHandler(
    signInToSession,
    async (args) => {
      const earlier = attendance.get(args.actorId);
      if (earlier === 'present' || earlier === 'late') return { attendance: earlier, counted: false };
      // Two sign-ins at once are one: the second waits for the first and is not counted again.
      const inFlight = signingIn.get(args.actorId);
      if (inFlight) return { ...(await inFlight), counted: false };
      const moment = signInMoment(Date.now(), timeline());
      const late = 'late' in moment && moment.late;
      const recording = records.recordAttendance({ flowId, sessionId, employeeId: args.actorId, attendance: late ? 'late' : 'present', at: new Date(Date.now()).toISOString(), entry: ++attendanceEntries });
      signingIn.set(args.actorId, recording);
      try {
        const recorded = await recording;
        attendance.set(args.actorId, recorded.attendance);
        return { attendance: recorded.attendance, signedInAt: recorded.signedInAt, counted: true };
      } finally {
        signingIn.delete(args.actorId);
      }
    },
    {
      validator: (args) => {
        refuseUnlessValid(signInArgs, args);
        if (!attendance.has(args.actorId)) refuse('not_your_task', 'you are not a participant of this session');
        const moment = signInMoment(Date.now(), timeline());
        if ('refused' in moment || status !== 'signing_in' || closingSignIn) refuse('wrong_state', 'refused' in moment ? moment.refused : 'sign-in is closed');
        const code = checkSignInCode(args.code, secret, Date.now(), durationMs(settings.codeRotation));
        if (code === 'expired') refuse('invalid_decision', 'code: this code has expired; use the one the trainer shows now');
        if (code === 'wrong') refuse('invalid_decision', 'code: this is not the session\'s sign-in code');
      },
    },
  );

  // The class begins before sign-in was due to close: sign-ins already accepted count, everyone
  // still expected is absent now, and the answer says how many.
  setHandler(
    closeSessionSignIn,
    async (args) => {
      closingSignIn = true;
      await records.recordSignInClosed({ flowId, sessionId, actorId: args.actorId });
      signInClosedEarly = true;
      await condition(() => absentAtClose !== undefined);
      return { absent: absentAtClose!.length };
    },
    {
      validator: (args) => {
        refuseUnlessValid(closeSignInArgs, args);
        if (!isStaff(args.actorId)) refuse('not_allowed', 'only the trainer or the HR officer running the session may close sign-in');
        if (status === 'scheduled') refuse('wrong_state', 'sign-in has not opened yet');
        if (status !== 'signing_in' || closingSignIn) refuse('wrong_state', 'sign-in is already closed');
      },
    },
  );

  setHandler(
    recordSessionAttendance,
    async (args) => {
      const recorded = await records.recordAttendance({
        flowId,
        sessionId,
        employeeId: args.participantId,
        attendance: args.attendance,
        at: new Date(Date.now()).toISOString(),
        byId: args.actorId,
        reason: args.reason,
        entry: ++attendanceEntries,
      });
      attendance.set(args.participantId, recorded.attendance);
      return recorded;
    },
    {
      validator: (args) => {
        refuseUnlessValid(attendanceArgs, args);
        if (!isStaff(args.actorId)) refuse('not_allowed', 'only the trainer or the HR officer running the session may record attendance');
        if (!attendance.has(args.participantId)) refuse('invalid_decision', 'participantId: not a participant of this session');
        if (status === 'scheduled' || feedbackClosed) refuse('wrong_state', 'attendance is recorded from the opening of sign-in until feedback closes');
      },
    },
  );

  setHandler(
    logSessionNote,
    async (args) => {
      const noteId = uuid4();
      await records.recordSessionNote({ flowId, id: noteId, sessionId, authorId: args.actorId, category: args.category, text: args.text, participantId: args.participantId });
      return { noteId };
    },
    {
      validator: (args) => {
        refuseUnlessValid(noteArgs, args);
        if (!mayLogNotes(args.actorId)) refuse('not_allowed', 'only the trainer, the monitor or the HR officer running the session may log notes');
        if (args.participantId && !attendance.has(args.participantId)) refuse('invalid_decision', 'participantId: not a participant of this session');
        if (status === 'scheduled' || feedbackClosed) refuse('wrong_state', 'notes are logged while the session runs, from the opening of sign-in until feedback closes');
      },
    },
  );

  // ---- Feedback and report --------------------------------------------------------------------

  /** Refuses feedback from someone who is not to give it at all (403), before asking whether now is
   *  the time (409): participants who attended give it once, from the end until it closes. */
  function mayGiveFeedback(actorId: string) {
    const attended = attendance.get(actorId);
    if (attended === undefined) refuse('not_your_task', 'you are not a participant of this session');
    if (attended === 'absent') refuse('not_your_task', 'you were absent from this session: only those who attended give feedback');
    if (feedbackFrom.has(actorId)) refuse('already_decided', 'you have already given your feedback on this session');
    if (feedbackClosed) refuse('wrong_state', 'feedback on this session has closed');
    if (status !== 'feedback') refuse('wrong_state', `feedback opens when the session ends (${schedule.endsAt})`);
  }

  /** The report is asked of the trainer (HR when there is none) when the session ends; until it
   *  is asked, anyone else is refused as not theirs to give. Once asked, its task says who may. */
  function mayReport(actorId: string) {
    if (report) refuse('already_decided', 'the session report has already been given');
    if (inbox.openTasks.some((t) => t.stepKey === 'report')) return;
    if (actorId !== (trainerId ?? hrId)) refuse('not_your_task', 'only the session’s trainer reports on it');
    if (status !== 'feedback') refuse('wrong_state', `the report is asked for when the session ends (${schedule.endsAt})`);
  }

  setHandler(
    submitSessionFeedback,
    (args) =>
      inbox.answering(async () => {
        const { actorId, comments, content, method, trainer, usefulness } = args;
        const ratings = { content, method, trainer, usefulness };
        await records.recordFeedback({ flowId, sessionId, employeeId: actorId, ratings, comments });
        feedbackFrom.add(actorId);
        return { received: feedbackFrom.size };
      }, `feedback/${args.actorId}`),
    {
      validator: (args) => {
        refuseUnlessValid(feedbackArgs, args);
        mayGiveFeedback(args.actorId);
        inbox.checkActor(`feedback/${args.actorId}`, args.actorId, 'feedback on this session');
      },
    },
  );

  setHandler(
    submitSessionReport,
    (args) =>
      inbox.answering(async () => {
        await records.recordSessionReport({ flowId, sessionId, covered: args.covered, deviations: args.deviations, actorId: args.actorId });
        report = args;
        return { reported: true };
      }, 'report'),
    {
      validator: (args) => {
        refuseUnlessValid(reportArgs, args);
        mayReport(args.actorId);
        inbox.checkActor('report', args.actorId, 'the session report');
      },
    },
  );

  // HR cancels until the start; every open task closes and everyone concerned is told.
  const flowEnd = new FlowEnd(() => {
    if (Date.now() >= Date.parse(schedule.startsAt)) return 'the session has started: it can no longer be cancelled';
    // A move waits for the preparation it opens again, which a cancellation would stop.
    if (writing) return `the session is ${writing}; try again in a moment`;
    return undefined;
  });

  // ---- The story ------------------------------------------------------------------------------

  /** HR confirms the (current) schedule; the first confirmation invites everyone concerned. */
  async function confirmSchedule(version: number, due: number) {
    await inbox.ask(task(`v${version}/schedule`, 'session_schedule', `确认培训安排 Confirm the schedule: ${input.title}, ${schedule.startsAt}`, hrId, { outcomes: ['confirm'], dueAt: due }));
    await records.recordPreparation({ flowId, sessionId, step: 'schedule', state: 'confirmed', version, actorId: hrId });
    if (!invited) await records.announceSession({ sessionId, kind: 'invitation' });
    invited = true;
    preparation.schedule = true;
  }

  async function prepareRoom(version: number, due: number) {
    await inbox.ask(
      task(`v${version}/checklist`, 'session_preparation', `培训准备 Prepare the venue, equipment and materials: ${input.title}`, adminOwnerId, {
        dueAt: due,
        payload: { sessionId, planId: input.planId, venue: schedule.location ?? input.venue, equipment: input.equipment, materials: input.materials },
      }),
    );
    await records.recordPreparation({ flowId, sessionId, step: 'checklist', state: 'done', version, actorId: adminOwnerId });
    preparation.checklist = true;
  }

  /** HR reviews the trainer; a rejection (or no trainer yet) asks HR to name one, then reviews again. */
  let trainerRound = 0;
  async function settleTrainer(version: number, due: number) {
    for (;;) {
      trainerRound++;
      if (!trainerId) {
        trainerNamed = undefined;
        await inbox.askForMessage(
          {
            ...task(`v${version}/trainer-replace-${trainerRound}`, 'session_trainer_replace', `指定讲师 Name a trainer for ${input.title}`, hrId, { dueAt: due }),
            completedBy: 'HR names the trainer (POST /training-sessions/:id/trainer)',
          },
          () => trainerNamed?.actorId,
        );
        trainerId = trainerNamed!.trainerId;
        await records.setTrainer({ flowId, sessionId, trainerId, actorId: trainerNamed!.actorId });
      }
      const verdict = await inbox.ask(
        task(`v${version}/trainer-review-${trainerRound}`, 'session_trainer_review', `审核讲师资质 Review the trainer's qualifications: ${input.title}`, hrId, {
          outcomes: ['approve', 'reject'],
          dueAt: due,
          payload: { sessionId, planId: input.planId, trainerId },
        }),
      );
      await records.recordPreparation({ flowId, sessionId, step: 'trainer', state: verdict.outcome === 'approve' ? 'approved' : 'rejected', version, actorId: verdict.decidedById });
      if (verdict.outcome === 'approve') {
        preparation.trainer = true;
        return;
      }
      trainerId = undefined;
    }
  }

  /** One pass of preparation for the current schedule; steps done before a reschedule stay done. */
  async function prepare(version: number) {
    const { preparationDue, critical } = timeline();
    const steps = [confirmSchedule(version, preparationDue)];
    if (!preparation.checklist) steps.push(prepareRoom(version, preparationDue));
    if (!preparation.trainer) steps.push(settleTrainer(version, preparationDue));
    const ready = () => preparation.checklist && preparation.trainer && preparation.schedule;
    const done = Promise.all(steps);
    done.catch(() => undefined); // awaited below; this keeps a cancellation meanwhile from going unheard
    if (!(await condition(ready, Math.max(1, critical - Date.now())))) {
      const open = Object.entries(preparation).filter(([, d]) => !d).map(([step]) => step);
      await records.reportPreparationLate({ flowId, sessionId, hrId, open });
    }
    await done;
  }

  /** Prepares until sign-in opens; a reschedule restarts preparation for the new time. */
  async function prepareUntilSignIn() {
    for (;;) {
      const version = schedule.version;
      preparation.schedule = false;
      const pass = new CancellationScope();
      const preparing = pass.run(() => prepare(version)).catch((err) => {
        if (!isCancellation(err)) throw err;
      });
      armedVersion = version;
      let moved = await condition(() => schedule.version !== version, Math.max(1, timeline().signInOpens - Date.now()));
      // A move being written when sign-in was due to open decides whether it opens (runs from
      // before opened it at the old time; the move's answer waits for the preparation it opens).
      if (!moved && writing === 'rescheduling' && patched('reschedule-in-flight-at-sign-in')) {
        await condition(() => schedule.version !== version || writing === undefined);
        moved = schedule.version !== version;
      }
      // What is still open is not needed any more (moved), or too late (the session begins).
      pass.cancel();
      await preparing;
      if (!moved) return;
    }
  }

  async function signIn() {
    status = 'signing_in';
    await records.setSessionStatus({ flowId, sessionId, status: 'signing_in' });
    await condition(() => signInClosedEarly, Math.max(1, timeline().signInCloses - Date.now()));
    status = 'in_progress';
    // Sign-ins accepted before the close are on record before anyone is counted absent.
    await condition(() => signingIn.size === 0);
    const { absent } = await records.recordAbsentees({ flowId, sessionId });
    for (const id of absent) attendance.set(id, 'absent');
    absentAtClose = absent;
    // Hires enrolled by their onboarding read their attendance now, not at the session's end.
    if (patched('onboardings-told')) await records.tellOnboardingsOfSession({ sessionId });
    await records.setSessionStatus({ flowId, sessionId, status: 'in_progress' });
    // Attendance and lateness are on record: early warning scores the participants again.
    if (patched('risk-recompute')) await records.recomputeRisk({ key: `${flowId}:sign-in-closed`, employeeIds: [...attendance.keys()], cause: 'session_attendance', settings: input.settings });
  }

  /** From the end: feedback from every attendee until it closes, and the trainer's report. */
  async function collectFeedback() {
    await sleep(Math.max(1, timeline().end - Date.now()));
    status = 'feedback';
    await records.setSessionStatus({ flowId, sessionId, status: 'feedback' });
    const { feedbackCloses } = timeline();
    const attendees = [...attendance].filter(([, a]) => a === 'present' || a === 'late').map(([id]) => id);
    const reporting = inbox.askForMessage(
      { ...task('report', 'session_report', `培训总结 Report on the session: ${input.title}`, trainerId ?? hrId, { dueAt: feedbackCloses }), completedBy: 'the trainer reports (POST /training-sessions/:id/report)' },
      () => report?.actorId,
    );
    reporting.catch(() => undefined); // awaited last; this keeps a cancellation meanwhile from going unheard
    const window = new CancellationScope();
    const asking = window
      .run(() =>
        Promise.all(
          attendees.map((id) =>
            inbox.askForMessage(
              { ...task(`feedback/${id}`, 'session_feedback', `培训反馈 Rate the training: ${input.title}`, id, { dueAt: feedbackCloses }), completedBy: 'you give your feedback (POST /training-sessions/:id/feedback)' },
              () => (feedbackFrom.has(id) ? id : undefined),
            ),
          ),
        ),
      )
      .catch((err) => {
        if (!isCancellation(err)) throw err;
      });
    // Feedback closes when everyone answered or at its deadline; what is still open then is closed.
    if (!(await condition(() => attendees.every((id) => feedbackFrom.has(id)), Math.max(1, feedbackCloses - Date.now())))) window.cancel();
    feedbackClosed = true;
    await asking;
    // Writes accepted before the close (feedback, attendance, notes) are in the summary.
    await condition(settled);
    await records.closeSessionFeedback({ flowId, sessionId });
    if (patched('follow-up-hand-over')) await records.handAttendeesToFollowUp({ flowId, sessionId, settings: input.settings });
    await reporting;
    await records.setSessionStatus({ flowId, sessionId, status: 'completed' });
  }

  return flowEnd.run(async () => {
    await carried.openFlow({ flowId, type: 'training_session', businessKey: sessionId, subject: input.title, startedById: hrId });
    const { hrId: startedById, venue: _venue, materials: _materials, equipment: _equipment, settings: _settings, ...planned } = input;
    const opened = await records.openSession({ ...planned, flowId, signInSecret: secret, codeRotationMs: durationMs(settings.codeRotation), startedById });
    for (const id of opened.participantIds) attendance.set(id, 'expected');
    adminOwnerId = opened.adminOwnerId;
    recorded = true;
    await prepareUntilSignIn();
    await signIn();
    await collectFeedback();
    status = 'completed';
    await condition(allHandlersFinished);
    return 'completed' as const;
  });
}
