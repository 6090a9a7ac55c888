/**
 * Resignation, handover, knowledge transfer and sign-off (DOMAIN.md §5). The manager acknowledges,
 * HR names a successor and a supervisor, the checklist (a child workflow per round) hands every
 * account over while the leaver writes knowledge articles, a mentor coaches the successor, the
 * supervisor assesses them, supervisor and HR sign off (the team's head then rebuilds the team,
 * workflows/teamRebuilding.ts), and the successor rates the handover. From sign-off on, HR holds the
 * exit interview (workflows/handoverExitInterview.ts); the handover completes once it is on record.
 */
import { allHandlersFinished, condition, executeChild, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { assignHandoverArgs, DEFAULT_HANDOVER, ratingArgs, type RatingArgs } from '../domain/handover';
import { teamRebuildingFlowId } from '../domain/teamRebuilding';
import { handoverChecklist } from './handoverChecklist';
import { HandoverContext, type HandoverInput } from './handoverContext';
import { ExitInterview } from './handoverExitInterview';
import { KnowledgeCapture } from './handoverKnowledge';
import { SuccessorMentoring } from './handoverMentoring';
import { FlowEnd } from './flowEnd';
import { records, writeThroughRegularActivities } from './records';
import { StallGuard } from './stalls';
import { refuse, refuseUnlessValid } from './humanTask';
import { assignHandover, flowState, handoverStarted, rateHandover } from './messages';

export type { HandoverInput } from './handoverContext';

export const handoverFlowId = (employeeId: string, resignationId: string) => `handover:${employeeId}:${resignationId}`;

export async function resignationHandover(input: HandoverInput): Promise<'completed' | 'cancelled'> {
  // Runs from before the exit interview ask for none, and write through local activities. Its task
  // waits beside the sign-off's and the rating's, each with its timers: a local activity's marker in
  // the same workflow task as a timer's cancellation would replay out of order (see records.ts).
  const withExitInterview = patched('exit-interview');
  if (withExitInterview) writeThroughRegularActivities();
  const flow = new HandoverContext(input);
  const { flowId, inbox, people, resignationId, settings } = flow;
  const stalls = new StallGuard({ type: 'handover', businessKey: resignationId, subject: `离职交接 Handover: ${people.leaverId} (${input.lastWorkingDay})`, startedById: input.startedById });
  const knowledge = new KnowledgeCapture(flow);
  const mentoring = new SuccessorMentoring(flow);
  const exitInterview = new ExitInterview(flow);

  let recorded = false;
  let checklistRound = 0;
  let assignment: { actorId: string; successorReason?: string } | undefined;
  let rating: RatingArgs | undefined;

  setHandler(flowState, () => ({
    type: 'handover',
    status: flow.phase === 'completed' ? 'completed' : stalls.reason ? 'stalled' : 'running',
    step: stalls.reason ?? flow.phase,
    openTasks: inbox.openTasks,
    details: {
      resignationId,
      ...people,
      checklistRound,
      mentoringRound: mentoring.round,
      sessionsThisRound: mentoring.sessionsThisRound,
      sessionsRequired: mentoring.sessionsRequired,
      attempt: mentoring.attempt,
    },
  }));

  // Answers once the resignation is on record, or at once with the reason when the flow stalls first.
  setHandler(handoverStarted, async () => {
    await condition(() => recorded || stalls.reason !== undefined);
    return recorded ? { resignationId, flowId } : { resignationId, flowId, stalledReason: stalls.reason };
  });

  setHandler(
    assignHandover,
    (args) =>
      inbox.answering(() => {
        people.successorId = args.successorId;
        people.supervisorId = args.supervisorId;
        people.mentorId = args.mentorId ?? people.mentorId;
        assignment = { actorId: args.actorId, successorReason: args.successorReason };
        return { phase: flow.phase };
      }, 'assign'),
    {
      validator: (args) => {
        refuseUnlessValid(assignHandoverArgs, args);
        inbox.checkActor('assign', args.actorId, 'naming the successor and supervisor');
        if ([args.successorId, args.supervisorId, args.mentorId].includes(people.leaverId)) refuse('invalid_decision', 'the leaver cannot be their own successor, supervisor or mentor');
        if (args.successorId === args.supervisorId) refuse('invalid_decision', 'the successor and the supervisor must be different people');
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
    : ['sign_off', 'rating', 'exit_interview', 'completed'].includes(flow.phase) ? `the handover is at ${flow.phase}: it can no longer be cancelled` : undefined,
  );

  /** 1. The resignation is on record (the flow stalls while no HR officer can oversee it). */
  async function recordResignation() {
    const { settings: _settings, ...resignation } = input;
    const who = await stalls.resolving(() => records.openResignation({ flowId, ...resignation }));
    await records.openFlow({ flowId, type: 'handover', businessKey: resignationId, subject: `离职交接 Handover: ${who.leaverName} (${input.lastWorkingDay})`, startedById: input.startedById });
    people.hrId = who.hrId;
    recorded = true;
    return who;
  }

  /** 2. The manager acknowledges; HR names the successor and the supervisor, unless the start did. */
  async function acknowledgeAndAssign(who: { leaverName: string; managerId: string | null }) {
    await inbox.ask(
      flow.task('acknowledge', 'handover_acknowledge', `确认离职申请 Acknowledge the resignation of ${who.leaverName}`, who.managerId ?? people.hrId, { outcomes: ['confirm'] }),
    );
    if (people.successorId && people.supervisorId) return;
    await flow.taskCompletedBy(
      flow.task('assign', 'handover_assign', `指定接替人与交接监督人 Name the successor and supervisor for ${who.leaverName}`, people.hrId),
      'HR names the successor and the supervisor (POST /resignations/:id/assignment)',
      () => assignment?.actorId,
      'assignment',
    );
  }

  /** 3. The checklist, round by round until no account is left with the leaver (each round
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
          leaverId: people.leaverId,
          supervisorId: people.supervisorId!,
          successorId: people.successorId!,
          hrId: people.hrId,
          lastDayStartsAt: input.lastDayStartsAt,
          departsAt: input.departsAt,
          lead: settings.handover.checklistLead,
          policy: settings.chasing.handover_item,
          workingTime: settings.workingTime,
          historyLimit: settings.handover.checklistHistoryLimit,
          accountsOnly: checklistRound > 1,
        }],
      });
      const remaining = await records.accountsStillWith({ employeeId: people.leaverId });
      if (remaining === 0) return;
      const alarmAfter = settings.handover.roundsBeforeAlarm ?? DEFAULT_HANDOVER.roundsBeforeAlarm!;
      if (checklistRound >= alarmAfter && patched('round-alarm')) {
        await records.reportAccountsStillArriving({ flowId, resignationId, leaverId: people.leaverId, hrId: people.hrId, round: checklistRound, remaining });
      }
    }
  }

  /** 6. Supervisor and HR sign off; the leaver leaves only when no account is theirs any more. */
  async function signOff(who: { leaverName: string }): Promise<void> {
    for (let round = 1; ; round++) {
      await flow.enter('sign_off');
      await inbox.askAll(
        [...new Set([people.supervisorId!, people.hrId])].map((signer) =>
          flow.task(`sign-off-${round}/${signer}`, 'handover_sign_off', `交接签字确认 Sign off the handover of ${who.leaverName}`, signer, { outcomes: ['confirm'] }),
        ),
        'confirm',
      );
      if ((await records.completeHandover({ flowId, resignationId, leaverId: people.leaverId })).remaining === 0) return;
      await flow.enter('handover');
      await handOverEverything();
    }
  }

  /** 7. The successor rates the handover. */
  async function collectRating(): Promise<void> {
    await flow.taskCompletedBy(
      flow.task('rating', 'handover_rating', '评价交接 Rate the handover you received', people.successorId!),
      'the successor rates the handover (POST /resignations/:id/rating)',
      () => rating?.actorId,
      'rating',
    );
  }

  /** 6 and 7, then the wait for an exit interview still not on record. */
  async function closeHandover(who: { leaverName: string }): Promise<void> {
    await signOff(who);
    if (patched('team-rebuilding')) await startTeamRebuilding();
    await collectRating();
    if (withExitInterview && !exitInterview.done) await flow.enter('exit_interview');
  }

  /** Once the leaver has gone, the team's head rebuilds the team: a flow of its own, living on after this one. */
  async function startTeamRebuilding(): Promise<void> {
    await startChild('teamRebuilding', {
      workflowId: teamRebuildingFlowId(resignationId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ resignationId, leaverId: people.leaverId, settings }],
    });
  }

  return flowEnd.run(async () => {
    const who = await recordResignation();
    await acknowledgeAndAssign(who);
    const articles = knowledge.capture(); // asks for the articles before the phase is announced
    people.mentorId ??= people.supervisorId;
    await flow.enter('handover', {
      successorId: people.successorId,
      successorReason: assignment ? assignment.successorReason : input.successorReason,
      supervisorId: people.supervisorId,
      mentorId: people.mentorId,
      actorId: assignment?.actorId,
    });
    // 3. the checklist and 4. the knowledge articles side by side; then 5. mentoring and assessment.
    await Promise.all([handOverEverything(), articles]);
    await mentoring.run();
    // The closing part: the exit interview is asked with the sign-off and held alongside it.
    const interview = withExitInterview ? exitInterview.hold(who.leaverName) : undefined;
    await Promise.all([closeHandover(who), interview]);
    await records.finishHandover({ flowId, resignationId, rating: rating && { score: rating.score, comment: rating.comment, actorId: rating.actorId } });
    flow.phase = 'completed';
    await condition(allHandlersFinished);
    return 'completed' as const;
  });
}
