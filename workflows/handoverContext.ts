/**
 * What every part of a resignation handover shares: the resignation, the people the flow names
 * (they change as HR assigns or replaces them), its inbox, its phase, and how it asks for a task.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ResignationRecord } from '../domain/handover';
import type { FlowSettings } from '../domain/settings';
import { TaskInbox, taskMaker, type TaskSpec } from './humanTask';
import { records } from './records';

export interface HandoverInput extends ResignationRecord {
  settings: FlowSettings;
}

/** Who takes part; everyone but the leaver may still be unnamed early in the flow. */
export interface HandoverPeople {
  leaverId: string;
  /** The flow's HR officer: never the leaver. Known once the resignation is on record. */
  hrId: string;
  successorId?: string;
  supervisorId?: string;
  mentorId?: string;
}

export class HandoverContext {
  readonly flowId = workflowInfo().workflowId;
  readonly inbox: TaskInbox;
  readonly people: HandoverPeople;
  phase = 'acknowledgement';
  /** A task of this handover; it escalates to the flow's supervisor and HR officer. */
  readonly task: ReturnType<typeof taskMaker>;

  constructor(readonly input: HandoverInput) {
    this.inbox = new TaskInbox(input.settings);
    this.people = { leaverId: input.employeeId, hrId: '', successorId: input.successorId, supervisorId: input.supervisorId, mentorId: input.mentorId };
    this.task = taskMaker(input.settings.chasing, () => ({
      payload: { resignationId: input.resignationId },
      escalationTargets: { supervisor: this.people.supervisorId, hr: this.people.hrId },
    }));
  }

  get resignationId(): string {
    return this.input.resignationId;
  }

  get settings(): FlowSettings {
    return this.input.settings;
  }

  /** A task that a message of this flow completes (`arrived` names who sent it); its phase is
   *  announced once the task is asked. */
  taskCompletedBy(spec: TaskSpec, completedBy: string, arrived: () => string | undefined, inPhase?: string): Promise<void> {
    return this.inbox.askForMessage({ ...spec, completedBy }, arrived, inPhase ? () => this.enter(inPhase) : undefined);
  }

  async enter(next: string, names: { successorId?: string; successorReason?: string; supervisorId?: string; mentorId?: string; actorId?: string } = {}): Promise<void> {
    this.phase = next;
    await records.setHandoverPhase({ flowId: this.flowId, resignationId: this.resignationId, phase: next, ...names });
  }
}
