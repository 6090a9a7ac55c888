/**
 * Resignation, handover, knowledge transfer and sign-off (DOMAIN.md §5). The manager acknowledges,
 * HR names a successor and a supervisor, the checklist (a child workflow per round) hands every
 * account over while the leaver writes knowledge articles, a mentor coaches the successor, the
 * supervisor assesses them, supervisor and HR sign off, and the successor rates the handover.
 */
import {
  allHandlersFinished,
  condition,
  executeChild,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import {
  assessmentArgs,
  assignHandoverArgs,
  DEFAULT_HANDOVER,
  mentoringSessionArgs,
  ratingArgs,
  submitArticleArgs,
  successorReviewArgs,
  type AssessmentArgs,
  type RatingArgs,
  type ResignationRecord,
  type SuccessorReviewArgs,
} from '../domain/handover';
import type { FlowSettings, TaskType } from '../domain/settings';
import type { Outcome } from '../domain/tasks';
import { handoverChecklist } from './handoverChecklist';
import { FlowEnd } from './flowEnd';
import { records } from './records';
import { StallGuard } from './stalls';
import { refuse, refuseUnlessValid, TaskInbox, type TaskSpec } from './humanTask';
import {
  assessSuccessor,
  assignHandover,
  flowState,
  handoverStarted,
  logMentoringSession,
  rateHandover,
  reviewSuccessor,
  submitArticle,
} from './messages';


export interface HandoverInput extends ResignationRecord {
  settings: FlowSettings;
}

export const handoverFlowId = (employeeId: string, resignationId: string) => `handover:${employeeId}:${resignationId}`;

export async function resignationHandover(input: HandoverInput): Promise<'completed' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { resignationId, employeeId: leaverId, settings } = input;
  const inbox = new TaskInbox();
  const stalls = new StallGuard({ type: 'handover', businessKey: resignationId, subject: `离职交接 Handover: ${leaverId} (${input.lastWorkingDay})`, startedById: input.startedById });

  let phase = 'acknowledgement';
  let recorded = false;
  let hrId = '';
  let successorId = input.successorId;
  let supervisorId = input.supervisorId;
  let mentorId = input.mentorId;
  let checklistRound = 0;
  const articles = new Map<string, { revision: number; status: 'in_review' | 'changes_requested' | 'published' }>();
  let mentoringRound = 0;
  let sessionsThisRound = 0;
  let sessionsRequired = 0;
  let attempt = 0;
  const assessments = new Map<number, AssessmentArgs>();
  let review: SuccessorReviewArgs | undefined;
  let rating: RatingArgs | undefined;

  const task = (stepKey: string, type: TaskType, title: string, assigneeId: string, extra: Partial<TaskSpec> = {}): TaskSpec => ({
    stepKey,
    type,
    title,
    assigneeId,
    outcomes: ['done'] as Outcome[],
    policy: settings.chasing[type],
    payload: { resignationId },
    escalationTargets: { supervisor: supervisorId, hr: hrId },
    ...extra,
  });
  /** A task that a message of this flow completes; its phase is announced once the flow accepts
   *  that message. */
  const taskCompletedBy = (spec: TaskSpec, completedBy: string, arrived: () => string | undefined, inPhase?: string) =>
    inbox.askForMessage({ ...spec, completedBy }, arrived, inPhase ? () => enter(inPhase) : undefined);
  async function enter(next: string, names: { successorId?: string; supervisorId?: string; mentorId?: string; actorId?: string } = {}) {
    phase = next;
    await records.setHandoverPhase({ flowId, resignationId, phase: next, ...names });
  }

  setHandler(flowState, () => ({
    type: 'handover',
    status: phase === 'completed' ? 'completed' : stalls.reason ? 'stalled' : 'running',
    step: stalls.reason ?? phase,
    openTasks: inbox.openTasks,
    details: { resignationId, leaverId, successorId, supervisorId, mentorId, hrId, checklistRound, mentoringRound, sessionsThisRound, sessionsRequired, attempt },
  }));

  // Answers once the resignation is on record, or at once with the reason when the flow stalls first.
  setHandler(handoverStarted, async () => {
    await condition(() => recorded || stalls.reason !== undefined);
    return recorded ? { resignationId, flowId } : { resignationId, flowId, stalledReason: stalls.reason };
  });

  let assignment: { actorId: string } | undefined;
  setHandler(
    assignHandover,
    (args) =>
      inbox.answering(() => {
        ({ successorId, supervisorId } = args);
        mentorId = args.mentorId ?? mentorId;
        assignment = { actorId: args.actorId };
        return { phase };
      }, 'assign'),
    {
      validator: (args) => {
        refuseUnlessValid(assignHandoverArgs, args);
        inbox.checkActor('assign', args.actorId, 'naming the successor and supervisor');
        if ([args.successorId, args.supervisorId, args.mentorId].includes(leaverId)) refuse('invalid_decision', 'the leaver cannot be their own successor, supervisor or mentor');
        if (args.successorId === args.supervisorId) refuse('invalid_decision', 'the successor and the supervisor must be different people');
      },
    },
  );

  let reviewsInFlight = 0;
  setHandler(
    submitArticle,
    (args) =>
      inbox.answering(async () => {
        const articleId = args.articleId ?? uuid4();
        const revision = (articles.get(articleId)?.revision ?? 0) + 1;
        articles.set(articleId, { revision, status: 'in_review' });
        reviewsInFlight++;
        await records.recordArticle({ flowId, id: articleId, resignationId, authorId: args.actorId, kind: args.kind, title: args.title, body: args.body, revision });
        void reviewArticle(articleId, revision, args.title, args.actorId);
        return { articleId, revision };
      }),
    {
      validator: (args) => {
        refuseUnlessValid(submitArticleArgs, args);
        inbox.checkActor('knowledge', args.actorId, 'writing knowledge articles');
        if (args.articleId && articles.get(args.articleId)?.status !== 'changes_requested') {
          refuse('wrong_state', 'only an article the supervisor sent back can be revised');
        }
      },
    },
  );

  /** The supervisor approves an article into the knowledge base, or sends it back. */
  async function reviewArticle(articleId: string, revision: number, title: string, authorId: string) {
    try {
      const verdict = await inbox.ask(
        task(`article-${articleId}-r${revision}`, 'knowledge_review', `审核知识文章 Review knowledge article: ${title}`, reviewerOf(authorId), {
          outcomes: ['approve', 'request_changes'],
          payload: { resignationId, articleId, revision },
        }),
      );
      const approved = verdict.outcome === 'approve';
      await records.recordArticleReview({ flowId, articleId, revision, approved, reviewerId: verdict.decidedById, comment: verdict.comment });
      articles.set(articleId, { revision, status: approved ? 'published' : 'changes_requested' });
    } finally {
      reviewsInFlight--;
    }
  }
  /** Nobody reviews their own article: the supervisor's (written for a leaver who has gone, or on
   *  the leaver's behalf after escalation) goes to the flow's HR officer. */
  const reviewerOf = (authorId: string) => (authorId === supervisorId && patched('emergency-knowledge') ? hrId : supervisorId!);
  const published = () => [...articles.values()].filter((a) => a.status === 'published').length;

  setHandler(
    logMentoringSession,
    (args) =>
      inbox.answering(async () => {
        const sessionId = uuid4();
        const countedFirst = !patched('count-once-recorded'); // how runs from before this change counted
        if (countedFirst) sessionsThisRound++;
        await records.recordMentoringSession({ flowId, id: sessionId, resignationId, mentorId: args.actorId, successorId: successorId!, round: mentoringRound, heldAt: args.heldAt, durationMinutes: args.durationMinutes, topic: args.topic, notes: args.notes });
        // Counted once recorded, so the mentoring task closes after the session that completes it.
        if (!countedFirst) sessionsThisRound++;
        return { sessionId, sessions: sessionsThisRound, required: sessionsRequired };
      }),
    {
      validator: (args) => {
        refuseUnlessValid(mentoringSessionArgs, args);
        inbox.checkActor(`mentoring-${mentoringRound}`, args.actorId, 'logging a mentoring session');
      },
    },
  );

  setHandler(
    assessSuccessor,
    (args) =>
      inbox.answering(() => {
        assessments.set(attempt, args);
        return { attempt, passed: args.passed };
      }, `assessment-${attempt}`),
    {
      validator: (args) => {
        refuseUnlessValid(assessmentArgs, args);
        inbox.checkActor(`assessment-${attempt}`, args.actorId, 'assessing the successor');
      },
    },
  );

  setHandler(
    reviewSuccessor,
    (args) =>
      inbox.answering(() => {
        review = args;
        return { decision: args.decision };
      }, `review-${attempt}`),
    {
      validator: (args) => {
        refuseUnlessValid(successorReviewArgs, args);
        inbox.checkActor(`review-${attempt}`, args.actorId, "reviewing the successor's second failed assessment");
        if (args.decision === 'replace' && [leaverId, supervisorId, successorId].includes(args.successorId)) {
          refuse('invalid_decision', 'the new successor must be someone other than the leaver, the supervisor and the current successor');
        }
      },
    },
  );

  setHandler(
    rateHandover,
    (args) =>
      inbox.answering(() => {
        rating = args;
        return { score: args.score };
      }, 'rating'),
    {
      validator: (args) => {
        refuseUnlessValid(ratingArgs, args);
        inbox.checkActor('rating', args.actorId, 'rating the handover');
      },
    },
  );

  // HR may cancel a resignation filed by mistake until the last working day starts.
  const flowEnd = new FlowEnd(() =>
    Date.now() >= Date.parse(input.lastDayStartsAt) ? 'the last working day has begun: the handover can no longer be cancelled'
    : ['sign_off', 'rating', 'completed'].includes(phase) ? `the handover is at ${phase}: it can no longer be cancelled` : undefined,
  );

  /** 1. The resignation is on record (the flow stalls while no HR officer can oversee it). */
  async function recordResignation() {
    const { settings: _settings, ...resignation } = input;
    const who = await stalls.resolving(() => records.openResignation({ flowId, ...resignation }));
    await records.openFlow({ flowId, type: 'handover', businessKey: resignationId, subject: `离职交接 Handover: ${who.leaverName} (${input.lastWorkingDay})`, startedById: input.startedById });
    hrId = who.hrId;
    recorded = true;
    return who;
  }

  /** 2. The manager acknowledges; HR names the successor and the supervisor, unless the start did. */
  async function acknowledgeAndAssign(who: { leaverName: string; managerId: string | null }) {
    await inbox.ask(
      task('acknowledge', 'handover_acknowledge', `确认离职申请 Acknowledge the resignation of ${who.leaverName}`, who.managerId ?? hrId, { outcomes: ['confirm'] }),
    );
    if (successorId && supervisorId) return;
    await taskCompletedBy(
      task('assign', 'handover_assign', `指定接替人与交接监督人 Name the successor and supervisor for ${who.leaverName}`, hrId),
      'HR names the successor and the supervisor (POST /resignations/:id/assignment)',
      () => assignment?.actorId,
      'assignment',
    );
  }

  /** 3a. The checklist, round by round until no account is left with the leaver (each round
   *  writes a line for every account still with them). Every round needs the supervisor's
   *  verification, so the loop moves only as fast as people; past a few rounds HR and admins are
   *  alarmed that accounts keep reaching the leaver. */
  async function handOverEverything(): Promise<void> {
    for (;;) {
      checklistRound++;
      await executeChild(handoverChecklist, {
        workflowId: `${flowId}/checklist-${checklistRound}`,
        args: [{
          resignationId,
          leaverId,
          supervisorId: supervisorId!,
          successorId: successorId!,
          hrId,
          lastDayStartsAt: input.lastDayStartsAt,
          departsAt: input.departsAt,
          lead: settings.handover.checklistLead,
          policy: settings.chasing.handover_item,
          historyLimit: settings.handover.checklistHistoryLimit,
          accountsOnly: checklistRound > 1,
        }],
      });
      const remaining = await records.accountsStillWith({ employeeId: leaverId });
      if (remaining === 0) return;
      const alarmAfter = settings.handover.roundsBeforeAlarm ?? DEFAULT_HANDOVER.roundsBeforeAlarm!;
      if (checklistRound >= alarmAfter && patched('round-alarm')) {
        await records.reportAccountsStillArriving({ flowId, resignationId, leaverId, hrId, round: checklistRound, remaining });
      }
    }
  }

  /** 3b. Meanwhile the leaver writes knowledge articles until enough are approved. When the leaver
   *  has already gone (an emergency handover), the supervisor writes them from what was left. */
  async function captureKnowledge(): Promise<void> {
    const required = settings.handover.minKnowledgeArticles;
    if (required === 0) return;
    const leaverGone = patched('emergency-knowledge') && Date.now() >= Date.parse(input.departsAt);
    const title = leaverGone
      ? `撰写知识文章 Write ${required} knowledge article(s) for the successor: the leaver has already gone`
      : `撰写知识文章 Write ${required} knowledge article(s) for your successor`;
    await taskCompletedBy(
      task('knowledge', 'knowledge_capture', title, leaverGone ? supervisorId! : leaverId, { dueAt: leaverGone ? undefined : Date.parse(input.lastDayStartsAt) }),
      `${required} knowledge article(s) are approved (POST /resignations/:id/knowledge-articles)`,
      () => (published() >= required && reviewsInFlight === 0 ? leaverId : undefined),
    );
  }

  /** 4. Mentoring and assessment: a fail extends mentoring once; a second fail goes to HR, who
   *  keeps the successor or names another (the accounts follow). */
  async function mentorAndAssess(): Promise<void> {
    let extensionsLeft = 1;
    let period = settings.handover.mentoringPeriod;
    sessionsRequired = settings.handover.minMentoringSessions;
    for (;;) {
      mentoringRound++;
      sessionsThisRound = 0;
      await taskCompletedBy(
        task(`mentoring-${mentoringRound}`, 'mentoring', `辅导接替人 Hold ${sessionsRequired} one-to-one sessions with the successor`, mentorId!, { dueAt: Date.now() + durationMs(period) }),
        `${sessionsRequired} sessions are logged (POST /resignations/:id/mentoring-sessions)`,
        () => (sessionsThisRound >= sessionsRequired ? mentorId : undefined),
        'mentoring',
      );
      attempt++;
      await taskCompletedBy(
        task(`assessment-${attempt}`, 'successor_assessment', '考核接替人 Assess the successor', supervisorId!),
        'the assessment is submitted (POST /resignations/:id/assessment)',
        () => assessments.get(attempt)?.actorId,
        'assessment',
      );
      const verdict = assessments.get(attempt)!;
      await records.recordAssessment({ flowId, id: uuid4(), resignationId, successorId: successorId!, assessorId: verdict.actorId, attempt, passed: verdict.passed, score: verdict.score, comment: verdict.comment });
      if (verdict.passed) return;
      if (extensionsLeft > 0) {
        extensionsLeft--;
        period = settings.handover.mentoringExtension;
        sessionsRequired = settings.handover.minExtensionSessions;
        continue;
      }
      review = undefined;
      await taskCompletedBy(
        task(`review-${attempt}`, 'successor_review', '接替人两次考核未通过 Successor failed twice: keep or replace', hrId),
        'HR keeps or replaces the successor (POST /resignations/:id/successor-review)',
        () => review?.actorId,
        'successor_review',
      );
      if (review!.decision === 'keep') return;
      await records.replaceSuccessor({ flowId, resignationId, fromId: successorId!, toId: review!.successorId!, actorId: review!.actorId });
      successorId = review!.successorId!;
      extensionsLeft = 1;
      period = settings.handover.mentoringPeriod;
      sessionsRequired = settings.handover.minMentoringSessions;
    }
  }

  /** 5. Supervisor and HR sign off; the leaver leaves only when no account is theirs any more. */
  async function signOff(who: { leaverName: string }): Promise<void> {
    for (let round = 1; ; round++) {
      await enter('sign_off');
      await inbox.askAll(
        [...new Set([supervisorId!, hrId])].map((signer) =>
          task(`sign-off-${round}/${signer}`, 'handover_sign_off', `交接签字确认 Sign off the handover of ${who.leaverName}`, signer, { outcomes: ['confirm'] }),
        ),
        'confirm',
      );
      if ((await records.completeHandover({ flowId, resignationId, leaverId })).remaining === 0) return;
      await enter('handover');
      await handOverEverything();
    }
  }

  /** 6. The successor rates the handover. */
  async function collectRating(): Promise<void> {
    await taskCompletedBy(
      task('rating', 'handover_rating', '评价交接 Rate the handover you received', successorId!),
      'the successor rates the handover (POST /resignations/:id/rating)',
      () => rating?.actorId,
      'rating',
    );
    await records.finishHandover({ flowId, resignationId, rating: rating && { score: rating.score, comment: rating.comment, actorId: rating.actorId } });
  }

  return flowEnd.run(async () => {
    const who = await recordResignation();
    await acknowledgeAndAssign(who);
    const knowledge = captureKnowledge(); // asks for the articles before the phase is announced
    await enter('handover', { successorId, supervisorId, mentorId: (mentorId ??= supervisorId), actorId: assignment?.actorId });
    await Promise.all([handOverEverything(), knowledge]);
    await mentorAndAssess();
    await signOff(who);
    await collectRating();
    phase = 'completed';
    await condition(allHandlersFinished);
    return 'completed' as const;
  });
}
