/**
 * Comments on a flow: every flow with a task inbox takes them (TaskInbox installs the handler), so
 * no procedure repeats it. The comment comes with its id, so a retried write keeps one; the API has
 * already checked that the author may read the flow.
 */
import { CancellationScope, setHandler, workflowInfo } from '@temporalio/workflow';
import { commentArgs } from '../domain/comments';
import { commentOnFlow } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

export function takeComments(): void {
  // A child's comments belong to its parent flow (`<flow id>/<child>`), which people read.
  const flowId = workflowInfo().workflowId.split('/')[0]!;
  setHandler(
    commentOnFlow,
    async ({ actorId, commentId, text, attachmentIds }) => {
      const written = await CancellationScope.nonCancellable(() => records.recordComment({ flowId, commentId, actorId, text, attachmentIds }));
      if ('refused' in written) refuse('invalid_action', written.refused);
      return written;
    },
    { validator: (args) => void validArgs(commentArgs, args, 'invalid_action') },
  );
}
