/**
 * The exit interview in a handover (离职面谈, DOMAIN.md §5, §7): the flow's HR officer is asked for it
 * when the handover reaches sign-off and records why the leaver goes, with the causes of the stay
 * interview's list. Once it is on record the leaver's former team is scored again, so exits for the
 * same cause raise the risk of those who stay.
 */
import { setHandler } from '@temporalio/workflow';
import { EXIT_INTERVIEW_STEP, exitInterviewArgs, type ExitInterviewArgs } from '../domain/exitInterview';
import { heldOnProblem } from '../domain/teamRebuilding';
import type { HandoverContext } from './handoverContext';
import { refuse, refuseUnlessValid } from './humanTask';
import { recordExitInterview } from './messages';
import { records } from './records';

export class ExitInterview {
  private recorded: ExitInterviewArgs | undefined;
  /** The leaver's former teammates, to score again once the interview is on record. */
  private team: string[] = [];
  /** The interview is on record and the team scored again. */
  done = false;

  constructor(private readonly flow: HandoverContext) {
    const { inbox } = flow;
    setHandler(
      recordExitInterview,
      (args) =>
        inbox.answering(async () => {
          ({ teamIds: this.team } = await records.recordExitInterview({
            ...args,
            flowId: flow.flowId,
            resignationId: flow.resignationId,
            onBehalfOfId: inbox.actsFor(EXIT_INTERVIEW_STEP, args.actorId),
          }));
          this.recorded = args;
          return { causes: args.causes };
        }, EXIT_INTERVIEW_STEP),
      {
        validator: (args) => {
          refuseUnlessValid(exitInterviewArgs, args);
          const problem = heldOnProblem(args.heldOn, Date.now());
          if (problem) refuse('invalid_decision', problem);
          inbox.checkActor(EXIT_INTERVIEW_STEP, args.actorId, 'recording the exit interview');
        },
      },
    );
  }

  /** Asks HR for the interview; resolves once it is on record and the team is scored again. */
  async hold(leaverName: string): Promise<void> {
    const { flow } = this;
    await flow.taskCompletedBy(
      flow.task(EXIT_INTERVIEW_STEP, 'handover_exit_interview', `离职面谈 Exit interview with ${leaverName}`, flow.people.hrId),
      'HR records the exit interview (POST /resignations/:id/exit-interview)',
      () => this.recorded?.actorId,
    );
    if (this.team.length) {
      await records.recomputeRisk({ key: `${flow.flowId}:exit-interview`, employeeIds: this.team, cause: 'exit_interview', settings: flow.settings });
    }
    this.done = true;
  }
}
