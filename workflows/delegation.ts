/**
 * Delegation while away (DOMAIN.md, the approval toolkit): the period is recorded, waits for its
 * start on a durable timer, moves the owner's open tasks to the delegate, then waits for its end
 * (or for the owner, its creator or HR to end it early) and records that. New tasks go to the
 * delegate while it runs: the inbox reads the period when a task opens (activities/tasks.ts).
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { endDelegationArgs, type DelegationInput, type DelegationStatus, type EndDelegationArgs } from '../domain/delegation';
import { FlowEnd } from './flowEnd';
import { refuse, validArgs } from './refusals';
import { delegationStarted, endDelegation, flowState } from './messages';
import { records } from './records';

export const delegationFlowId = (delegationId: string) => `delegation:${delegationId}`;

export async function delegationPeriod(input: DelegationInput): Promise<DelegationStatus | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  let status: DelegationStatus | undefined;
  let refusal: string | undefined;
  let ending: EndDelegationArgs | undefined;

  setHandler(flowState, () => ({ type: 'delegation', status: status ?? 'starting', step: status ?? 'starting', openTasks: [], details: { delegationId: input.delegationId } }));

  // Answers the start once the period is on record, or refused (it overlaps another).
  setHandler(delegationStarted, async () => {
    await condition(() => status !== undefined || refusal !== undefined);
    if (refusal) refuse('wrong_state', refusal);
    return { delegationId: input.delegationId, flowId, status: status! };
  });

  setHandler(
    endDelegation,
    async (args) => {
      ending = args;
      await condition(() => status === 'ended' || status === 'cancelled');
      return { status: status! };
    },
    {
      validator: (raw) => {
        validArgs(endDelegationArgs, raw);
        if (ending || status === 'ended' || status === 'cancelled') refuse('wrong_state', `the delegation has ${status === 'cancelled' ? 'been cancelled' : 'ended'}`);
      },
    },
  );

  const until = (at: string) => Math.max(1, Date.parse(at) - Date.now());
  const flowEnd = new FlowEnd();
  return flowEnd.run(async () => {
    const recorded = await records.recordDelegation({ ...input, flowId });
    if (recorded.refusal) {
      refusal = recorded.refusal;
      return 'cancelled';
    }
    status = 'scheduled';
    if (!(await condition(() => ending !== undefined, until(input.startsAt)))) {
      await records.handOverToDelegate({ delegationId: input.delegationId });
      status = 'active';
      await condition(() => ending !== undefined, until(input.endsAt));
    }
    const early = ending !== undefined;
    await records.endDelegation({ delegationId: input.delegationId, flowId, actorId: ending?.actorId, reason: ending?.reason, before: status === 'scheduled' });
    status = early && status === 'scheduled' ? 'cancelled' : 'ended';
    return status;
  });
}
