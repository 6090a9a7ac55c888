/**
 * The follow-up of one training programme (DOMAIN.md §4): started by the first session that hands
 * over its attendees and joined by later ones. Every participant follows up in a flow of their own;
 * this one takes the trainers' test scores (one by one or a whole table), the department head's
 * results against the plan's targets, then stores the report and asks HR about recognitions.
 * Past its history limit it continues as new between two messages, carrying what it knows and its open tasks.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { durationMs } from '../domain/durations';
import {
  participantFlowId,
  resultsArgs,
  scoreAttempt,
  scoresArgs,
  type AttendeesJoined,
  type ResultsArgs,
  type ScoresArgs,
  type TargetResult,
} from '../domain/followUp';
import { followUpSettingsOf, type FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { askUntil, refuse, refuseUnlessValid, TaskInbox, taskMaker, type CarriedTask } from './humanTask';
import { attendeesJoined, flowState, participantFinished, recordResults, recordScores, sessionsChanged } from './messages';
import { participantFollowUp } from './participantFollowUp';
import { records, settled } from './records';

export interface TrainingFollowUpInput {
  followUpId: string;
  planId: string;
  title: string;
  departmentId: string;
  hrId: string;
  /** The department head: records the results against the plan's targets. */
  headId: string;
  passMark: number;
  competencies: string[];
  targets: TargetResult[];
  settings: FlowSettings;
}

interface Participant {
  scores: { attempt: number; passed: boolean }[];
  finished: boolean;
}

/** A session's attendees and whether the trainer has scored them all (or the time for it passed). */
interface Cohort extends AttendeesJoined {
  scored: boolean;
}

/** What a run hands to the next when it continues as new. */
export interface FollowUpCarried {
  cohorts: Cohort[];
  participants: Record<string, Participant>;
  resultsDone: boolean;
  scoreEntries: number;
  /** Hand-overs not yet taken in. */
  arriving: AttendeesJoined[];
  /** Open tasks (scores, results), taken up by the next run as they are. */
  tasks: CarriedTask[];
}

