/**
 * `npm run histories:record`: runs each workflow type through its main paths on a throwaway stack
 * and saves the event histories under test/histories/. test/replay.test.ts replays them against
 * the current code, so a change that would break flows already running fails the tests.
 * Histories of older code stay: `npm run histories:record -- TAG` writes new ones beside them as
 * `<type>-<scenario>-TAG.json`, so replay keeps proving that flows started on older code go on.
 */
import { WorkflowFailedError } from '@temporalio/client';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FlowGateway } from '../../api/flows';
import type { Db } from '../../prisma/db';
import { DEFAULT_NEEDS } from '../../domain/needsCycle';
import { DEFAULT_HANDOVER } from '../../domain/handover';
import { DEFAULT_CHASING, type FlowSettings } from '../../domain/settings';
import type { Outcome } from '../../domain/tasks';
import { planContent } from '../../domain/trainingPlan';
import { DEMO } from '../../prisma/seed-data';
import { eventually, planContent as samplePlan } from '../support/fixtures';
import { applyForVacancy, decidePromotion, evaluateApplicants, recordTeamTalk, reviewCareerPlan } from '../../workflows/messages';
import { careerPlanFlowId } from '../../domain/careerPlan';
import { teamRebuildingFlowId } from '../../domain/teamRebuilding';
import { reservePoolFlowId } from '../../domain/reservePool';
import { assessCandidate, nominateCandidate, reviewPool } from '../../workflows/messages';
import { checkRetentionAction, recordStayInterview, reviewRetention } from '../../workflows/messages';
import { DEFAULT_ONBOARDING, onboardingFlowId } from '../../domain/onboarding';
import { answerPulse, assessHire, assignPortfolio, attestCulture, checkInHire, confirmDocument, documentRevised, enrolHire, logHireCoaching, scoreDrill } from '../../workflows/messages';
import { addSigner, answerSuggestion, answerSurvey, assignSurveyAction, cancelFlow, commentOnFlow, copyIn, giveBaseline, rateBehaviour, recordResults, recordScores, reportApplication } from '../../workflows/messages';
import { DEFAULT_FOLLOW_UP, followUpFlowId, participantFlowId } from '../../domain/followUp';
import { adjustAssessment, assessSuccessor, closeSessionSignIn, decideLowResponse, logMentoringSession, rateHandover, recordExitInterview, signInToSession, submitArticle, submitObservation, submitSessionFeedback, submitSessionReport, submitSurvey, verifyItems } from '../../workflows/messages';
import { currentSignInCode } from '../../domain/trainingSession';
import { acknowledge, checklistLines, completeAll, openTaskOfType, startHandover, verifyAll } from '../support/handover';
import { startFlowEndWatch } from '../../worker/worker';
import { FLOW_END_WATCH_ID } from '../../workflows/flowEndWatch';
import { delegationFlowId } from '../../workflows/delegation';
import { surveyScheduleId } from '../../workflows/surveyRun';
import { needsScheduleId } from '../../workflows/scheduledNeedsCycle';
import { runAndExit, startThrowawayStack } from '../../scripts/throwaway-stack';

const OUT = __dirname;
const TAG = process.argv[2];
const people = DEMO.employees;
const settings: FlowSettings = {
  executiveThresholdFen: 5_000_000,
  handover: DEFAULT_HANDOVER,
  needs: DEFAULT_NEEDS,
  chasing: Object.fromEntries(Object.keys(DEFAULT_CHASING).map((t) => [t, { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 1, escalateAfter: 'PT2S', escalateTo: ['manager', 'hr'] }])) as FlowSettings['chasing'],
};

