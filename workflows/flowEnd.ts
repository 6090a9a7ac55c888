/**
 * However a flow is cancelled (by HR through the API, or by an operator in Temporal), its end is
 * recorded: the flow row, its business record and its open tasks. (Terminations, which run no
 * workflow code, are recorded by the flow-end watch.)
 */
import { allHandlersFinished, CancellationScope, condition, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { cancelFlowArgs, type CancelFlowArgs } from '../domain/tasks';
import { cancelFlow } from './messages';
import { refuse, refuseUnlessValid } from './humanTask';
import { nothingCarried, records } from './records';

/** How long a finished story waits for messages still being answered. */
const HANDLERS_GRACE = '1 minute';

export class FlowEnd {
  private readonly story = new CancellationScope();
  private request: CancelFlowArgs | undefined;
  private recorded = false;

  /** `refusal` says why the flow cannot be cancelled now, if it cannot; without it, only an
   *  operator's cancellation ends the flow early. */
  constructor(refusal?: () => string | undefined) {
    if (!refusal) return;
    setHandler(
      cancelFlow,
      async (args) => {
        this.request = args;
        this.story.cancel();
        await condition(() => this.recorded);
        // A cancellation opens nothing: its answer lists no task, as every message's answer lists what it opened.
        return { status: 'cancelled' as const, next: [] };
      },
      {
        validator: (args) => {
          if (this.request) refuse('wrong_state', 'the flow is already being cancelled');
          const why = refusal();
          if (why) refuse('wrong_state', why);
          refuseUnlessValid(cancelFlowArgs, args);
        },
      },
    );
  }

  /** Runs the flow's story; a cancellation records the end, then ends the run. */
  async run<T>(story: () => Promise<T>): Promise<T | 'cancelled'> {
    try {
      const ending = await this.story.run(story);
      // What the story's last step carried is written before the run ends.
      if (!nothingCarried()) await condition(nothingCarried);
      // The message that ended the story (the last decision) is answered before the run ends: a
      // run ended under it fails it, and its sender sees an error for what did land. Bounded, so a
      // handler waiting for what will not come any more cannot keep the run open.
      if (patched('answered-before-the-end') && !allHandlersFinished()) await condition(allHandlersFinished, HANDLERS_GRACE);
      return ending;
    } catch (err) {
      if (!isCancellation(err)) throw err;
      const reason = this.request?.reason ?? 'cancelled by an operator';
      await CancellationScope.nonCancellable(() => records.recordFlowEnd({ flowId: workflowInfo().workflowId, how: 'cancelled', reason, actorId: this.request?.actorId }));
      this.recorded = true;
      if (!this.request) throw err; // an operator's cancellation: the run ends as cancelled
      await condition(allHandlersFinished);
      return 'cancelled';
    }
  }
}
