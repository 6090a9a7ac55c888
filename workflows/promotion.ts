/**
 * A vacancy (晋升通道, DOMAIN.md §8): HR posts it with its criteria and panel; employees apply
 * internally until `applyUntil` (HR opens the window again when nobody did); what the applicants
 * bring is gathered; each panelist scores every applicant on every published criterion; HR decides
 * from the ranking, the panel countersigns (one rejection sends it back to HR with its comment);
 * every applicant is told their result, its reason and their own score. HR may cancel the vacancy
 * until the decision goes to the panel.
 */
import { condition, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  applyArgs,
  decideArgs,
  decisionProblems,
  evaluateArgs,
  extendArgs,
  formProblems,
  rankApplicants,
  resultsOf,
  selectedBy,
  withdrawArgs,
  type DecideArgs,
  type EvaluateArgs,
  type ExtendArgs,
  type Ranked,
  type VacancyInput,
  type VacancyStatus,
} from '../domain/promotion';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { TaskInbox, taskMaker } from './humanTask';
import { applyForVacancy, decidePromotion, evaluateApplicants, extendVacancy, flowState, vacancyOpened, withdrawApplication } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

export type PromotionFlowInput = VacancyInput & { settings: FlowSettings };

export async function promotion({ settings, ...vacancy }: PromotionFlowInput): Promise<'decided' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const { vacancyId, criteria, panelIds, hrId } = vacancy;
  const inbox = new TaskInbox(settings);
  const task = taskMaker(settings.chasing, () => ({ payload: { vacancyId } }));

  let status: VacancyStatus | 'opening' = 'opening';
  let applyUntil = Date.parse(vacancy.applyUntil);
  /** Applicants in the order they applied; a withdrawn one stays known, so they cannot apply again. */
  const applicants = new Map<string, 'applied' | 'withdrawn'>();
  const stillApplying = () => [...applicants].filter(([, s]) => s === 'applied').map(([id]) => id);
  const forms = new Map<string, EvaluateArgs>();
  let ranking: Ranked[] = [];
  let round = 0;
  let decision: DecideArgs | undefined;
  let extensions = 0;
  let extension: ExtendArgs | undefined;

  setHandler(flowState, () => ({ type: 'promotion', status, step: status, openTasks: inbox.openTasks, details: { vacancyId, round, applicants: stillApplying().length } }));

  setHandler(vacancyOpened, async () => {
    await condition(() => status !== 'opening');
    return { vacancyId, flowId };
  });

  const windowOpen = () => status === 'open' && Date.now() < applyUntil;

  setHandler(
    applyForVacancy,
    (args) =>
      inbox.answering(async () => {
        applicants.set(args.actorId, 'applied');
        const { recorded } = await records.recordApplication({ vacancyId, flowId, applicantId: args.actorId, statement: args.statement });
        if (!recorded) {
          applicants.delete(args.actorId);
          refuse('not_allowed', 'only active employees apply');
        }
        return { status: 'applied' as const };
      }),
    {
      validator: (args) => {
        validArgs(applyArgs, args);
        if (!windowOpen()) refuse('wrong_state', 'applications are closed');
        if (applicants.has(args.actorId)) refuse('already_decided', applicants.get(args.actorId) === 'applied' ? 'you have applied already' : 'you withdrew your application');
        if (panelIds.includes(args.actorId)) refuse('not_allowed', 'a panelist does not apply: they judge the applicants');
      },
    },
  );

  setHandler(
    withdrawApplication,
    (args) =>
      inbox.answering(async () => {
        applicants.set(args.actorId, 'withdrawn');
        await records.recordWithdrawal({ vacancyId, flowId, applicantId: args.actorId, reason: args.reason });
        return { status: 'withdrawn' as const };
      }),
    {
      validator: (args) => {
        validArgs(withdrawArgs, args);
        if (applicants.get(args.actorId) !== 'applied') refuse('not_allowed', 'you have no application to withdraw');
        if (status !== 'open') refuse('wrong_state', 'the panel is judging the applications: they can no longer be withdrawn');
      },
    },
  );

  setHandler(
    extendVacancy,
    (args) =>
      inbox.answering(() => {
        extension = args;
        return { applyUntil: args.applyUntil };
      }, `no-applicants/${extensions}`),
    {
      validator: (args) => {
        validArgs(extendArgs, args);
        inbox.checkActor(`no-applicants/${extensions}`, args.actorId, 'opening the window again');
        if (Date.parse(args.applyUntil) <= Date.now()) refuse('invalid_decision', 'applyUntil: must be in the future');
      },
    },
  );

  setHandler(
    evaluateApplicants,
    (args) =>
      inbox.answering(async () => {
        forms.set(args.actorId, args);
        return { evaluated: args.evaluations.length };
      }, `evaluation/${args.actorId}`),
    {
      validator: (args) => {
        validArgs(evaluateArgs, args);
        if (!panelIds.includes(args.actorId)) refuse('not_your_task', 'only the panel scores the applicants');
        if (forms.has(args.actorId)) refuse('already_decided', 'you have sent your scores');
        inbox.checkActor(`evaluation/${args.actorId}`, args.actorId, 'scoring the applicants');
        const problems = formProblems(criteria, stillApplying(), args.evaluations);
        if (problems.length) refuse('invalid_decision', problems.join('; '));
      },
    },
  );

  setHandler(
    decidePromotion,
    (args) =>
      inbox.answering(() => {
        decision = args;
        return { status: 'countersigning' as const, selectedId: selectedBy(args, ranking) };
      }, `decision/${round}`),
    {
      validator: (args) => {
        validArgs(decideArgs, args);
        if (status !== 'deciding' || decision) refuse('wrong_state', `the vacancy is ${status}: there is no decision to make now`);
        inbox.checkActor(`decision/${round}`, args.actorId, 'deciding the vacancy');
        const problems = decisionProblems(stillApplying(), args, ranking);
        if (problems.length) refuse('invalid_decision', problems.join('; '));
      },
    },
  );

  /** Internal applications first: the window stays open until `applyUntil`; when it closes on
   *  nobody, HR opens it again (or cancels the vacancy, which ends this flow). */
  async function applicationsTaken(): Promise<void> {
    for (;;) {
      await sleep(Math.max(1, applyUntil - Date.now()));
      if (stillApplying().length) return;
      extension = undefined;
      await inbox.askForMessage(
        { ...task(`no-applicants/${extensions}`, 'promotion_no_applicants', `无人申请 Nobody applied: ${vacancy.title}`, hrId), completedBy: 'HR opens the window again (POST /vacancies/:id/extend) or cancels the vacancy' },
        () => extension?.actorId,
      );
      extensions++;
      applyUntil = Date.parse(extension!.applyUntil);
      await records.recordExtension({ vacancyId, flowId, extension: extensions, applyUntil: extension!.applyUntil, actorId: extension!.actorId });
    }
  }

  /** Every panelist scores every applicant; the ranking follows from their forms alone. */
  async function evaluated(): Promise<Ranked[]> {
    status = 'evaluating';
    await records.gatherEvidence({ vacancyId, flowId });
    await Promise.all(
      panelIds.map((panelistId) =>
        inbox.askForMessage(
          { ...task(`evaluation/${panelistId}`, 'promotion_evaluation', `晋升评审打分 Score the applicants: ${vacancy.title}`, panelistId), completedBy: 'the panelist sends their scores (POST /vacancies/:id/evaluations)' },
          () => (forms.has(panelistId) ? panelistId : undefined),
        ).then(() => {
          const form = forms.get(panelistId)!;
          return records.recordEvaluations({ vacancyId, flowId, panelistId, evaluations: form.evaluations.map((e) => ({ ...e, comment: e.comment ?? '' })) });
        }),
      ),
    );
    const scored = [...forms.values()].flatMap((f) => f.evaluations.map((e) => ({ panelistId: f.actorId, applicantId: e.applicantId, scores: e.scores })));
    return rankApplicants(criteria, scored);
  }

  /** HR decides and the panel countersigns; a rejection goes back to HR with its comment, round
   *  after round, until every panelist approves. */
  async function decided(): Promise<DecideArgs> {
    let sentBack: { by: string; comment?: string } | undefined;
    for (round = 1; ; round++) {
      status = 'deciding';
      decision = undefined;
      await inbox.askForMessage(
        {
          ...task(`decision/${round}`, 'promotion_decision', `晋升决定 Decide the vacancy: ${vacancy.title}`, hrId),
          payload: { vacancyId, round, ranking, sentBack },
          completedBy: 'HR sends the decision (POST /vacancies/:id/decision)',
        },
        () => decision?.actorId,
      );
      const d = decision!;
      const selectedId = selectedBy(d, ranking);
      await records.recordProposal({ vacancyId, flowId, round, actorId: d.actorId, selectedId, reason: d.reason, reasons: d.reasons });
      status = 'countersigning';
      const verdict = await inbox.askAll(
        panelIds.map((panelistId) =>
          task(`countersign/${round}/${panelistId}`, 'promotion_countersign', `晋升会签 Countersign the decision: ${vacancy.title}`, panelistId, {
            outcomes: ['approve', 'reject'],
            payload: { vacancyId, round, selectedId },
          }),
        ),
      );
      if (verdict.agreed) return d;
      const dissent = verdict.dissent!;
      sentBack = { by: dissent.onBehalfOfId ?? dissent.decidedById, comment: dissent.comment };
      await records.recordSentBack({ vacancyId, flowId, round, actorId: dissent.decidedById, onBehalfOfId: dissent.onBehalfOfId, comment: dissent.comment });
    }
  }

  // Cancelled by HR only until the decision goes to the panel: after that, the applicants are owed a result.
  const flowEnd = new FlowEnd(() => (status === 'countersigning' || status === 'decided' ? `the vacancy is ${status}: it can no longer be cancelled` : undefined));
  return flowEnd.run(async () => {
    await records.recordVacancy({ ...vacancy, flowId });
    status = 'open';
    await applicationsTaken();
    ranking = await evaluated();
    await records.recordRanking({ vacancyId, flowId, ranking });
    const final = await decided();
    const applicantIds = stillApplying();
    await records.publishResults({ vacancyId, flowId, selectedId: selectedBy(final, ranking), reason: final.reason, results: resultsOf(applicantIds, final, ranking) });
    status = 'decided';
    return 'decided' as const;
  });
}