async function main(): Promise<void> {
  const { db, client, flows, stop } = await startThrowawayStack('histories');
  try {
    const plans: Record<string, (flowId: string, planId: string) => Promise<void>> = {
      'approved-with-countersign': async (flowId) => {
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 2);
      },
      'changes-requested-then-approved': async (flowId, planId) => {
        await decideAll(db, flows, flowId, 'request_changes', 1, 'Add a target for complaints');
        await waitFor(db, flowId, 1); // the revision task
        const plan = await db.trainingPlan.findUniqueOrThrow({ where: { id: planId } });
        await flows.submitPlan(planInput(plan), { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: plan.draftRevision + 1 }, 2);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 2);
      },
      'rejected-after-escalation': async (flowId) => {
        const [task] = await waitFor(db, flowId, 1);
        await new Promise((r) => setTimeout(r, 4500)); // a reminder and both escalations
        await flows.decide(flowId, { taskId: task!.id, actorId: people.vicePresident.id, decision: 'reject', comment: 'Not this year' });
      },
      withdrawn: async (flowId, planId) => {
        await decideAll(db, flows, flowId, 'approve', 1);
        await waitFor(db, flowId, 1);
        await flows.withdrawPlan(planId, { actorId: people.hrOfficer.id, reason: 'budget frozen' });
      },
      'signers-cc-and-sent-back': async (flowId) => {
        const head = (await waitFor(db, flowId, 1))[0]!;
        await flows.send(flowId, addSigner, { taskId: head.id, actorId: head.assigneeId, signerId: people.serviceHead.id, position: 'before', reason: 'it concerns service' });
        const before = await waitForTask(db, flowId, 'plan_approval', people.serviceHead.id);
        await flows.decide(flowId, { taskId: before.id, actorId: before.assigneeId, decision: 'approve' });
        await eventually(async () => ((await db.task.findUniqueOrThrow({ where: { id: head.id } })).waitingForId === null ? true : undefined), 'back with the head');
        await flows.send(flowId, addSigner, { taskId: head.id, actorId: head.assigneeId, signerId: people.engineeringHead.id, position: 'after', reason: 'engineering joins' });
        await flows.send(flowId, copyIn, { taskId: head.id, actorId: head.assigneeId, ids: [people.collectorA.id], note: 'for your information' });
        const attachment = await db.attachment.create({ data: { id: randomUUID(), flowId, uploaderId: head.assigneeId, name: 'budget.pdf', contentType: 'application/pdf', sizeBytes: 5, sha256: 'recorded' } });
        await flows.send(flowId, commentOnFlow, { actorId: head.assigneeId, commentId: randomUUID(), text: 'The budget is attached', attachmentIds: [attachment.id] });
        await flows.decide(flowId, { taskId: head.id, actorId: head.assigneeId, decision: 'approve' });
        const after = await waitForTask(db, flowId, 'plan_approval', people.engineeringHead.id);
        await flows.decide(flowId, { taskId: after.id, actorId: after.assigneeId, decision: 'approve' });
        const director = (await waitFor(db, flowId, 1))[0]!;
        await flows.decide(flowId, { taskId: director.id, actorId: director.assigneeId, decision: 'send_back', backTo: 'department_head', comment: 'recheck the headcount' });
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 2);
      },
    };
    fs.mkdirSync(OUT, { recursive: true });
    const save = async (type: string, scenario: string, workflowId: string) => {
      const handle = client.workflow.getHandle(workflowId);
      await handle.result().catch((err) => {
        if (!(err instanceof WorkflowFailedError)) throw err; // a terminated run is recorded as it is
      });
      const file = path.join(OUT, `${type}-${scenario}${TAG ? `-${TAG}` : ''}.json`);
      // The workflow id is not in the events, and a replay needs it (child ids derive from it).
      fs.writeFileSync(file, JSON.stringify({ workflowId, events: (await handle.fetchHistory()).events }, null, 1));
      console.log(`recorded ${path.relative(process.cwd(), file)}`);
    };
    for (const [name, play] of Object.entries(plans)) {
      const plan = await db.trainingPlan.create({ data: { title: `History ${name}`, departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: samplePlan(8_000_000) } });
      const { flowId } = await flows.submitPlan(planInput(plan), { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: plan.draftRevision }, 1);
      await play(flowId, plan.id);
      await save('trainingPlanApproval', name, flowId);
    }

    // A handover through every phase: lines chased past the last day and the departure, one
    // reopened, an assessment failed once, then signed off, the exit interview held, and rated.
    const supervisor = people.serviceHead.id;
    const { flowId, resignationId } = await startHandover(flows, {
      leaver: people.serviceRep.id,
      successor: people.engineer.id,
      supervisor,
      lastDayIn: 6,
      departsIn: 8,
      handover: { checklistLead: 'PT3S', minExtensionSessions: 1 },
      itemPolicy: { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 0, remindBeforeDue: 'PT1S', escalateAfter: 'PT1S', escalateTo: ['supervisor', 'hr'] },
    });
    await acknowledge(db, flows, flowId);
    const lines = (await checklistLines(db, flows, resignationId, 4)).map((l) => l.itemNo);
    const checklist = `${flowId}/checklist-1`;
    await eventually(async () => ((await db.auditEvent.findFirst({ where: { flowId: checklist, action: 'handover.items_reassigned' } })) ?? undefined), 'the departure', 30_000);
    await completeAll(flows, checklist, lines, supervisor);
    await flows.send(checklist, verifyItems, { actorId: supervisor, itemNos: [lines[0]!], verdict: 'reopen', comment: 'incomplete' });
    await completeAll(flows, checklist, [lines[0]!], supervisor);
    await verifyAll(flows, checklist, lines, supervisor);
    await flows.send(flowId, submitArticle, { actorId: supervisor, kind: 'procedure', title: 'Front desk', body: 'Opening routine' });
    // The supervisor wrote it on the departed leaver's behalf, so the flow's HR officer reviews it.
    const articleReview = await openTaskOfType(db, flowId, 'knowledge_review');
    await flows.decide(flowId, { taskId: articleReview.id, actorId: articleReview.assigneeId, decision: 'approve' });
    for (const [sessions, passed] of [[2, false], [1, true]] as const) {
      await openTaskOfType(db, flowId, 'mentoring');
      for (let i = 0; i < sessions; i++) await flows.send(flowId, logMentoringSession, { actorId: supervisor, heldAt: new Date().toISOString(), durationMinutes: 30, topic: `t${i}` });
      await openTaskOfType(db, flowId, 'successor_assessment');
      await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed, score: passed ? 4 : 2 });
    }
    for (const signer of [supervisor, people.hrOfficer.id]) {
      const t = await openTaskOfType(db, flowId, 'handover_sign_off').then(() => db.task.findFirstOrThrow({ where: { flowId, type: 'handover_sign_off', status: 'open', assigneeId: signer } }));
      await flows.decide(flowId, { taskId: t.id, actorId: signer, decision: 'confirm' });
    }
    // HR's exit interview, asked with the sign-off.
    const exitInterview = await openTaskOfType(db, flowId, 'handover_exit_interview');
    await flows.send(flowId, recordExitInterview, { actorId: exitInterview.assigneeId, heldOn: new Date().toISOString().slice(0, 10), causes: ['career'], notes: 'Moving into engineering', wouldReturn: true, wouldRecommend: true });
    await openTaskOfType(db, flowId, 'handover_rating');
    await flows.send(flowId, rateHandover, { actorId: people.engineer.id, score: 4 });
    await save('handoverChecklist', 'chased-past-departure', checklist);

    // A needs cycle: low response, extended once, a request for changes, adjusted, confirmed.
    const participants = [people.collectorA.id, people.collectorB.id];
    const cycle = await flows.startNeedsCycle({
      cycleId: '00000000-0000-4000-8000-0000000c7c1e',
      name: 'History cycle',
      departmentId: DEMO.departments.collection.id,
      participantIds: participants,
      competencies: [{ key: 'negotiation', name: 'Negotiation', requiredLevel: 4 }, { key: 'systems', name: 'Systems', requiredLevel: 3 }],
      surveyDeadline: new Date(Date.now() + 3000).toISOString(),
      hrId: people.hrOfficer.id,
      startedById: people.hrOfficer.id,
      settings: { ...settings, needs: { ...DEFAULT_NEEDS, minResponseRate: 1, surveyExtension: 'PT20S' } },
    });
    const answer = async (p: string, levels: Record<string, number>) => {
      await waitForTask(db, cycle.flowId, 'needs_survey', p);
      await flows.send(cycle.flowId, submitSurvey, { actorId: p, selfRatings: levels, preferredFormats: [] });
      await flows.send(cycle.flowId, submitObservation, { actorId: people.collectionHead.id, participantId: p, observedLevels: levels });
    };
    await answer(people.collectorA.id, { negotiation: 2, systems: 3 });
    await waitForTask(db, cycle.flowId, 'needs_low_response', people.hrOfficer.id);
    await flows.send(cycle.flowId, decideLowResponse, { actorId: people.hrOfficer.id, choice: 'extend' });
    await answer(people.collectorB.id, { negotiation: 3, systems: 2 });
    const head = await waitForTask(db, cycle.flowId, 'needs_approval', people.collectionHead.id);
    await flows.decide(cycle.flowId, { taskId: head.id, actorId: people.collectionHead.id, decision: 'request_changes', comment: 'drop systems' });
    await waitForTask(db, cycle.flowId, 'needs_adjust', people.hrOfficer.id);
    await flows.send(cycle.flowId, adjustAssessment, { actorId: people.hrOfficer.id, requiredLevels: {}, excluded: ['systems'], note: 'systems dropped' });
    for (const who of [people.collectionHead.id, people.hrOfficer.id, ...participants]) {
      const t = await waitForTask(db, cycle.flowId, undefined, who);
      await flows.decide(cycle.flowId, { taskId: t.id, actorId: who, decision: t.type === 'needs_approval' ? 'approve' : 'confirm' });
    }
    await save('needsAnalysisCycle', 'extended-adjusted-confirmed', cycle.flowId);
    await save('resignationHandover', 'completed-after-extension', flowId);

    // The team the leaver left: its head records the team meeting (nobody else is left in it).
    const teamFlow = teamRebuildingFlowId(resignationId);
    await waitForTask(db, teamFlow, 'team_meeting', people.serviceHead.id);
    await flows.send(teamFlow, recordTeamTalk, { actorId: people.serviceHead.id, heldOn: new Date().toISOString().slice(0, 10), notes: 'Shared out the front desk' });
    await client.workflow.getHandle(teamFlow).result();
    await save('teamRebuilding', 'meeting-recorded', teamFlow);

    // A staffing adjustment: collectorB covers two of collectorC's accounts with training to
    // arrange (the session named is not on record by the start); the head approves, HR enrols,
    // the end date's timer moves the accounts back.
    const coveredAccounts = await db.account.findMany({ where: { assigneeId: people.collectorC.id }, orderBy: { id: 'asc' }, take: 2 });
    const cover = await flows.startStaffingAdjustment({
      adjustmentId: randomUUID(),
      coveringId: people.collectorB.id,
      coveredId: people.collectorC.id,
      accountIds: coveredAccounts.map((a) => a.id),
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 5000).toISOString(),
      kind: 'deployment',
      reason: 'On leave',
      training: 'New district rules',
      trainingSessionId: randomUUID(),
      createdById: people.hrOfficer.id,
      settings,
    });
    const coverApproval = await waitForTask(db, cover.flowId, 'staffing_approval', people.collectionHead.id);
    await flows.decide(cover.flowId, { taskId: coverApproval.id, actorId: people.collectionHead.id, decision: 'approve' });
    const enrolment = await waitForTask(db, cover.flowId, 'staffing_training', people.hrOfficer.id);
    await flows.decide(cover.flowId, { taskId: enrolment.id, actorId: people.hrOfficer.id, decision: 'done' });
    await save('staffingAdjustment', 'covered-until-the-end-date', cover.flowId);

    // The collector pool: two nominations (short, then enough), an assessment, the quarter's review
    // withdrawing one (short again), then ended by an operator.
    const poolInput = { position: 'collector' as const, settings };
    const poolFlow = reservePoolFlowId('collector');
    const nominated = (employeeId: string) => ({ actorId: people.collectionHead.id, employeeId, readiness: 'ready_now' as const, reason: 'steady results' });
    await flows.changePool(poolInput, nominateCandidate, nominated(people.collectorB.id), 'history-nominate-b');
    await flows.changePool(poolInput, nominateCandidate, nominated(people.collectorC.id), 'history-nominate-c');
    await flows.changePool(poolInput, assessCandidate, { actorId: people.hrOfficer.id, employeeId: people.collectorC.id, panelRating: 4, readiness: 'ready_later' }, 'history-assess-c');
    // The quarter's Schedule run: it asks every key position's pool for its review.
    const poolReviews = 'reserve-pool-review:history';
    await client.workflow.execute('reservePoolReviews', { workflowId: poolReviews, taskQueue: 'histories', args: [{ settings }] });
    await save('reservePoolReviews', 'asked-every-pool', poolReviews);
    const poolReview = await waitForTask(db, poolFlow, 'reserve_pool_review', people.hrOfficer.id);
    await flows.send(poolFlow, reviewPool, {
      actorId: poolReview.assigneeId,
      verdicts: [{ employeeId: people.collectorB.id, withdraw: true }, { employeeId: people.collectorC.id, readiness: 'ready_now' }],
    });
    await client.workflow.getHandle(poolFlow).cancel();
    await save('reservePool', 'nominated-reviewed-cancelled', poolFlow);

    // A training session: prepared, one participant signed in, sign-in closed by the trainer (the
    // other absent), feedback, report.
    const sessionPlan = await db.trainingPlan.create({
      data: { title: 'History session', departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: samplePlan(1_000_000), status: 'approved', currentVersion: 1, versions: { create: { version: 1, content: samplePlan(1_000_000), budgetTotalFen: 1_000_000, submittedById: people.hrOfficer.id } } },
    });
    const followUp = { ...DEFAULT_FOLLOW_UP, checkpoints: ['PT4S'], answerWithin: 'PT3S', recognitionBar: 50 };
    const soon = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const started = await flows.startSession({
      sessionId: '00000000-0000-4000-8000-0000000005e5',
      planId: sessionPlan.id,
      sessionNo: 1,
      title: 'History session: Day 1',
      startsAt: soon(12),
      endsAt: soon(16),
      location: '三楼培训室',
      trainerId: people.trainer.id,
      participantIds: [people.collectorA.id, people.collectorB.id],
      hrId: people.hrOfficer.id,
      venue: '三楼培训室',
      materials: ['handbook'],
      equipment: ['projector'],
      settings: { ...settings, followUp, sessions: { leadTime: 'PT10S', criticalBefore: 'PT1S', signInOpensBefore: 'PT8S', signInClosesAfter: 'PT30M', lateAfter: 'PT1S', codeRotation: 'PT5M', feedbackPeriod: 'PT3S' } },
    });
    for (const type of ['session_schedule', 'session_preparation', 'session_trainer_review']) {
      const t = await eventually(async () => (await db.task.findFirst({ where: { flowId: started.flowId, type, status: 'open' } })) ?? undefined, type);
      await flows.decide(started.flowId, { taskId: t.id, actorId: t.assigneeId, decision: type === 'session_schedule' ? 'confirm' : type === 'session_trainer_review' ? 'approve' : 'done' });
    }
    const row = await eventually(async () => {
      const r = await db.trainingSession.findUnique({ where: { id: started.sessionId } });
      return r?.status === 'signing_in' ? r : undefined;
    }, 'sign-in open');
    await flows.send(started.flowId, signInToSession, { actorId: people.collectorA.id, code: currentSignInCode(row.signInSecret, Date.now(), row.codeRotationMs).code });
    await flows.send(started.flowId, closeSessionSignIn, { actorId: people.trainer.id });
    await waitForTask(db, started.flowId, 'session_feedback', people.collectorA.id);
    await flows.send(started.flowId, submitSessionFeedback, { actorId: people.collectorA.id, content: 4, method: 4, trainer: 5, usefulness: 4 });
    await waitForTask(db, started.flowId, 'session_report', people.trainer.id);
    await flows.send(started.flowId, submitSessionReport, { actorId: people.trainer.id, covered: 'everything' });
    await save('trainingSession', 'prepared-attended-reported', started.flowId);

    // Its follow-up: the manager's baseline, a passing score, the checkpoint, results, a recognition.
    const programmeFlow = followUpFlowId(sessionPlan.id);
    const participantFlow = participantFlowId(sessionPlan.id, people.collectorA.id);
    const modules = samplePlan(1_000_000).modules.map((m) => m.title);
    await waitForTask(db, participantFlow, 'followup_baseline', people.collectionHead.id);
    await flows.send(participantFlow, giveBaseline, { actorId: people.collectionHead.id, employeeId: people.collectorA.id, levels: { [modules[0]!]: 2 } });
    await waitForTask(db, programmeFlow, 'followup_scores', people.trainer.id);
    await flows.send(programmeFlow, recordScores, { actorId: people.trainer.id, scores: [{ employeeId: people.collectorA.id, score: 90 }] });
    await waitForTask(db, participantFlow, 'followup_application', people.collectorA.id);
    await flows.send(participantFlow, reportApplication, { actorId: people.collectorA.id, employeeId: people.collectorA.id, level: 4, examples: 'daily' });
    await flows.send(participantFlow, rateBehaviour, { actorId: people.collectionHead.id, employeeId: people.collectorA.id, levels: { [modules[0]!]: 4 } });
    await waitForTask(db, programmeFlow, 'followup_results', people.collectionHead.id);
    await flows.send(programmeFlow, recordResults, { actorId: people.collectionHead.id, actuals: [{ metric: 'collection_rate_90d', actual: 60 }] });
    const recognition = await waitForTask(db, programmeFlow, 'followup_recognition', people.hrOfficer.id);
    await flows.decide(programmeFlow, { taskId: recognition.id, actorId: people.hrOfficer.id, decision: 'approve' });
    await save('participantFollowUp', 'baseline-scored-checkpoint', participantFlow);
    await save('trainingFollowUp', 'scored-results-recognised', programmeFlow);

    // A delegation: the head's open approval moves to the delegate at the start; it ends on its timer.
    const away = await db.trainingPlan.create({ data: { title: 'History delegated', departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: samplePlan(1_000_000) } });
    await flows.submitPlan(planInput(away), { actorId: away.drafterId, title: away.title, content: planContent.parse(away.draft), draftRevision: away.draftRevision }, 1);
    const delegationId = randomUUID();
    await flows.startDelegation({ delegationId, ownerId: people.collectionHead.id, delegateId: people.serviceHead.id, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 4000).toISOString(), reason: 'annual leave', createdById: people.collectionHead.id });
    await save('delegationPeriod', 'moved-then-ended', delegationFlowId(delegationId));

    // A survey run: its Schedule fires, everyone answers, HR assigns an action and reviews.
    const surveyId = randomUUID();
    await db.survey.create({ data: { id: surveyId, title: 'History survey', questions: [{ key: 'pay', text: 'Pay', kind: 'rating' }], departmentIds: [DEMO.departments.customerService.id], schedule: { every: 'PT2S' }, answerWithin: 'PT30S', createdById: people.hrOfficer.id } });
    await flows.scheduleRecurring(surveyScheduleId(surveyId), { every: 'PT2S' }, 'surveyRun', [{ surveyId, settings }]);
    const surveyRunRow = await eventually(async () => (await db.surveyRun.findFirst({ where: { surveyId } })) ?? undefined, 'the survey run');
    await flows.changeRecurring(surveyScheduleId(surveyId), { remove: true });
    // Whoever the run asks (the handover above has let the service rep go).
    for (const asked of await db.surveyParticipant.findMany({ where: { runId: surveyRunRow.id } })) {
      const ballotId = randomUUID();
      await db.surveyBallot.create({ data: { id: ballotId, runId: surveyRunRow.id, departmentId: asked.departmentId, answers: { pay: 4 } } });
      await flows.send(surveyRunRow.flowId, answerSurvey, { actorId: asked.employeeId, ballotId });
    }
    const surveyReview = await waitForTask(db, surveyRunRow.flowId, 'survey_review', people.hrOfficer.id);
    await flows.send(surveyRunRow.flowId, assignSurveyAction, { actorId: people.hrOfficer.id, title: 'Review pay bands', ownerId: people.serviceHead.id, dueAt: new Date(Date.now() + 86_400_000).toISOString() });
    await flows.decide(surveyRunRow.flowId, { taskId: surveyReview.id, actorId: people.hrOfficer.id, decision: 'done' });
    const surveyAction = await waitForTask(db, surveyRunRow.flowId, 'survey_action', people.serviceHead.id);
    await flows.decide(surveyRunRow.flowId, { taskId: surveyAction.id, actorId: people.serviceHead.id, decision: 'done' });
    await save('surveyRun', 'answered-reviewed-acted', surveyRunRow.flowId);

    // A needs-cycle schedule's run starts a cycle of the department; HR cancels the cycle.
    const needsScheduleRow = await db.needsCycleSchedule.create({ data: { id: randomUUID(), name: 'History yearly needs', departmentId: DEMO.departments.collection.id, competencies: [{ key: 'negotiation', name: 'Negotiation', requiredLevel: 4 }], surveyWithin: 'PT1H', schedule: { every: 'PT2S' }, hrId: people.hrOfficer.id, createdById: people.hrOfficer.id } });
    await flows.scheduleRecurring(needsScheduleId(needsScheduleRow.id), { every: 'PT2S' }, 'scheduledNeedsCycle', [{ scheduleId: needsScheduleRow.id, settings }]);
    const scheduledCycle = await eventually(async () => (await db.needsCycle.findFirst({ where: { scheduleId: needsScheduleRow.id } })) ?? undefined, 'the scheduled cycle');
    const [scheduledRun] = (await client.schedule.getHandle(needsScheduleId(needsScheduleRow.id)).describe()).info.recentActions;
    await flows.changeRecurring(needsScheduleId(needsScheduleRow.id), { remove: true });
    await flows.send(scheduledCycle.flowId, cancelFlow, { actorId: people.hrOfficer.id, reason: 'recording histories' });
    await save('scheduledNeedsCycle', 'started-a-cycle-then-cancelled', scheduledRun!.action.workflow.workflowId);
    // An anonymous suggestion (its sender kept apart, as the API does): chased past its due time,
    // handed by the head to a colleague, who answers.
    const suggestionId = randomUUID();
    await db.suggestionSender.create({ data: { suggestionId, employeeId: people.collectorA.id, noticeKey: randomUUID() } });
    const { flowId: suggestionFlow } = await flows.startSuggestion({
      suggestionId,
      title: 'History suggestion',
      body: 'Weekend duty',
      departmentId: DEMO.departments.collection.id,
      category: 'workplace',
      anonymous: true,
      settings: { ...settings, suggestions: { answerWithin: 'PT2S' } },
    });
    const answerTask = await waitForTask(db, suggestionFlow, 'suggestion_answer', people.collectionHead.id);
    await eventually(async () => ((await db.auditEvent.count({ where: { taskId: answerTask.id, action: 'task.escalated' } })) > 0 ? true : undefined), 'the answer escalated');
    await flows.transfer(suggestionFlow, { taskId: answerTask.id, actorId: people.collectionHead.id, toId: people.serviceHead.id, reason: 'it concerns service' });
    await flows.send(suggestionFlow, answerSuggestion, { actorId: people.serviceHead.id, answer: 'Taken up', accepted: true, actionPlanned: 'A new rota next month' });
    await eventually(async () => ((await db.flow.findUnique({ where: { id: suggestionFlow } }))?.status === 'completed' ? true : undefined), 'the suggestion answered');
    await save('suggestion', 'chased-transferred-answered', suggestionFlow);
    // A vacancy: two apply, the panel scores, HR decides, one panelist sends it back, HR decides again.
    const vacancyId = randomUUID();
    const panel = [people.collectionHead.id, people.serviceHead.id];
    const { flowId: vacancyFlow } = await flows.startPromotion({
      vacancyId,
      hrId: people.hrOfficer.id,
      title: 'History vacancy',
      departmentId: DEMO.departments.collection.id,
      description: 'Lead a team',
      criteria: [{ key: 'performance', name: 'Results', weight: 60 }, { key: 'leadership', name: 'Leadership', weight: 40 }],
      panelIds: panel,
      applyUntil: new Date(Date.now() + 3000).toISOString(),
      settings,
    });
    for (const applicant of [people.collectorA.id, people.collectorB.id]) await flows.send(vacancyFlow, applyForVacancy, { actorId: applicant, statement: 'Ready to lead' });
    for (const [i, panelistId] of panel.entries()) {
      await waitForTask(db, vacancyFlow, 'promotion_evaluation', panelistId);
      await flows.send(vacancyFlow, evaluateApplicants, {
        actorId: panelistId,
        evaluations: [
          { applicantId: people.collectorA.id, scores: { performance: 5, leadership: 4 - i }, comment: '' },
          { applicantId: people.collectorB.id, scores: { performance: 3, leadership: 3 }, comment: '' },
        ],
      });
    }
    for (const round of [1, 2]) {
      await waitForTask(db, vacancyFlow, 'promotion_decision', people.hrOfficer.id);
      await flows.send(vacancyFlow, decidePromotion, { actorId: people.hrOfficer.id, reason: 'Best results', reasons: { [people.collectorB.id]: 'Lead new hires first' } });
      for (const panelistId of panel) {
        const countersign = await waitForTask(db, vacancyFlow, 'promotion_countersign', panelistId);
        const sendBack = round === 1 && panelistId === people.serviceHead.id;
        await flows.decide(vacancyFlow, { taskId: countersign.id, actorId: panelistId, decision: sendBack ? 'reject' : 'approve', comment: sendBack ? 'Be specific' : undefined });
      }
    }
    await eventually(async () => ((await db.flow.findUnique({ where: { id: vacancyFlow } }))?.status === 'completed' ? true : undefined), 'the vacancy decided');
    await save('promotion', 'sent-back-then-decided', vacancyFlow);

    // A career plan: written, revised by the manager, reviewed when due with a change (then ended here).
    const planner = people.collectorC.id;
    const reviewSoon = new Date(Date.now() + 2000).toISOString();
    const careerPlanBody = { goals: 'Lead a team', wantedSkills: [{ key: 'leadership', name: 'Leadership' }] };
    await flows.reviseCareerPlan({ employeeId: planner, settings }, { ...careerPlanBody, revision: 0, nextReviewAt: reviewSoon, actorId: planner }, 'r0');
    await flows.reviseCareerPlan({ employeeId: planner, settings }, { ...careerPlanBody, goals: 'A senior collector first', revision: 1, actorId: people.collectionHead.id }, 'r1');
    await waitForTask(db, careerPlanFlowId(planner), 'career_plan_review', people.collectionHead.id);
    await flows.send(careerPlanFlowId(planner), reviewCareerPlan, { actorId: people.collectionHead.id, comment: 'Good talk', plan: { ...careerPlanBody, trainingWanted: 'The supervisors’ course' } });
    await client.workflow.getHandle(careerPlanFlowId(planner)).terminate('recorded');
    await save('careerPlan', 'revised-reviewed', careerPlanFlowId(planner));

    // Early warning: an import makes the engineer high; their retention flow runs to its end.
    const retention = { ...settings, retention: { stayInterviewWithin: 'PT1H', reviewWithin: 'PT1H', actionCheckAfter: 'PT2S' } };
    const intakeId = randomUUID();
    const rows = [{ employeeId: people.engineer.id, collectionRate: 40, contacts: 50, complaints: 3 }];
    const { levels } = await flows.runRiskIntake(intakeId, { kind: 'performance', importId: intakeId, month: '2026-11', rows, actorId: people.hrOfficer.id }, retention);
    await save('riskIntake', 'imported-rose-to-high', `risk-intake:${intakeId}`);
    const retentionFlow = levels[0]!.retentionFlowId!;
    const today = new Date().toISOString().slice(0, 10);
    const teamHead = people.engineeringHead.id;
    await waitForTask(db, retentionFlow, 'retention_stay_interview', teamHead);
    await flows.send(retentionFlow, recordStayInterview, { actorId: teamHead, heldOn: today, causes: ['workload'], notes: 'Too much overtime', actions: [{ what: 'New rota', ownerId: teamHead, dueOn: today }] });
    await waitForTask(db, retentionFlow, 'retention_hr_review', people.hrOfficer.id);
    await flows.send(retentionFlow, reviewRetention, { actorId: people.hrOfficer.id, comment: 'Agreed' });
    await waitForTask(db, retentionFlow, 'retention_action_check', teamHead);
    await flows.send(retentionFlow, checkRetentionAction, { actorId: teamHead, actionNo: 1, done: true, notes: 'Done' });
    await save('retention', 'interviewed-reviewed-checked', retentionFlow);
    // An onboarding: every first step, a document's new version, a session already attended, a
    // failed assessment and its retest passed, the first portfolio, one check-in and its pulse.
    const hireId = '00000000-0000-4000-8000-0000000000b9';
    const hireFlow = onboardingFlowId(hireId);
    const onboarding = { ...DEFAULT_ONBOARDING, checkInsAt: ['PT3S'], checkInOpensBefore: 'PT1S', coachingMinimum: 1, answerWithin: 'PT1H' };
    await db.document.create({ data: { id: 'history-law', title: 'Collection law', kind: 'law', versions: { create: { version: 1, summary: 'v1', publishedById: people.hrOfficer.id } } } });
    await flows.startOnboarding({
      employeeId: hireId,
      person: { employeeNo: 'NH900', name: '历史新人', email: 'history.hire@example.com', locale: 'zh-CN' },
      departmentId: DEMO.departments.collection.id,
      managerId: people.collectionHead.id,
      trainerId: people.trainer.id,
      hrId: people.hrOfficer.id,
      startDate: new Date().toISOString().slice(0, 10),
      documentIds: ['history-law'],
      settings: { ...settings, onboarding },
    });
    const hireSends = async <A,>(type: string, who: string, update: Parameters<FlowGateway['send']>[1], args: A) => {
      await waitForTask(db, hireFlow, type, who);
      await flows.send(hireFlow, update, { ...args, actorId: who });
    };
    await hireSends('onboarding_culture', hireId, attestCulture, { attest: true });
    await hireSends('onboarding_document', hireId, confirmDocument, { documentId: 'history-law', version: 1 });
    await db.document.update({ where: { id: 'history-law' }, data: { version: 2 } });
    await client.workflow.getHandle(hireFlow).signal(documentRevised, { documentId: 'history-law', version: 2 });
    await eventually(async () => ((await db.task.count({ where: { flowId: hireFlow, stepKey: 'document/history-law/v2', status: 'open' } })) ? true : undefined), 'the new version asked');
    await flows.send(hireFlow, confirmDocument, { documentId: 'history-law', version: 2, actorId: hireId });
    await db.sessionParticipant.create({ data: { sessionId: started.sessionId, employeeId: hireId, attendance: 'present' } });
    await hireSends('onboarding_enrolment', people.hrOfficer.id, enrolHire, { sessionId: started.sessionId });
    await hireSends('onboarding_drill', people.trainer.id, scoreDrill, { scenario: 'phone call', scores: Object.fromEntries(onboarding.drillCriteria.map((c) => [c.key, 4])) });
    await hireSends('onboarding_coaching', people.trainer.id, logHireCoaching, { heldOn: new Date().toISOString().slice(0, 10), notes: 'opening lines' });
    await hireSends('onboarding_assessment', people.trainer.id, assessHire, { score: 40 });
    await eventually(async () => ((await db.task.count({ where: { flowId: hireFlow, stepKey: 'assessment/1/2', status: 'open' } })) ? true : undefined), 'the retest');
    await flows.send(hireFlow, assessHire, { score: 75, actorId: people.trainer.id });
    const firstAccount = await db.account.findFirstOrThrow({ where: { assigneeId: people.collectorB.id }, orderBy: { id: 'asc' } });
    await hireSends('onboarding_portfolio', people.collectionHead.id, assignPortfolio, { accountIds: [firstAccount.id] });
    await hireSends('onboarding_check_in', people.collectionHead.id, checkInHire, { checkpoint: 1, heldOn: new Date().toISOString().slice(0, 10), progress: 4, notes: 'settling in' });
    await hireSends('onboarding_pulse', hireId, answerPulse, { checkpoint: 1, workload: 3, support: 4, confidence: 4, belonging: 4 });
    await client.workflow.getHandle(hireFlow).result();
    await save('onboarding', 'retest-passed-portfolio', hireFlow);

    // The flow-end watch records a plan approval an operator terminated.
    await startFlowEndWatch(client, 'histories', 500);
    const doomed = await db.trainingPlan.create({ data: { title: 'History terminated', departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: samplePlan(1_000_000) } });
    const { flowId: doomedFlow } = await flows.submitPlan(planInput(doomed), { actorId: doomed.drafterId, title: doomed.title, content: planContent.parse(doomed.draft), draftRevision: doomed.draftRevision }, 1);
    await client.workflow.getHandle(doomedFlow).terminate('recording histories');
    await eventually(async () => ((await db.flow.findUnique({ where: { id: doomedFlow } }))?.status === 'cancelled' ? true : undefined), 'the termination recorded');
    await client.workflow.getHandle(FLOW_END_WATCH_ID).terminate('recorded');
    await save('flowEndWatch', 'recorded-a-termination', FLOW_END_WATCH_ID);
  } finally {
    await stop();
  }
}

function planInput(plan: { id: string; departmentId: string; drafterId: string; title: string }) {
  return { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings };
}

async function waitFor(db: Db, flowId: string, count: number) {
  for (;;) {
    const tasks = await db.task.findMany({ where: { flowId, status: 'open' } });
    if (tasks.length === count) return tasks;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The open task of this type (any, when undefined) assigned to `who`. */
async function waitForTask(db: Db, flowId: string, type: string | undefined, who: string) {
  return eventually(async () => (await db.task.findFirst({ where: { flowId, type, assigneeId: who, status: 'open' } })) ?? undefined, `a task for ${who}`);
}

async function decideAll(db: Db, flows: FlowGateway, flowId: string, decision: Outcome, count: number, comment?: string) {
  for (const t of await waitFor(db, flowId, count)) await flows.decide(flowId, { taskId: t.id, actorId: t.assigneeId, decision, comment });
}

runAndExit(main);
