/**
 * The follow-up of one training programme (DOMAIN.md §4): started by the first session that hands
 * over its attendees and joined by later ones. Every participant follows up in a flow of their own;
 * this one takes the trainers' test scores (one by one or a whole table), the department head's
 * results against the plan's targets, then stores the report and asks HR about recognitions.
 * Past its history limit it continues as new between two hand-overs, carrying what it knows and
 * its open tasks.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import { followUpSettingsOf, followUpTimeline, resultsArgs, type AttendeesJoined, type ResultsArgs, type TargetResult } from '../domain/followUp';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { Roster, type Cohort, type RosterState } from './followUpRoster';
import { askUntil, refuse, refuseUnlessValid, TaskInbox, taskMaker, type CarriedTask } from './humanTask';
import { flowState, recordResults } from './messages';
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

/** What a run hands to the next when it continues as new. */
export interface FollowUpCarried extends RosterState {
  resultsDone: boolean;
  /** Open tasks (scores, results), taken up by the next run as they are. */
  tasks: CarriedTask[];
}

export async function trainingFollowUp(input: TrainingFollowUpInput, carried?: FollowUpCarried): Promise<'completed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { followUpId, planId, title, hrId, headId } = input;
  const settings = followUpSettingsOf(input.settings);
  const answerWithin = durationMs(settings.answerWithin);
  const inbox = new TaskInbox(input.settings);

  const roster = new Roster(input, inbox, carried);
  const { cohorts, arriving } = roster;
  let resultsDone = carried?.resultsDone ?? false;
  let resultsBy: string | undefined;
  let step = 'following up';

  const task = taskMaker(input.settings.chasing, () => ({ payload: { planId, followUpId }, escalationTargets: { hr: hrId } }));
  const closesFor = (c: AttendeesJoined) => followUpTimeline(Date.parse(c.endedAt), settings).closes;
  const carriedTask = (stepKey: string) => carried?.tasks?.find((t) => t.spec.stepKey === stepKey);

  setHandler(flowState, () => ({
    type: 'training_follow_up',
    status: step,
    step,
    openTasks: inbox.openTasks,
    details: { followUpId, planId, sessions: cohorts.map((c) => c.sessionNo), participants: roster.size, finished: roster.finished, resultsDone },
  }));

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

  /** Steps that run beside the main loop; awaited before the report. */
  const background: Promise<void>[] = [];
  function inBackground(step: Promise<void>) {
    step.catch(() => undefined); // awaited below; this keeps a cancellation meanwhile from going unheard
    background.push(step);
  }

  /** The trainer records the test score of every attendee of the session, until their follow-up ends. */
  async function askForScores(cohort: Cohort) {
    const trainerId = cohort.trainerId ?? hrId;
    const stepKey = `scores/${cohort.sessionId}`;
    await askUntil(closesFor(cohort), () =>
      inbox.askForMessage(
        {
          ...task(stepKey, 'followup_scores', `录入成绩 Record the test scores of session ${cohort.sessionNo}: ${title}`, trainerId, { dueAt: Date.parse(cohort.endedAt) + answerWithin }),
          completedBy: 'every attendee of the session has a score (POST …/follow-up/scores)',
        },
        () => (roster.scoredAll(cohort) ? trainerId : undefined),
        undefined,
        carriedTask(stepKey),
      ),
    );
    cohort.scored = true;
  }

  /** At the last checkpoint of the first session's attendees, the department head records the results. */
  async function askForResults() {
    const asked = followUpTimeline(roster.firstEnd(), settings).lastCheckpoint;
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
  const everyoneDone = () => resultsDone && roster.everyoneDone();

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
    const mayBeOver = () => arriving.length === 0 && cohorts.length > 0 && everyoneDone() && countedAt !== roster.sessionEvents;
    for (;;) {
      // Past the limit, the next hand-over waits for the run to continue as new.
      await condition(() => (historyFull() ? quiet() : arriving.length > 0) || mayBeOver());
      if (historyFull() && quiet()) {
        await continueAsNew<typeof trainingFollowUp>(input, { ...roster.state, resultsDone, tasks: inbox.carried });
      }
      if (arriving.length > 0) {
        // The session's attendees join; the trainer is asked for their scores.
        const toScore = await roster.welcomeNext();
        if (toScore) inBackground(askForScores(toScore));
        if (!askingResults) inBackground(askForResults());
        askingResults = true;
        continue;
      }
      countedAt = roster.sessionEvents;
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
