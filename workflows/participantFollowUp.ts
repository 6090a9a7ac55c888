/**
 * One participant's follow-up after the training (DOMAIN.md §4), a child of the programme's flow:
 * a baseline from the manager when the needs assessment gave none, the knowledge test with one
 * retest, the checkpoints (how they apply it, how their manager sees them), and coaching with a
 * re-check when they fall behind. Each participant's flow keeps its own history, so a programme
 * of hundreds stays small.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import {
  applicationArgs,
  baselineArgs,
  behaviourArgs,
  behaviourChange,
  coachingReason,
  followUpSettingsOf,
  followUpTimeline,
} from '../domain/followUp';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { Coaching } from './followUpCoaching';
import { askUntil, refuse, refuseUnlessValid, TaskInbox, taskMaker } from './humanTask';
import {
  flowState,
  giveBaseline,
  participantFinished,
  rateBehaviour,
  reportApplication,
  scoreRecorded,
} from './messages';
import { records } from './records';

export interface ParticipantFollowUpInput {
  followUpId: string;
  planId: string;
  title: string;
  programmeFlowId: string;
  hrId: string;
  employeeId: string;
  name: string;
  managerId?: string;
  /** When their session ended: the checkpoints count from here. */
  joinedAt: string;
  competencies: string[];
  baseline?: Record<string, number>;
  settings: FlowSettings;
}

interface CheckpointAnswers {
  application?: number;
  observed?: Record<string, number>;
  observedBy?: string;
}

