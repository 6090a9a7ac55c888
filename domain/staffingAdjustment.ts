/**
 * Staffing adjustment (人员调整, DOMAIN.md §7, seed 四(二)): a collector is deployed or rotated to
 * cover another's portfolio for a period. The covered person's head approves; the accounts move to
 * the covering collector under the rule every move follows, and move back at the end date.
 */
import { z } from 'zod';
import { isoDuration } from './durations';

export const staffingAdjustmentFlowId = (adjustmentId: string) => `staffing-adjustment:${adjustmentId}`;

const moment = z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-02-01T09:00:00+08:00' });
const text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max);

export const staffingKind = z.enum(['deployment', 'rotation']);

export const staffingAdjustmentRequest = z
  .object({
    /** The collector who covers (an id or an employee number). */
    coveringId: z.string().trim().min(1, 'name the collector who covers'),
    /** Whose accounts are covered (an id or an employee number). */
    coveredId: z.string().trim().min(1, 'name the collector whose accounts are covered'),
    /** Only these of the covered person's accounts; all of them when not given. */
    accountIds: z.array(z.string().trim().min(1)).min(1).max(5000).optional(),
    startsAt: moment,
    endsAt: moment,
    kind: staffingKind,
    reason: text(2000, 'say why (a leave, a busy district)'),
    /** The training the new duties need; HR gets a task to enrol the covering collector in it… */
    training: z.string().trim().min(1).max(500).optional(),
    /** …or a scheduled session of it, which the covering collector joins when the cover starts. */
    trainingSessionId: z.uuid('must be a training session id (uuid)').optional(),
  })
  .refine((a) => Date.parse(a.endsAt) > Date.parse(a.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((a) => Date.parse(a.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] });
export type StaffingAdjustmentRequest = z.infer<typeof staffingAdjustmentRequest>;

/** HR makes the adjustment permanent (the accounts stay) or ends it early (they move back now). */
export const staffingChangeRequest = z.object({ reason: text(2000, 'say why') });
export const staffingChangeArgs = staffingChangeRequest.extend({ actorId: z.string().min(1) });
export type StaffingChangeArgs = z.infer<typeof staffingChangeArgs>;

/** The owner left during the cover: HR names who keeps the accounts the cover holds. */
export const staffingReassignRequest = z.object({ toId: z.string().trim().min(1, 'name who keeps the accounts') });
export const staffingReassignArgs = staffingReassignRequest.extend({ actorId: z.string().min(1) });
export type StaffingReassignArgs = z.infer<typeof staffingReassignArgs>;

/** STAFFING_SETTINGS, or per flow `settings.staffing`: when the head's decision, HR's enrolment
 *  and HR's reassignment (the owner left meanwhile) are due, on each task's clock. */
export const staffingSettings = z.object({ decideWithin: isoDuration, enrolWithin: isoDuration, reassignWithin: isoDuration });
export type StaffingSettings = z.infer<typeof staffingSettings>;
export const DEFAULT_STAFFING: StaffingSettings = { decideWithin: 'P2D', enrolWithin: 'P5D', reassignWithin: 'P2D' };
export const staffingSettingsOf = (settings: { staffing?: StaffingSettings }): StaffingSettings => settings.staffing ?? DEFAULT_STAFFING;

/** What an adjustment's flow is started with (people and accounts as the API checked them). */
export interface StaffingAdjustmentInput {
  adjustmentId: string;
  coveringId: string;
  coveredId: string;
  accountIds: string[];
  startsAt: string;
  endsAt: string;
  kind: z.infer<typeof staffingKind>;
  reason: string;
  training?: string;
  trainingSessionId?: string;
  createdById: string;
}

/**
 * awaiting_approval → refused | active; active → ended (at the end date or early) | permanent |
 * left_with_cover (the owner left meanwhile: HR reassigns). cancelled by an operator.
 */
export type StaffingStatus = 'awaiting_approval' | 'refused' | 'active' | 'ended' | 'permanent' | 'left_with_cover' | 'cancelled';
export const OPEN_STAFFING: StaffingStatus[] = ['awaiting_approval', 'active'];

/** Who decides and whose names the tasks show, as the flow records the adjustment. */
export interface StaffingPeople {
  headId: string;
  hrId: string;
  coveringName: string;
  coveredName: string;
}
