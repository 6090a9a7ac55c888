/**
 * Team rebuilding (团队重建, DOMAIN.md §7): started by a handover once the leaver has gone. The team's
 * head gets a task for a team meeting and one for a one-to-one with each remaining member, all due
 * a few working days on and chased by policy; each closes when its talk is recorded (when, notes).
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { clockOf } from '../domain/chasing';
import type { FlowSettings } from '../domain/settings';
import { DEFAULT_TEAM_TALKS_WITHIN, heldOnProblem, recordTeamTalkArgs, talkStep, type RecordTeamTalkArgs, type TeamRebuildingTeam } from '../domain/teamRebuilding';
import { FlowEnd } from './flowEnd';
import { TaskInbox } from './humanTask';
import { flowState, recordTeamTalk } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

export interface TeamRebuildingInput {
  resignationId: string;
  leaverId: string;
  settings: FlowSettings;
}

export async function teamRebuilding({ resignationId, leaverId, settings }: TeamRebuildingInput): Promise<'done' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  let team: TeamRebuildingTeam | undefined;
  /** Who recorded each talk, by step. */
  const recorded = new Map<string, string>();
  const remaining = () => (team ? team.memberIds.length + 1 - recorded.size : 0);

  setHandler(flowState, () => ({
    type: 'team_rebuilding',
    status: team && remaining() === 0 ? 'done' : 'open',
    step: team ? `${recorded.size} of ${team.memberIds.length + 1} talks recorded` : 'opening',
    openTasks: inbox.openTasks,
    details: { resignationId, leaverId, headId: team?.headId, memberIds: team?.memberIds, recorded: [...recorded.keys()] },
  }));

  setHandler(
    recordTeamTalk,
    (args: RecordTeamTalkArgs) =>
      inbox.answering(async () => {
        const step = talkStep(args.memberId);
        await records.recordTeamTalk({ ...args, flowId, resignationId, step, onBehalfOfId: inbox.actsFor(step, args.actorId) });
        recorded.set(step, args.actorId);
        return { step, remaining: remaining() };
      }, talkStep(args.memberId)),
    {
      validator: (args) => {
        validArgs(recordTeamTalkArgs, args);
        if (args.memberId && team && !team.memberIds.includes(args.memberId)) refuse('invalid_decision', 'memberId: not a remaining member of this team');
        if (recorded.has(talkStep(args.memberId))) refuse('already_decided', 'this talk has been recorded');
        const problem = heldOnProblem(args.heldOn, Date.now());
        if (problem) refuse('invalid_decision', problem);
        inbox.checkActor(talkStep(args.memberId), args.actorId, 'recording this talk');
      },
    },
  );

  return new FlowEnd().run(async () => {
    const dueAt = (type: 'team_meeting' | 'team_one_to_one') =>
      clockOf(settings.chasing[type], settings.workingTime).after(Date.now(), settings.handover.teamTalksWithin ?? DEFAULT_TEAM_TALKS_WITHIN);
    team = await records.openTeamRebuilding({ flowId, resignationId, leaverId, dueAt: new Date(dueAt('team_meeting')).toISOString() });
    const { headId, leaverName } = team;
    const talk = (memberId?: string) => {
      const type = memberId ? 'team_one_to_one' : 'team_meeting';
      const step = talkStep(memberId);
      return inbox.askForMessage(
        {
          stepKey: step,
          type,
          title: memberId ? `一对一谈话 One-to-one after ${leaverName} left` : `团队会议 Team meeting after ${leaverName} left`,
          assigneeId: headId,
          outcomes: ['done'],
          policy: settings.chasing[type],
          dueAt: dueAt(type),
          payload: { resignationId, memberId },
          completedBy: 'the talk is recorded (POST /team-rebuildings/:resignationId/talks)',
        },
        () => recorded.get(step),
      );
    };
    await Promise.all([talk(), ...team.memberIds.map(talk)]);
    await records.finishTeamRebuilding({ flowId, resignationId });
    return 'done' as const;
  });
}
