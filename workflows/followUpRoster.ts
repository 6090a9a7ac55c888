/**
 * A programme's people (DOMAIN.md §4): the sessions' hand-overs as they arrive, each participant
 * in a follow-up flow of their own, and their test scores, taken a whole table at a time or refused
 * naming every bad row. Part of the programme's flow (trainingFollowUp.ts).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { participantFlowId, scoreAttempt, scoreRowRefusal, scoresArgs, type AttendeesJoined, type ScoresArgs } from '../domain/followUp';
import { refuse, refuseUnlessValid, type TaskInbox } from './humanTask';
import { attendeesJoined, participantFinished, recordScores, sessionsChanged } from './messages';
import { participantFollowUp } from './participantFollowUp';
import { records } from './records';
import type { TrainingFollowUpInput } from './trainingFollowUp';

interface Participant {
  scores: { attempt: number; passed: boolean }[];
  finished: boolean;
}

/** A session's attendees and whether the trainer has scored them all (or the time for it passed). */
export interface Cohort extends AttendeesJoined {
  scored: boolean;
}

/** What the roster hands to the next run when the flow continues as new. */
export interface RosterState {
  cohorts: Cohort[];
  participants: Record<string, Participant>;
  /** Hand-overs not yet taken in. */
  arriving: AttendeesJoined[];
  scoreEntries: number;
}

export class Roster {
  readonly cohorts: Cohort[];
  readonly arriving: AttendeesJoined[];
  /** Counts hand-overs and cancellations of the plan's sessions: either may end the wait for them. */
  sessionEvents = 0;
  private readonly participants: Map<string, Participant>;
  private scoreEntries: number;
  private readonly flowId = workflowInfo().workflowId;

  constructor(
    private readonly input: TrainingFollowUpInput,
    inbox: TaskInbox,
    carried?: RosterState,
  ) {
    this.cohorts = carried?.cohorts ?? [];
    this.participants = new Map(Object.entries(carried?.participants ?? {}));
    this.arriving = carried?.arriving ?? [];
    this.scoreEntries = carried?.scoreEntries ?? 0;

    setHandler(sessionsChanged, () => void this.sessionEvents++);
    setHandler(attendeesJoined, (joined) => {
      const known = (c: AttendeesJoined) => c.sessionId === joined.sessionId;
      if (!this.cohorts.some(known) && !this.arriving.some(known)) this.arriving.push(joined);
      this.sessionEvents++;
    });
    setHandler(participantFinished, ({ employeeId }) => {
      const p = this.participants.get(employeeId);
      if (p) p.finished = true;
    });
    setHandler(
      recordScores,
      (args) => {
        const rows = args.scores.map((r) => {
          const p = this.participants.get(r.employeeId)!;
          const row = { employeeId: r.employeeId, score: r.score, attempt: scoreAttempt(p.scores)!, passed: r.score >= input.passMark };
          p.scores.push({ attempt: row.attempt, passed: row.passed });
          return row;
        });
        return inbox.answering(async () => {
          const entry = ++this.scoreEntries;
          await records.recordScores({ flowId: this.flowId, followUpId: input.followUpId, planId: input.planId, entry, actorId: args.actorId, rows });
          // Scores are on record: early warning scores these participants again.
          if (patched('risk-recompute')) {
            await records.recomputeRisk({ key: `${this.flowId}:scores-${entry}`, employeeIds: rows.map((r) => r.employeeId), cause: 'follow_up_score', settings: input.settings });
          }
          return { recorded: rows.length, retests: rows.filter((r) => r.attempt === 1 && !r.passed).map((r) => r.employeeId) };
        });
      },
      { validator: (args: ScoresArgs) => this.checkScores(args) },
    );
  }

  get state(): RosterState {
    return { cohorts: this.cohorts, participants: Object.fromEntries(this.participants), arriving: this.arriving, scoreEntries: this.scoreEntries };
  }

  get size(): number {
    return this.participants.size;
  }

  get finished(): number {
    return [...this.participants.values()].filter((p) => p.finished).length;
  }

  /** Every cohort scored (or past its time) and every participant's follow-up ended. */
  everyoneDone(): boolean {
    return this.cohorts.every((c) => c.scored) && [...this.participants.values()].every((p) => p.finished);
  }

  /** Every attendee of the cohort who follows up has a first score. */
  scoredAll(cohort: Cohort): boolean {
    return cohort.attendees.every((id) => (this.participants.get(id)?.scores.length ?? 1) > 0);
  }

  /** When the first session handed over: the programme's results are asked from there. */
  firstEnd(): number {
    return Math.min(...this.cohorts.map((c) => Date.parse(c.endedAt)));
  }

  /**
   * The next session's attendees join: each new one gets a flow. Answers the cohort when its
   * trainer is to be asked for scores.
   */
  async welcomeNext(): Promise<Cohort | undefined> {
    const joined = this.arriving.shift()!;
    // On record at once, so the same hand-over arriving again meanwhile is known.
    const cohort = { ...joined, scored: false };
    this.cohorts.push(cohort);
    const { followUpId, planId, title, hrId, competencies, settings } = this.input;
    const enrolled = await records.enrolParticipants({ flowId: this.flowId, followUpId, sessionId: joined.sessionId, attendees: joined.attendees, endedAt: joined.endedAt });
    // All of a session's attendees at once: one round trip, not one per participant.
    await Promise.all(
      enrolled.map(async (p) => {
        await startChild(participantFollowUp, {
          workflowId: participantFlowId(planId, p.employeeId),
          // The child outlives a continue-as-new of this flow and reports back by signal.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ followUpId, planId, title, programmeFlowId: this.flowId, hrId, employeeId: p.employeeId, name: p.name, managerId: p.managerId, joinedAt: p.joinedAt, competencies, baseline: p.baseline, settings }],
        }).catch((err) => {
          // Started before (a run that continued as new in between): it is the same participant.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
        this.participants.set(p.employeeId, { scores: [], finished: false });
      }),
    );
    if (cohort.attendees.some((id) => this.participants.has(id))) return cohort;
    cohort.scored = true;
    return undefined;
  }

  private checkScores(args: ScoresArgs): void {
    refuseUnlessValid(scoresArgs, args);
    const trainers = this.cohorts.map((c) => c.trainerId);
    if (args.actorId !== this.input.hrId && !trainers.includes(args.actorId)) refuse('not_allowed', 'only a trainer of this programme or its HR officer records test scores');
    const problems = args.scores.flatMap((r, i) => {
      const p = this.participants.get(r.employeeId);
      if (!p) return [scoreRowRefusal(i, r.employeeId, 'not a participant of this programme')];
      if (p.finished) return [scoreRowRefusal(i, r.employeeId, 'their follow-up has ended')];
      if (scoreAttempt(p.scores) === undefined) return [scoreRowRefusal(i, r.employeeId, p.scores.some((s) => s.passed) ? 'already passed' : 'already retested')];
      return [];
    });
    if (problems.length) refuse('invalid_decision', `nothing was recorded: ${problems.join('; ')}`);
  }
}
