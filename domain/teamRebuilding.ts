/**
 * Team rebuilding (团队重建, DOMAIN.md §7, seed 四(四)): once a departure is complete, the team's head
 * holds a team meeting and a one-to-one with each remaining member within a few working days; each
 * talk is recorded (when it was held, what was said) and chased like any task until it is.
 */
import { z } from 'zod';
import { calendarDate } from './durations';
import { COMPANY_UTC_OFFSET } from './handover';

export const teamRebuildingFlowId = (resignationId: string) => `team-rebuilding:${resignationId}`;

/** Within how long after the departure the talks are due, on the tasks' clock (working days by
 *  default), for handover settings that do not say. */
export const DEFAULT_TEAM_TALKS_WITHIN = 'P5D';

/** Who rebuilds the team after whom, and with whom. */
export interface TeamRebuildingTeam {
  headId: string;
  memberIds: string[];
  leaverName: string;
}

/** One talk as the head records it: the team meeting, or a one-to-one with a member. */
export const teamTalkRequest = z.object({
  /** The member a one-to-one was with; absent for the team meeting. */
  memberId: z.string().trim().min(1).optional(),
  heldOn: calendarDate,
  notes: z.string().trim().min(1, 'write down what was discussed').max(4000),
});
export type TeamTalkRequest = z.infer<typeof teamTalkRequest>;
export const recordTeamTalkArgs = teamTalkRequest.extend({ actorId: z.string().min(1) });
export type RecordTeamTalkArgs = z.infer<typeof recordTeamTalkArgs>;

/** The flow's step for a talk: one team meeting, one one-to-one per remaining member. */
export const talkStep = (memberId?: string) => (memberId ? `one-to-one/${memberId}` : 'team-meeting');

/** A talk is recorded once it has been held: never for a day still ahead in the company's time zone. */
export function heldOnProblem(heldOn: string, now: number): string | undefined {
  return Date.parse(`${heldOn}T00:00:00${COMPANY_UTC_OFFSET}`) > now ? 'heldOn: a talk is recorded once it has been held, not ahead of the day' : undefined;
}
