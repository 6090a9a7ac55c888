/**
 * Delegation while away (审批代理): from its start to its end an employee's new tasks go to a
 * delegate, who acts for them; the tasks open at the start move to the delegate. Only tasks their
 * holder could transfer are delegated (a person's own part stays theirs), and never to someone the
 * task's step excludes (a plan's drafter never approves it through a delegation).
 */
import { z } from 'zod';

const moment = z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-02-01T09:00:00+08:00' });

export const delegationRequest = z
  .object({
    /** Whose tasks; the caller's own by default (HR may set one for anyone). */
    ownerId: z.string().trim().min(1).optional(),
    delegateId: z.string().trim().min(1, 'name the person who acts for you'),
    /** Now, when not given. */
    startsAt: moment.optional(),
    endsAt: moment,
    reason: z.string().trim().min(1, 'say why (leave, a business trip)').max(2000),
  })
  .refine((d) => !d.startsAt || Date.parse(d.endsAt) > Date.parse(d.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((d) => Date.parse(d.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] });
export type DelegationRequest = z.infer<typeof delegationRequest>;

export const endDelegationRequest = z.object({ reason: z.string().trim().max(2000).optional() });
export const endDelegationArgs = endDelegationRequest.extend({ actorId: z.string().min(1) });
export type EndDelegationArgs = z.infer<typeof endDelegationArgs>;

/** What a delegation's flow is started with. */
export interface DelegationInput {
  delegationId: string;
  ownerId: string;
  delegateId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdById: string;
}

export type DelegationStatus = 'scheduled' | 'active' | 'ended' | 'cancelled';

/** A delegation's task: the owner's task the delegate now holds, acting for them. */
export interface DelegateTaskArgs {
  taskId: string;
  delegationId: string;
  ownerId: string;
  delegateId: string;
  reason: string;
}
