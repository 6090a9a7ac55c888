/**
 * Mentoring and assessment of the successor in a handover (DOMAIN.md §5.6): the mentor logs
 * one-to-one sessions, the supervisor assesses; a fail extends mentoring once; a second fail goes
 * to HR, who keeps the successor or names another (the accounts follow), and it starts again.
 */
import { patched, setHandler, uuid4 } from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import { assessmentArgs, mentoringSessionArgs, successorReviewArgs, type AssessmentArgs, type SuccessorReviewArgs } from '../domain/handover';
import type { HandoverContext } from './handoverContext';
import { refuse, refuseUnlessValid } from './humanTask';
import { assessSuccessor, logMentoringSession, reviewSuccessor } from './messages';
import { records } from './records';

export class SuccessorMentoring {
  round = 0;
  sessionsThisRound = 0;
  sessionsRequired = 0;
  attempt = 0;
  private readonly assessments = new Map<number, AssessmentArgs>();
  private review: SuccessorReviewArgs | undefined;

  constructor(private readonly flow: HandoverContext) {
    const { inbox, people } = flow;
    setHandler(
      logMentoringSession,
      (args) =>
        inbox.answering(async () => {
          const sessionId = uuid4();
          const countedFirst = !patched('count-once-recorded'); // how runs from before this change counted
          if (countedFirst) this.sessionsThisRound++;
          const { heldAt, durationMinutes, topic, notes } = args;
          const mentoring = { flowId: flow.flowId, id: sessionId, resignationId: flow.resignationId, mentorId: args.actorId, successorId: people.successorId!, round: this.round };
          await records.recordMentoringSession({ ...mentoring, heldAt, durationMinutes, topic, notes });
          // Counted once recorded, so the mentoring task closes after the session that completes it.
          if (!countedFirst) this.sessionsThisRound++;
          return { sessionId, sessions: this.sessionsThisRound, required: this.sessionsRequired };
        }),
      {
        validator: (args) => {
          refuseUnlessValid(mentoringSessionArgs, args);
          inbox.checkActor(`mentoring-${this.round}`, args.actorId, 'logging a mentoring session');
        },
      },
    );

    setHandler(
      assessSuccessor,
      (args) =>
        inbox.answering(() => {
          this.assessments.set(this.attempt, args);
          return { attempt: this.attempt, passed: args.passed };
        }, `assessment-${this.attempt}`),
      {
        validator: (args) => {
          refuseUnlessValid(assessmentArgs, args);
          inbox.checkActor(`assessment-${this.attempt}`, args.actorId, 'assessing the successor');
        },
      },
    );

    setHandler(
      reviewSuccessor,
      (args) =>
        inbox.answering(() => {
          this.review = args;
          return { decision: args.decision };
        }, `review-${this.attempt}`),
      {
        validator: (args) => {
          refuseUnlessValid(successorReviewArgs, args);
          inbox.checkActor(`review-${this.attempt}`, args.actorId, "reviewing the successor's second failed assessment");
          if (args.decision === 'replace' && [people.leaverId, people.supervisorId, people.successorId].includes(args.successorId)) {
            refuse('invalid_decision', 'the new successor must be someone other than the leaver, the supervisor and the current successor');
          }
        },
      },
    );
  }

  /** Mentors and assesses until the successor passes or HR keeps them. */
  async run(): Promise<void> {
    const { handover } = this.flow.settings;
    let extensionsLeft = 1;
    let period = handover.mentoringPeriod;
    this.sessionsRequired = handover.minMentoringSessions;
    for (;;) {
      await this.mentor(period);
      if (await this.assess()) return;
      if (extensionsLeft > 0) {
        extensionsLeft--;
        period = handover.mentoringExtension;
        this.sessionsRequired = handover.minExtensionSessions;
        continue;
      }
      if (!(await this.replacedByHr())) return;
      extensionsLeft = 1;
      period = handover.mentoringPeriod;
      this.sessionsRequired = handover.minMentoringSessions;
    }
  }

  /** A mentoring task, completed by the session that reaches the required number. */
  private async mentor(period: string): Promise<void> {
    const { flow } = this;
    this.round++;
    this.sessionsThisRound = 0;
    await flow.taskCompletedBy(
      flow.task(`mentoring-${this.round}`, 'mentoring', `辅导接替人 Hold ${this.sessionsRequired} one-to-one sessions with the successor`, flow.people.mentorId!, { dueAt: Date.now() + durationMs(period) }),
      `${this.sessionsRequired} sessions are logged (POST /resignations/:id/mentoring-sessions)`,
      () => (this.sessionsThisRound >= this.sessionsRequired ? flow.people.mentorId : undefined),
      'mentoring',
    );
  }

  /** The supervisor's assessment, on record; resolves with whether the successor passed. */
  private async assess(): Promise<boolean> {
    const { flow } = this;
    const attempt = ++this.attempt;
    await flow.taskCompletedBy(
      flow.task(`assessment-${attempt}`, 'successor_assessment', '考核接替人 Assess the successor', flow.people.supervisorId!),
      'the assessment is submitted (POST /resignations/:id/assessment)',
      () => this.assessments.get(attempt)?.actorId,
      'assessment',
    );
    const verdict = this.assessments.get(attempt)!;
    const { actorId: assessorId, passed, score, comment } = verdict;
    await records.recordAssessment({ flowId: flow.flowId, id: uuid4(), resignationId: flow.resignationId, successorId: flow.people.successorId!, assessorId, attempt, passed, score, comment });
    return verdict.passed;
  }

  /** HR keeps the successor who failed twice (false) or names another, who gets the accounts (true). */
  private async replacedByHr(): Promise<boolean> {
    const { flow } = this;
    const { people } = flow;
    this.review = undefined;
    await flow.taskCompletedBy(
      flow.task(`review-${this.attempt}`, 'successor_review', '接替人两次考核未通过 Successor failed twice: keep or replace', people.hrId),
      'HR keeps or replaces the successor (POST /resignations/:id/successor-review)',
      () => this.review?.actorId,
      'successor_review',
    );
    const review = this.review!;
    if (review.decision === 'keep') return false;
    await records.replaceSuccessor({ flowId: flow.flowId, resignationId: flow.resignationId, fromId: people.successorId!, toId: review.successorId!, actorId: review.actorId });
    people.successorId = review.successorId!;
    return true;
  }
}
