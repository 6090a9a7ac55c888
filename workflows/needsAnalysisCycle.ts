/**
 * Training needs analysis (DOMAIN.md §1): a survey for every participant and an observation by
 * their manager until the deadline (non-responders chased); below the minimum response rate HR
 * extends once or proceeds; the analysis (a pure function) is stored as computed; the department
 * head and HR approve and every participant confirms their own needs; a request for changes goes
 * back to HR for adjustment, and confirmation repeats.
 */
import { allHandlersFinished, CancellationScope, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import { analyseNeeds, type NeedsAnalysis } from '../domain/needsAnalysis';
import { adjusted, adjustmentArgs, lowResponseArgs, observationArgs, surveyArgs, unknownCompetencies, unratedCompetencies, type AdjustmentArgs, type NeedsCycleOpening } from '../domain/needsCycle';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { nothingCarried, records, settled } from './records';
import { StallGuard } from './stalls';
import { refuse, refuseUnlessValid, TaskInbox, taskMaker, type TaskSpec } from './humanTask';
import { adjustAssessment, decideLowResponse, flowState, needsCycleStarted, submitObservation, submitSurvey } from './messages';


export interface NeedsCycleInput extends NeedsCycleOpening {
  settings: FlowSettings;
}

/** What a cycle hands to its next run when it continues as new (always before an analysis, when
 *  no task of the cycle is open). */
export interface NeedsCycleCarry {
  selfRatings: Record<string, Record<string, number>>;
  observed: Record<string, Record<string, number>>;
  adjustments: AdjustmentArgs[];
  version: number;
  surveyRound: number;
  deadline: number;
}

export async function needsAnalysisCycle(input: NeedsCycleInput, carried?: NeedsCycleCarry): Promise<'confirmed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { cycleId, participantIds: participants, competencies, hrId, settings } = input;
  const inbox = new TaskInbox(settings);
  // Answers resume requests (refused: nothing here waits for the organisation) like every flow.
  new StallGuard({ type: 'needs_analysis', businessKey: cycleId, subject: input.name, startedById: input.startedById });
  const selfRatings: Record<string, Record<string, number>> = carried?.selfRatings ?? {};
  const observed: Record<string, Record<string, number>> = carried?.observed ?? {};
  const adjustments: AdjustmentArgs[] = carried?.adjustments ?? [];
  let status = carried ? 'confirmation' : 'survey';
  let surveyRound = carried?.surveyRound ?? 1;
  let deadline = carried?.deadline ?? Date.parse(input.surveyDeadline);
  let lowResponse: 'extend' | 'proceed' | undefined;
  let version = carried?.version ?? 0;
  let analysis: NeedsAnalysis | undefined;

  const responded = () => participants.filter((p) => selfRatings[p]).length;
  const observedCount = () => participants.filter((p) => observed[p]).length;
  const spec = taskMaker(settings.chasing, () => ({ payload: { cycleId } }));
  const answered = (task: TaskSpec, completedBy: string, answeredBy: () => string | undefined) => inbox.askForMessage({ ...task, completedBy }, answeredBy);
  const onlyKnown = (given: Record<string, unknown> | string[]) => {
    const unknown = unknownCompetencies(competencies, given);
    if (unknown.length) refuse('invalid_decision', `this cycle does not assess: ${unknown.join(', ')}`);
  };
  /** A survey rates every competency of the cycle, and no other, or it would count as a response
   *  the analysis cannot use. */
  const ratesEvery = (given: Record<string, unknown>) => {
    onlyKnown(given);
    const unrated = unratedCompetencies(competencies, given);
    if (unrated.length) refuse('invalid_decision', `selfRatings: rate every competency of this cycle; missing ${unrated.join(', ')}`);
  };
  /** A manager may leave out what they could not observe, but not everything. */
  const observesSome = (given: Record<string, unknown>) => {
    onlyKnown(given);
    if (Object.keys(given).length === 0) refuse('invalid_decision', 'observedLevels: rate at least one competency you observed');
  };

  setHandler(flowState, () => ({
    type: 'needs_analysis',
    status,
    step: status,
    openTasks: inbox.openTasks,
    details: { cycleId, surveyRound, deadline: new Date(deadline).toISOString(), responded: responded(), observed: observedCount(), participants: participants.length, version },
  }));

  /** Runs from before answers were counted once recorded counted them first. */
  const countedBeforeRecorded = () => !patched('count-once-recorded');

  setHandler(
    submitSurvey,
    (args) =>
      inbox.answering(async () => {
        if (countedBeforeRecorded()) selfRatings[args.actorId] = args.selfRatings;
        await records.recordSurveyResponse({ flowId, cycleId, participantId: args.actorId, selfRatings: args.selfRatings, needs: args.needs, preferredFormats: args.preferredFormats });
        // Counted once recorded: the live response rate never runs ahead of the stored one.
        selfRatings[args.actorId] = args.selfRatings;
        return { responded: responded(), participants: participants.length };
      }, `survey-${surveyRound}/${args.actorId}`),
    {
      validator: (args) => {
        refuseUnlessValid(surveyArgs, args);
        if (!participants.includes(args.actorId)) refuse('not_your_task', 'only the participants of this cycle answer its survey');
        inbox.checkActor(`survey-${surveyRound}/${args.actorId}`, args.actorId, 'answering the survey');
        ratesEvery(args.selfRatings);
      },
    },
  );

  setHandler(
    submitObservation,
    (args) =>
      inbox.answering(async () => {
        if (countedBeforeRecorded()) observed[args.participantId] = args.observedLevels;
        await records.recordObservation({ flowId, cycleId, participantId: args.participantId, observerId: args.actorId, observedLevels: args.observedLevels, notes: args.notes });
        observed[args.participantId] = args.observedLevels;
        return { observed: observedCount(), participants: participants.length };
      }, `observation-${surveyRound}/${args.participantId}`),
    {
      validator: (args) => {
        refuseUnlessValid(observationArgs, args);
        if (!participants.includes(args.participantId)) refuse('invalid_decision', 'that person is not a participant of this cycle');
        inbox.checkActor(`observation-${surveyRound}/${args.participantId}`, args.actorId, 'observing this participant');
        observesSome(args.observedLevels);
      },
    },
  );

  let lowResponseBy: string | undefined;
  setHandler(
    decideLowResponse,
    (args) =>
      inbox.answering(() => {
        lowResponse = args.choice;
        lowResponseBy = args.actorId;
        return { choice: args.choice };
      }, 'low-response'),
    {
      validator: (args) => {
        refuseUnlessValid(lowResponseArgs, args);
        inbox.checkActor('low-response', args.actorId, 'deciding on a low response rate');
      },
    },
  );

  let adjustmentBy: string | undefined;
  setHandler(
    adjustAssessment,
    (args) =>
      inbox.answering(() => {
        adjustments.push(args);
        adjustmentBy = args.actorId;
        return { version: version + 1 };
      }, `adjust-v${version}`),
    {
      validator: (args) => {
        refuseUnlessValid(adjustmentArgs, args);
        inbox.checkActor(`adjust-v${version}`, args.actorId, 'adjusting the assessment');
        onlyKnown(args.requiredLevels);
        onlyKnown(args.excluded);
        if (competencies.every((c) => args.excluded.includes(c.key) || adjustments.some((a) => a.excluded.includes(c.key)))) refuse('invalid_decision', 'at least one competency must remain');
      },
    },
  );

  // Answers once the cycle is on record: whoever started it can read it at once.
  let recorded = !!carried;
  setHandler(needsCycleStarted, async () => {
    await condition(() => recorded);
    return { cycleId, flowId };
  });

  // HR may cancel a cycle until it is confirmed.
  const flowEnd = new FlowEnd(() => (status === 'confirmed' ? 'the needs assessment is already confirmed' : undefined));
  return flowEnd.run(async () => {
    await records.openFlow({ flowId, type: 'needs_analysis', businessKey: cycleId, subject: `培训需求分析 Training needs: ${input.name}`, startedById: input.startedById });
    const { settings: _settings, ...cycle } = input;
    const who = await records.openNeedsCycle({ flowId, ...cycle });
    recorded = true;

    /** One survey round until its deadline: surveys and observations still missing are asked for,
     *  and whatever is open at the deadline is cancelled. */
    async function survey(): Promise<void> {
      const round = new CancellationScope();
      const surveyOf = (p: string) =>
        answered(
          spec(`survey-${surveyRound}/${p}`, 'needs_survey', `培训需求调研 Training needs survey: ${input.name}`, p, { dueAt: deadline }),
          'the survey is answered (POST /needs-cycles/:id/survey)',
          () => (selfRatings[p] ? p : undefined),
        );
      const observationOf = (p: string) => {
        const observer = who.observers[p] ?? hrId;
        return answered(
          spec(`observation-${surveyRound}/${p}`, 'needs_observation', `工作观察 Observe a participant: ${input.name}`, observer, { dueAt: deadline, payload: { cycleId, participantId: p } }),
          'the observation is submitted (POST /needs-cycles/:id/observations)',
          () => (observed[p] ? observer : undefined),
        );
      };
      const asking = round.run(() =>
        Promise.allSettled(participants.flatMap((p) => [...(selfRatings[p] ? [] : [surveyOf(p)]), ...(observed[p] ? [] : [observationOf(p)])])),
      );
      await condition(() => responded() === participants.length && observedCount() === participants.length, Math.max(1, deadline - Date.now()));
      round.cancel();
      await asking;
      // Answers accepted before the deadline but still being written count, as the database will show.
      if (!countedBeforeRecorded()) await condition(settled);
    }

    /** The survey; below the minimum response rate HR extends it once or proceeds. */
    async function surveyWithLowResponse(): Promise<void> {
      await survey();
      if (responded() / participants.length >= settings.needs.minResponseRate) return;
      status = 'low_response';
      await records.setNeedsStatus({ flowId, cycleId, status });
      await answered(
        spec('low-response', 'needs_low_response', `调研回复率偏低 Low response (${responded()}/${participants.length}): extend or proceed`, hrId),
        'HR extends the survey or proceeds (POST /needs-cycles/:id/low-response)',
        () => lowResponseBy,
      );
      if (lowResponse !== 'extend') return;
      surveyRound = 2;
      deadline += durationMs(settings.needs.surveyExtension);
      status = 'survey';
      await records.setNeedsStatus({ flowId, cycleId, status, surveyDeadline: new Date(deadline).toISOString() });
      await survey();
    }
    if (!carried) await surveyWithLowResponse();

    // Analysis, then confirmation, as often as HR adjusts. Before each analysis no task is open,
    // so a long history continues as a new run there (older runs' settings have no limit).
    const historyFull = () => workflowInfo().historyLength > settings.needs.historyLimit || workflowInfo().continueAsNewSuggested;
    for (;;) {
      if (historyFull()) {
        await condition(() => allHandlersFinished() && nothingCarried());
        await continueAsNew<typeof needsAnalysisCycle>(input, { selfRatings, observed, adjustments, version, surveyRound, deadline });
      }
      version++;
      // The participants' career plans as they stand now; runs from before career plans read none.
      const careerWants = patched('career-wants') ? await records.careerWantsOf({ participants }) : undefined;
      analysis = analyseNeeds(adjusted({ competencies, participants, selfRatings, observations: observed, careerWants }, adjustments));
      const last = adjustments.at(-1);
      await records.storeAssessment({ flowId, cycleId, version, analysis, adjustment: version > 1 && last ? { note: last.note, actorId: last.actorId } : undefined });
      status = 'confirmation';
      await records.setNeedsStatus({ flowId, cycleId, status: `confirmation-v${version}` });

      const confirmation = new CancellationScope();
      const ownConfirmation = (p: string) =>
        inbox.ask(spec(`confirm-v${version}/${p}`, 'needs_confirm_own', `确认本人培训需求 Confirm your training needs: ${input.name}`, p, { outcomes: ['confirm'], payload: { cycleId, version } }));
      const own = confirmation.run(() => Promise.allSettled(participants.map(ownConfirmation)));
      const verdict = await inbox.askAll(
        [...new Set([who.headId, hrId])].map((approver) =>
          spec(`approve-v${version}/${approver}`, 'needs_approval', `确认培训需求分析 Approve the needs assessment: ${input.name} (v${version})`, approver, {
            outcomes: ['approve', 'request_changes'],
            payload: { cycleId, version },
          }),
        ),
      );
      if (verdict.agreed) {
        await own;
        break;
      }
      confirmation.cancel();
      await own;
      status = 'adjustment';
      // Runs from before this change never showed the adjustment on the cycle's record.
      if (patched('adjustment-status')) await records.setNeedsStatus({ flowId, cycleId, status });
      adjustmentBy = undefined;
      await answered(
        spec(`adjust-v${version}`, 'needs_adjust', `调整培训需求分析 Adjust the needs assessment: ${verdict.dissent?.comment ?? ''}`, hrId),
        'HR adjusts the assessment (POST /needs-cycles/:id/adjustment)',
        () => adjustmentBy,
      );
    }

    status = 'confirmed';
    await records.setNeedsStatus({ flowId, cycleId, status });
    await condition(allHandlersFinished);
    return 'confirmed' as const;
  });
}