export async function participantFollowUp(input: ParticipantFollowUpInput): Promise<'completed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { followUpId, employeeId, name, title, hrId } = input;
  const settings = followUpSettingsOf(input.settings);
  const answerWithin = durationMs(settings.answerWithin);
  const { checkpoints: checkpointsAt, closes: lastCloses } = followUpTimeline(Date.parse(input.joinedAt), settings);
  const managerId = input.managerId ?? hrId;
  const inbox = new TaskInbox(input.settings);

  const scores: { attempt: number; score: number; passed: boolean }[] = [];
  let baseline = input.baseline;
  let baselineBy: string | undefined;
  const answers = new Map<number, CheckpointAnswers>();
  let checkpointOpen: number | undefined;
  let step = 'following up';

  const task = taskMaker(input.settings.chasing, () => ({ payload: { planId: input.planId, followUpId, employeeId }, escalationTargets: { hr: hrId } }));
  const coaching = new Coaching({ followUpId, employeeId, name, title, managerId, hrId }, settings, inbox, task);
  const answersAt = (no: number) => answers.get(no) ?? answers.set(no, {}).get(no)!;
  const changeAt = (no: number) => behaviourChange(baseline, answers.get(no)?.observed);

  setHandler(flowState, () => ({
    type: 'follow_up_participant',
    status: step,
    step,
    openTasks: inbox.openTasks,
    details: { followUpId, employeeId, scores, baseline, checkpoints: Object.fromEntries(answers), coaching: coaching.current, mentorId: coaching.mentorId },
  }));

  setHandler(scoreRecorded, (s) => {
    if (!scores.some((earlier) => earlier.attempt === s.attempt)) scores.push(s);
  });

  const unknownCompetencies = (levels: Record<string, number>) => Object.keys(levels).filter((c) => !input.competencies.includes(c));
  const checkLevels = (levels: Record<string, number>) => {
    const unknown = unknownCompetencies(levels);
    if (unknown.length) refuse('invalid_decision', `levels: not a competency of this programme: ${unknown.join(', ')} (rate ${input.competencies.join(', ')})`);
  };

  setHandler(
    giveBaseline,
    (args) =>
      inbox.answering(async () => {
        await records.recordBaseline({ flowId, followUpId, employeeId, levels: args.levels, actorId: args.actorId });
        baseline = args.levels;
        baselineBy = args.actorId;
        return { baseline: args.levels };
      }, 'baseline'),
    {
      validator: (args) => {
        refuseUnlessValid(baselineArgs, args);
        inbox.checkActor('baseline', args.actorId, 'a baseline');
        checkLevels(args.levels);
      },
    },
  );

  const openCheckpoint = (what: string) => {
    if (checkpointOpen === undefined) refuse('wrong_state', `${what} is asked at the checkpoints after the training; none is open now`);
    return checkpointOpen;
  };

  setHandler(
    reportApplication,
    (args) => {
      const no = checkpointOpen!;
      return inbox.answering(async () => {
        await records.recordCheckpointAnswer({ flowId, followUpId, employeeId, checkpointNo: no, actorId: args.actorId, application: { level: args.level, examples: args.examples } });
        answersAt(no).application = args.level;
        return { checkpointNo: no };
      }, `checkpoint-${no}/application`);
    },
    {
      validator: (args) => {
        refuseUnlessValid(applicationArgs, args);
        inbox.checkActor(`checkpoint-${openCheckpoint('how you apply the training')}/application`, args.actorId, 'this survey');
      },
    },
  );

  setHandler(
    rateBehaviour,
    (args) => {
      const no = checkpointOpen!;
      return inbox.answering(async () => {
        await records.recordCheckpointAnswer({ flowId, followUpId, employeeId, checkpointNo: no, actorId: args.actorId, behaviour: { levels: args.levels, comment: args.comment } });
        Object.assign(answersAt(no), { observed: args.levels, observedBy: args.actorId });
        return { checkpointNo: no, change: changeAt(no) ?? null };
      }, `checkpoint-${no}/behaviour`);
    },
    {
      validator: (args) => {
        refuseUnlessValid(behaviourArgs, args);
        inbox.checkActor(`checkpoint-${openCheckpoint('the observed level')}/behaviour`, args.actorId, 'this rating');
        checkLevels(args.levels);
      },
    },
  );

  // ---- The story ------------------------------------------------------------------------------

  /** Without a baseline from the needs assessment, the manager gives one when the participant joins. */
  async function askBaseline() {
    if (baseline) return;
    const due = Date.now() + answerWithin;
    await askUntil(lastCloses, () =>
      inbox.askForMessage(
        { ...task('baseline', 'followup_baseline', `基线评估 Rate ${name}'s level before the training takes effect: ${title}`, managerId, { dueAt: due }), completedBy: 'the manager gives the baseline (POST …/baseline)' },
        () => baselineBy,
      ),
    );
  }

  /** The knowledge test: a fail gets one retest; a fail again leads to coaching. */
  async function knowledge() {
    if (!(await condition(() => scores.length > 0, Math.max(1, lastCloses - Date.now())))) return;
    if (scores[0]!.passed) return;
    step = 'retest';
    const due = Date.now() + durationMs(settings.retestWithin);
    await askUntil(lastCloses, () =>
      inbox.askForMessage(
        { ...task('retest', 'followup_retest', `补考 Retake the knowledge test: ${title}`, employeeId, { dueAt: due }), completedBy: 'the trainer records your retest score' },
        () => (scores.length > 1 ? employeeId : undefined),
      ),
    );
    if (scores[1] && !scores[1].passed) coaching.startOnce('knowledge');
  }

  /** At each checkpoint: how they apply it (the participant) and the observed level (the manager). */
  async function checkpoints() {
    for (const [i, at] of checkpointsAt.entries()) {
      const no = i + 1;
      await sleep(Math.max(1, at - Date.now()));
      checkpointOpen = no;
      step = `checkpoint ${no}`;
      const due = Date.now() + answerWithin;
      await askUntil(due + answerWithin, () =>
        Promise.all([
          inbox.askForMessage(
            { ...task(`checkpoint-${no}/application`, 'followup_application', `培训应用 How do you apply "${title}"? (checkpoint ${no})`, employeeId, { dueAt: due }), completedBy: 'you report how you apply it (POST …/application)' },
            () => (answers.get(no)?.application !== undefined ? employeeId : undefined),
          ),
          inbox.askForMessage(
            { ...task(`checkpoint-${no}/behaviour`, 'followup_behaviour', `行为观察 Rate ${name}'s observed level (checkpoint ${no}): ${title}`, managerId, { dueAt: due }), completedBy: 'the manager rates the observed level (POST …/behaviour)' },
            () => answers.get(no)?.observedBy,
          ),
        ]),
      );
      checkpointOpen = undefined;
      const reason = coachingReason({ application: answers.get(no)?.application, change: changeAt(no) }, settings);
      if (reason) coaching.startOnce(reason);
    }
  }

  const flowEnd = new FlowEnd();
  return flowEnd.run(async () => {
    await records.openFlow({ flowId, type: 'follow_up_participant', businessKey: `${followUpId}:${employeeId}`, subject: `${title}: ${name}`, startedById: hrId });
    await Promise.all([askBaseline(), knowledge(), checkpoints()]);
    if (coaching.ended) {
      step = 'coaching';
      await coaching.ended;
    }
    step = 'completed';
    await records.finishParticipant({ flowId, followUpId, employeeId });
    await getExternalWorkflowHandle(input.programmeFlowId).signal(participantFinished, { employeeId });
    await condition(allHandlersFinished);
    return 'completed' as const;
  });
}
