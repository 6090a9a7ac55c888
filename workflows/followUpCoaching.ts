/**
 * Coaching (辅导) of one participant who falls behind (DOMAIN.md §4): by a mentor HR names, else
 * their manager; the coach logs a minimum of sessions, chased by the task's policy; then the
 * manager re-checks, and still below the bar HR is told. Part of a participant's follow-up flow.
 */
import { setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { durationMs } from '../domain/durations';
import { coachingSessionArgs, mentorArgs, type CoachingReason, type FollowUpSettings } from '../domain/followUp';
import { refuse, refuseUnlessValid, type TaskInbox, type TaskSpec } from './humanTask';
import { logCoachingSession, nameMentor } from './messages';
import { records } from './records';

type TaskOf = (stepKey: string, type: TaskSpec['type'], title: string, assigneeId: string, extra?: Partial<TaskSpec>) => TaskSpec;

export interface Coachee {
  followUpId: string;
  employeeId: string;
  name: string;
  title: string;
  managerId: string;
  hrId: string;
}

export class Coaching {
  mentorId: string | undefined;
  /** Set once coaching starts. */
  current: { reason: CoachingReason; coachId: string; sessions: number; lastBy?: string } | undefined;
  private run: Promise<void> | undefined;
  private readonly flowId = workflowInfo().workflowId;

  constructor(
    private readonly who: Coachee,
    private readonly settings: FollowUpSettings,
    private readonly inbox: TaskInbox,
    private readonly task: TaskOf,
  ) {
    const { followUpId, employeeId } = who;
    setHandler(
      logCoachingSession,
      (args) =>
        inbox.answering(async () => {
          await records.recordCoachingSession({ flowId: this.flowId, id: uuid4(), followUpId, employeeId, coachId: args.actorId, heldOn: args.heldOn, minutes: args.minutes, notes: args.notes });
          this.current!.sessions++;
          this.current!.lastBy = args.actorId;
          return { sessions: this.current!.sessions, required: settings.coachingSessions };
        }),
      {
        validator: (args) => {
          refuseUnlessValid(coachingSessionArgs, args);
          inbox.checkActor('coaching', args.actorId, 'coaching');
        },
      },
    );
    setHandler(
      nameMentor,
      async (args) => {
        await records.setMentor({ flowId: this.flowId, followUpId, employeeId, mentorId: args.mentorId, actorId: args.actorId });
        this.mentorId = args.mentorId;
        return { mentorId: args.mentorId };
      },
      {
        validator: (args) => {
          refuseUnlessValid(mentorArgs, args);
          if (args.mentorId === employeeId) refuse('invalid_decision', 'mentorId: a participant cannot mentor themselves');
          if (this.current) refuse('wrong_state', `coaching has started with ${this.current.coachId}; a mentor is named before it starts`);
        },
      },
    );
  }

  /** Coaching starts at most once, for the first reason found; it runs beside what remains. */
  startOnce(reason: CoachingReason): void {
    this.run ??= this.coach(reason);
  }

  /** Resolves when coaching, if it started, has ended. */
  get ended(): Promise<void> | undefined {
    return this.run;
  }

  private async coach(reason: CoachingReason): Promise<void> {
    const { followUpId, employeeId, name, title, managerId, hrId } = this.who;
    const { coachingSessions } = this.settings;
    const coachId = this.mentorId ?? managerId;
    const coaching = { reason, coachId, sessions: 0 } as NonNullable<Coaching['current']>;
    this.current = coaching;
    await records.startCoaching({ flowId: this.flowId, followUpId, employeeId, reason, coachId });
    await this.inbox.askForMessage(
      {
        ...this.task('coaching', 'followup_coaching', `辅导 Coach ${name} (${reason}): ${coachingSessions} session(s)`, coachId, { dueAt: Date.now() + durationMs(this.settings.coachingWithin) }),
        completedBy: `the coach logs ${coachingSessions} coaching session(s) (POST …/coaching-sessions)`,
      },
      () => (coaching.sessions >= coachingSessions ? coaching.lastBy : undefined),
    );
    const verdict = await this.inbox.ask(
      this.task('recheck', 'followup_recheck', `辅导复核 Re-check ${name} after coaching (${reason}): ${title}`, managerId, { outcomes: ['improved', 'still_below'], dueAt: Date.now() + durationMs(this.settings.answerWithin) }),
    );
    await records.recordRecheck({ flowId: this.flowId, followUpId, employeeId, outcome: verdict.outcome === 'improved' ? 'improved' : 'still_below', actorId: verdict.decidedById, hrId, title, reason });
  }
}
