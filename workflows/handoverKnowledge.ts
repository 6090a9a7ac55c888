/**
 * Knowledge transfer in a handover (DOMAIN.md §5.5): the leaver writes articles for the successor
 * until enough are approved; each goes to a reviewer, who publishes it or sends it back for a new
 * revision. When the leaver has already gone (an emergency handover), the supervisor writes them
 * from what was left.
 */
import { patched, setHandler, uuid4 } from '@temporalio/workflow';
import { submitArticleArgs } from '../domain/handover';
import type { HandoverContext } from './handoverContext';
import { refuse, refuseUnlessValid } from './humanTask';
import { submitArticle } from './messages';
import { records } from './records';

type ArticleStatus = 'in_review' | 'changes_requested' | 'published';

export class KnowledgeCapture {
  private readonly articles = new Map<string, { revision: number; status: ArticleStatus }>();
  private reviewsInFlight = 0;

  constructor(private readonly flow: HandoverContext) {
    const { inbox } = flow;
    setHandler(
      submitArticle,
      (args) =>
        inbox.answering(async () => {
          const articleId = args.articleId ?? uuid4();
          const revision = (this.articles.get(articleId)?.revision ?? 0) + 1;
          this.articles.set(articleId, { revision, status: 'in_review' });
          this.reviewsInFlight++;
          await records.recordArticle({ flowId: flow.flowId, id: articleId, resignationId: flow.resignationId, authorId: args.actorId, kind: args.kind, title: args.title, body: args.body, revision });
          void this.review(articleId, revision, args.title, args.actorId);
          return { articleId, revision };
        }),
      {
        validator: (args) => {
          refuseUnlessValid(submitArticleArgs, args);
          inbox.checkActor('knowledge', args.actorId, 'writing knowledge articles');
          if (args.articleId && this.articles.get(args.articleId)?.status !== 'changes_requested') {
            refuse('wrong_state', 'only an article the supervisor sent back can be revised');
          }
        },
      },
    );
  }

  /** Asks for the articles; resolves once enough are published and no review is open. */
  async capture(): Promise<void> {
    const { flow } = this;
    const required = flow.settings.handover.minKnowledgeArticles;
    if (required === 0) return;
    const leaverGone = patched('emergency-knowledge') && Date.now() >= Date.parse(flow.input.departsAt);
    const title = leaverGone
      ? `撰写知识文章 Write ${required} knowledge article(s) for the successor: the leaver has already gone`
      : `撰写知识文章 Write ${required} knowledge article(s) for your successor`;
    const author = leaverGone ? flow.people.supervisorId! : flow.people.leaverId;
    await flow.taskCompletedBy(
      flow.task('knowledge', 'knowledge_capture', title, author, { dueAt: leaverGone ? undefined : Date.parse(flow.input.lastDayStartsAt) }),
      `${required} knowledge article(s) are approved (POST /resignations/:id/knowledge-articles)`,
      () => (this.published() >= required && this.reviewsInFlight === 0 ? author : undefined),
    );
  }

  /** The reviewer publishes an article into the knowledge base, or sends it back. */
  private async review(articleId: string, revision: number, title: string, authorId: string): Promise<void> {
    const { flow } = this;
    try {
      const verdict = await flow.inbox.ask(
        flow.task(`article-${articleId}-r${revision}`, 'knowledge_review', `审核知识文章 Review knowledge article: ${title}`, this.reviewerOf(authorId), {
          outcomes: ['approve', 'request_changes'],
          payload: { resignationId: flow.resignationId, articleId, revision },
        }),
      );
      const approved = verdict.outcome === 'approve';
      await records.recordArticleReview({ flowId: flow.flowId, articleId, revision, approved, reviewerId: verdict.decidedById, comment: verdict.comment });
      this.articles.set(articleId, { revision, status: approved ? 'published' : 'changes_requested' });
    } finally {
      this.reviewsInFlight--;
    }
  }

  /** Nobody reviews their own article: the supervisor's (written for a leaver who has gone, or on
   *  the leaver's behalf after escalation) goes to the flow's HR officer. */
  private reviewerOf(authorId: string): string {
    const { supervisorId, hrId } = this.flow.people;
    return authorId === supervisorId && patched('emergency-knowledge') ? hrId : supervisorId!;
  }

  private published(): number {
    return [...this.articles.values()].filter((a) => a.status === 'published').length;
  }
}