export async function trainingFollowUp(input: TrainingFollowUpInput, carried?: FollowUpCarried): Promise<'completed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { followUpId, planId, title, hrId, headId } = input;
  const settings = followUpSettingsOf(input.settings);
  const answerWithin = durationMs(settings.answerWithin);
  const lastCheckpoint = Math.max(...settings.checkpoints.map(durationMs));
  const inbox = new TaskInbox();

  const cohorts: Cohort[] = carried?.cohorts ?? [];
  const participants = new Map<string, Participant>(Object.entries(carried?.participants ?? {}));
  let resultsDone = carried?.resultsDone ?? false;
  let scoreEntries = carried?.scoreEntries ?? 0;
  const arriving: AttendeesJoined[] = carried?.arriving ?? [];
  let resultsBy: string | undefined;
  let step = 'following up';

  const task = taskMaker(input.settings.chasing, () => ({ payload: { planId, followUpId }, escalationTargets: { hr: hrId } }));
  const trainers = () => new Set(cohorts.map((c) => c.trainerId).filter((t): t is string => !!t));
  const firstEnd = () => Math.min(...cohorts.map((c) => Date.parse(c.endedAt)));
  const closesFor = (c: AttendeesJoined) => Date.parse(c.endedAt) + lastCheckpoint + 2 * answerWithin;
  const carriedTask = (stepKey: string) => carried?.tasks?.find((t) => t.spec.stepKey === stepKey);

  setHandler(flowState, () => ({
    type: 'training_follow_up',
    status: step,
    step,
    openTasks: inbox.openTasks,
    details: {
      followUpId,
      planId,
      sessions: cohorts.map((c) => c.sessionNo),
      participants: participants.size,
      finished: [...participants.values()].filter((p) => p.finished).length,
      resultsDone,
    },
  }));

  /** Counts hand-overs and cancellations of the plan's sessions: either may end the wait for them. */
  let sessionEvents = 0;
  setHandler(sessionsChanged, () => void sessionEvents++);
  setHandler(attendeesJoined, (joined) => {
    if (!cohorts.some((c) => c.sessionId === joined.sessionId) && !arriving.some((c) => c.sessionId === joined.sessionId)) arriving.push(joined);
    sessionEvents++;
  });
  setHandler(participantFinished, ({ employeeId }) => {
    const p = participants.get(employeeId);
    if (p) p.finished = true;
  });

  // ---- Scores: the whole table is taken or refused, naming every bad row ------------------------

  setHandler(
    recordScores,
    (args) => {
      const rows = args.scores.map((r) => {
        const p = participants.get(r.employeeId)!;
        const row = { ...r, attempt: scoreAttempt(p.scores)!, passed: r.score >= input.passMark };
        p.scores.push({ attempt: row.attempt, passed: row.passed });
        return row;
      });
      return inbox.answering(async () => {
        await records.recordScores({ flowId, followUpId, planId, entry: ++scoreEntries, actorId: args.actorId, rows });
        return { recorded: rows.length, retests: rows.filter((r) => r.attempt === 1 && !r.passed).map((r) => r.employeeId) };
      });
    },
    {
      validator: (args: ScoresArgs) => {
        refuseUnlessValid(scoresArgs, args);
        if (args.actorId !== hrId && !trainers().has(args.actorId)) refuse('not_allowed', 'only a trainer of this programme or its HR officer records test scores');
        const problems = args.scores.flatMap((r, i) => {
          const p = participants.get(r.employeeId);
          if (!p) return [`scores[${i}] (${r.employeeId}): not a participant of this programme`];
          if (p.finished) return [`scores[${i}] (${r.employeeId}): their follow-up has ended`];
          if (scoreAttempt(p.scores) === undefined) return [`scores[${i}] (${r.employeeId}): ${p.scores.some((s) => s.passed) ? 'already passed' : 'already retested'}`];
          return [];
        });
        if (problems.length) refuse('invalid_decision', `nothing was recorded: ${problems.join('; ')}`);
      },
    },
  );

  // ---- Results against the plan's targets ------------------------------------------------------

  setHandler(
    recordResults,
    (args) =>
      inbox.answering(async () => {
        await records.recordResults({ flowId, followUpId, actuals: args.actuals, actorId: args.actorId });
        resultsBy = args.actorId;
        return { recorded: args.actuals.length };
      }, 'results'),
    {
      validator: (args: ResultsArgs) => {
        refuseUnlessValid(resultsArgs, args);
        inbox.checkActor('results', args.actorId, 'the results');
        const metrics = input.targets.map((t) => t.metric);
        const unknown = args.actuals.filter((a) => !metrics.includes(a.metric)).map((a) => a.metric);
        if (unknown.length) refuse('invalid_decision', `actuals: not a target of this plan: ${unknown.join(', ')} (targets: ${metrics.join(', ')})`);
        const missing = metrics.filter((m) => !args.actuals.some((a) => a.metric === m));
        if (missing.length) refuse('invalid_decision', `actuals: give the actual value of every target; missing: ${missing.join(', ')}`);
      },
    },
  );

  // ---- The story ------------------------------------------------------------------------------

  /** The session's attendees join: each new one gets a flow; the trainer is asked for their scores. */
  async function welcome(joined: AttendeesJoined) {
    // On record at once, so the same hand-over arriving again meanwhile is known.
    const cohort = { ...joined, scored: false };
    cohorts.push(cohort);
    const enrolled = await records.enrolParticipants({ flowId, followUpId, sessionId: joined.sessionId, attendees: joined.attendees, endedAt: joined.endedAt });
    // All of a session's attendees at once: one round trip, not one per participant.
    await Promise.all(enrolled.map(async (p) => {
      await startChild(participantFollowUp, {
        workflowId: participantFlowId(planId, p.employeeId),
        // The child outlives a continue-as-new of this flow and reports back by signal.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ followUpId, planId, title, programmeFlowId: flowId, hrId, employeeId: p.employeeId, name: p.name, managerId: p.managerId, joinedAt: p.joinedAt, competencies: input.competencies, baseline: p.baseline, settings: input.settings }],
      }).catch((err) => {
        // Started before (a run that continued as new in between): it is the same participant.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
      participants.set(p.employeeId, { scores: [], finished: false });
    }));
    if (cohort.attendees.some((id) => participants.has(id))) inBackground(askForScores(cohort));
    else cohort.scored = true;
  }

  /** Steps that run beside the main loop; awaited before the report. */
  const background: Promise<void>[] = [];
  function inBackground(step: Promise<void>) {
    step.catch(() => undefined); // awaited below; this keeps a cancellation meanwhile from going unheard
    background.push(step);
  }

  /** The trainer records the test score of every attendee of the session, until their follow-up ends. */
  async function askForScores(cohort: Cohort) {
    const scoredAll = () => cohort.attendees.every((id) => (participants.get(id)?.scores.length ?? 1) > 0);
    const trainerId = cohort.trainerId ?? hrId;
    const stepKey = `scores/${cohort.sessionId}`;
    await askUntil(closesFor(cohort), () =>
      inbox.askForMessage(
        {
          ...task(stepKey, 'followup_scores', `录入成绩 Record the test scores of session ${cohort.sessionNo}: ${title}`, trainerId, { dueAt: Date.parse(cohort.endedAt) + answerWithin }),
          completedBy: 'every attendee of the session has a score (POST …/follow-up/scores)',
        },
        () => (scoredAll() ? trainerId : undefined),
        undefined,
        carriedTask(stepKey),
      ),
    );
    cohort.scored = true;
  }

  /** At the last checkpoint of the first session's attendees, the department head records the results. */
  async function askForResults() {
    const asked = firstEnd() + lastCheckpoint;
    const carriedResults = carriedTask('results');
    if (!carriedResults) await sleep(Math.max(1, asked - Date.now()));
    const due = carriedResults?.dueAt ?? Math.max(asked, Date.now()) + answerWithin;
    await askUntil(due + answerWithin, () =>
      inbox.askForMessage(
        { ...task('results', 'followup_results', `培训成果 Record the results against the targets: ${title}`, headId, { dueAt: due, payload: { planId, followUpId, targets: input.targets } }), completedBy: 'the department head records the actual values (POST …/follow-up/results)' },
        () => resultsBy,
        undefined,
        carriedResults,
      ),
    );
    resultsDone = true;
  }

  // Open tasks and hand-overs not yet taken in go with the next run; a task being opened or
  // closed, a write or a message being handled must finish first.
  const quiet = () => !inbox.changing && settled() && allHandlersFinished();
  const historyFull = () => workflowInfo().historyLength > settings.historyLimit || workflowInfo().continueAsNewSuggested;
  const everyoneDone = () => resultsDone && cohorts.every((c) => c.scored) && [...participants.values()].every((p) => p.finished);

  const flowEnd = new FlowEnd();
  return flowEnd.run(async () => {
    if (!carried) {
      await records.openFlow({ flowId, type: 'training_follow_up', businessKey: followUpId, subject: title, startedById: hrId });
      const { settings: _settings, ...programme } = input;
      await records.openFollowUp({ ...programme, flowId });
    }
    // A run continued as new takes up what the last one was waiting for.
    for (const cohort of cohorts.filter((c) => !c.scored)) inBackground(askForScores(cohort));
    let askingResults = cohorts.length > 0 && !resultsDone;
    if (askingResults) inBackground(askForResults());
    // When everyone has ended, the programme still waits for the plan's sessions ahead (counted
    // again after each hand-over or cancellation).
    let countedAt = -1;
    const mayBeOver = () => arriving.length === 0 && cohorts.length > 0 && everyoneDone() && countedAt !== sessionEvents;
    for (;;) {
      // Past the limit, the next hand-over waits for the run to continue as new.
      await condition(() => (historyFull() ? quiet() : arriving.length > 0) || mayBeOver());
      if (historyFull() && quiet()) {
        await continueAsNew<typeof trainingFollowUp>(input, { cohorts, participants: Object.fromEntries(participants), resultsDone, scoreEntries, arriving, tasks: inbox.carried });
      }
      if (arriving.length > 0) {
        await welcome(arriving.shift()!);
        if (!askingResults) inBackground(askForResults());
        askingResults = true;
        continue;
      }
      countedAt = sessionEvents;
      if ((await records.sessionsStillAhead({ planId, handedOver: cohorts.map((c) => c.sessionId) })) === 0) break;
      step = 'waiting for the plan\'s later sessions';
    }
    await Promise.all(background);

    step = 'reporting';
    const { topPerformers } = await records.evaluateFollowUp({ flowId, followUpId, moduleFlagBelow: settings.moduleFlagBelow, recognitionBar: settings.recognitionBar });
    let recognition: { decision: 'approve' | 'decline'; actorId: string; people: { employeeId: string; overall: number }[] } | undefined;
    if (topPerformers.length) {
      step = 'recognition';
      const names = topPerformers.map((p) => `${p.name} (${p.overall})`).join(', ');
      const verdict = await inbox.ask(
        task('recognition', 'followup_recognition', `表彰提名 Recognise the top performers of ${title}: ${names}`, hrId, { outcomes: ['approve', 'decline'], payload: { planId, followUpId, topPerformers } }),
      );
      recognition = { decision: verdict.outcome === 'approve' ? 'approve' : 'decline', actorId: verdict.decidedById, people: topPerformers.map(({ employeeId, overall }) => ({ employeeId, overall })) };
    }
    await records.closeFollowUp({ flowId, followUpId, title, recognition });
    step = 'completed';
    await condition(allHandlersFinished);
    return 'completed' as const;
  });
}
