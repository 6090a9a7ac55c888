/**
 * Who may read what, and bounded lists: portfolios only for the people who answer for them, a
 * needs cycle's individual data only for its head and HR, and every list paged with a total.
 */
import { eventually, openTasks, people, planContent } from './support/fixtures';
import { acknowledge, checklistLines, startHandover } from './support/handover';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();
const portfolio = (owner: Who, who: Who, query = '') => api().get(`/api/v1/accounts?assignee=${people[owner].id}${query}`).set(as(who));
const ids = (items: { id: string }[]) => items.map((i) => i.id);

// Not collectorC: their handover (below) makes them a leaver, and a cycle takes active employees only.
const collectors: Who[] = ['collectorA', 'collectorB'];
const competencies = [
  { key: 'negotiation', name: '谈判沟通 Negotiation', requiredLevel: 4 },
  { key: 'regulations', name: '法规 Regulations', requiredLevel: 3 },
];
// Each collector is observed below a requirement, so each has an entry among the individuals.
const observed: Record<string, Record<string, number>> = {
  collectorA: { negotiation: 2, regulations: 2 },
  collectorB: { negotiation: 3, regulations: 1 },
};

async function startCycle() {
  const res = await api()
    .post('/api/v1/needs-cycles')
    .set(as('hrOfficer'))
    .send({
      name: '2027 催收员需求调研',
      departmentId: 'dept-collection',
      participantIds: collectors.map((c) => people[c].id),
      competencies,
      surveyDeadline: new Date(Date.now() + 120_000).toISOString(),
    });
  expect(res.status).toBe(202);
  return res.body as { cycleId: string; flowId: string };
}

describe('portfolios', () => {
  test('a collector reads their own portfolio but not a colleague’s; managers up the chain and HR read it', async () => {
    const own = await api().get('/api/v1/accounts').set(as('collectorA'));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ assigneeId: people.collectorA.id, total: await stack.db.account.count({ where: { assigneeId: people.collectorA.id } }) });

    const refused = await portfolio('collectorB', 'collectorA');
    expectProblem(refused, 403);
    expect(refused.body.code).toBe('not_allowed');
    expect(JSON.stringify(refused.body)).not.toContain('arrears');
    // A manager, but of another department: not in collectorB's chain.
    expectProblem(await portfolio('collectorB', 'serviceHead'), 403);
    expectProblem(await portfolio('collectorB', 'engineer'), 403);

    const total = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
    expect(total).toBeGreaterThan(0);
    // The manager, the manager's manager, the top of the chain; HR, its director and admins.
    for (const who of ['collectionHead', 'vicePresident', 'ceo', 'hrOfficer', 'hrDirector', 'admin'] as Who[]) {
      const res = await portfolio('collectorB', who);
      expect([who, res.status]).toEqual([who, 200]);
      expect(res.body.total).toBe(total);
    }
  });

  test('the successor and the supervisor of an in-progress handover read the leaver’s portfolio', async () => {
    expectProblem(await portfolio('collectorC', 'collectorB'), 403);
    expectProblem(await portfolio('collectorC', 'serviceHead'), 403);

    const { input } = await startHandover(stack.flows, { leaver: people.collectorC.id, successor: people.collectorB.id, supervisor: people.serviceHead.id });
    await eventually(async () => ((await stack.db.resignation.findUnique({ where: { id: input.resignationId } }))?.status === 'in_progress' ? true : undefined), 'the resignation recorded');

    const accounts = await stack.db.account.count({ where: { assigneeId: people.collectorC.id } });
    for (const who of ['collectorB', 'serviceHead'] as Who[]) {
      const res = await portfolio('collectorC', who);
      expect([who, res.status]).toEqual([who, 200]);
      expect(res.body.total).toBe(accounts);
    }
    // Someone else in the same department still may not.
    expectProblem(await portfolio('collectorC', 'collectorA'), 403);
  });
});

describe('needs cycles', () => {
  test('a participant sees the aggregates and only their own entries; the head and HR see everyone', async () => {
    const { cycleId, flowId } = await startCycle();
    await openTasks(stack.db, flowId, 4);
    for (const c of collectors) {
      await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as(c)).send({ selfRatings: { negotiation: 3, regulations: 3 }, needs: `${c} 想提高谈判能力` }).expect(200);
      await api().post(`/api/v1/needs-cycles/${cycleId}/observations`).set(as('collectionHead')).send({ participantId: people[c].id, observedLevels: observed[c] }).expect(200);
    }
    // Approvals for the head and HR, a confirmation for each participant.
    const confirmations = await openTasks(stack.db, flowId, 4);
    const ownOf = (c: Who) => confirmations.find((t) => t.type === 'needs_confirm_own' && t.assigneeId === people[c].id)!;
    const secret = '我的谈判能力不足，主管知道原因';
    await api().post(`/api/v1/tasks/${ownOf('collectorB').id}/decision`).set(as('collectorB')).send({ decision: 'confirm', comment: secret }).expect(200);

    const view = (who: Who) => api().get(`/api/v1/needs-cycles/${cycleId}`).set(as(who));
    const head = (await view('collectionHead')).body;
    expect(head.analysis.individuals.map((i: { participantId: string }) => i.participantId).sort()).toEqual(collectors.map((c) => people[c].id).sort());
    expect(head.confirmations.participants.map((p: { comment: string | null }) => p.comment)).toContain(secret);
    for (const who of ['hrOfficer', 'hrDirector', 'admin'] as Who[]) expect((await view(who)).body.analysis.individuals).toHaveLength(2);

    const mine = await view('collectorA');
    expect(mine.status).toBe(200);
    const me = people.collectorA.id;
    expect(mine.body.analysis.individuals).toEqual(head.analysis.individuals.filter((i: { participantId: string }) => i.participantId === me));
    expect(mine.body.analysis.individuals).toHaveLength(1);
    expect(mine.body.assessments.flatMap((a: any) => a.analysis.individuals.map((i: any) => i.participantId))).toEqual([me]);
    // The aggregates are the head's.
    for (const key of ['competencies', 'rankedNeeds', 'unratedCompetencies', 'responseRate']) expect(mine.body.analysis[key]).toEqual(head.analysis[key]);
    expect(mine.body.responseRate).toEqual(head.responseRate);
    // No colleague's confirmation, comment or task.
    expect(mine.body.confirmations.participants.map((p: { who: string }) => p.who)).toEqual([me]);
    expect(mine.body.confirmations.approvals).toHaveLength(2);
    expect(mine.body.openTasks.every((t: any) => t.assigneeId === me || t.type === 'needs_approval')).toBe(true);
    expect(mine.body.openTasks.map((t: any) => t.type)).toContain('needs_confirm_own');
    expect(JSON.stringify(mine.body)).not.toContain(secret);
    expect(JSON.stringify([mine.body.analysis, mine.body.assessments, mine.body.confirmations, mine.body.openTasks])).not.toContain(people.collectorB.id);

    // Stored exactly as computed: only the answer was cut down.
    const stored = await stack.db.needsAssessment.findFirstOrThrow({ where: { cycleId } });
    expect((stored.analysis as { individuals: unknown[] }).individuals).toHaveLength(2);
    expectProblem(await view('engineer'), 403);
  });
});

describe('pagination', () => {
  test('the directory: limit and offset pick a page, total counts everything, limits are bounded', async () => {
    const all = await api().get('/api/v1/employees?limit=200').set(as('collectorA'));
    expect(all.body).toMatchObject({ total: 15, limit: 200, offset: 0 });
    const page = await api().get('/api/v1/employees?limit=5&offset=5').set(as('collectorA'));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 15, limit: 5, offset: 5 });
    expect(ids(page.body.items)).toEqual(ids(all.body.items).slice(5, 10));
    expect((await api().get('/api/v1/employees').set(as('collectorA'))).body).toMatchObject({ limit: 50, offset: 0 });
    // The last page, short, and a page past the end count the same.
    const last = await api().get('/api/v1/employees?limit=10&offset=10').set(as('collectorA'));
    expect(last.body).toMatchObject({ total: 15, offset: 10 });
    expect(ids(last.body.items)).toEqual(ids(all.body.items).slice(10));
    expect((await api().get('/api/v1/employees?limit=10&offset=20').set(as('collectorA'))).body).toMatchObject({ total: 15, items: [] });
    // Filters count too: the total is of what matches, not of everyone.
    expect((await api().get('/api/v1/employees?department=dept-collection&limit=1').set(as('collectorA'))).body).toMatchObject({ total: 4, limit: 1 });

    const tooMany = await api().get('/api/v1/employees?limit=201').set(as('collectorA'));
    expectProblem(tooMany, 400, ['query.limit']);
    expect(tooMany.body.errors[0].reason).toContain('200');
    expectProblem(await api().get('/api/v1/employees?offset=-1').set(as('collectorA')), 400, ['query.offset']);
  });

  test('inbox, flow view, training plans and portfolios page with totals', async () => {
    const { flowId } = await startCycle();
    await openTasks(stack.db, flowId, 4);

    // The head's inbox holds one observation task per participant of this cycle.
    const inbox = (q: string) => api().get(`/api/v1/tasks?flowId=${encodeURIComponent(flowId)}${q}`).set(as('collectionHead'));
    const allTasks = (await inbox('')).body;
    expect(allTasks).toMatchObject({ total: 2, limit: 50, offset: 0 });
    const taskPage = (await inbox('&limit=1&offset=1')).body;
    expect(taskPage).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(ids(taskPage.items)).toEqual(ids(allTasks.items).slice(1, 2));
    expectProblem(await inbox('&limit=500'), 400, ['query.limit']);

    // The flow view pages tasks and audit separately and keeps every open task.
    const flowView = (q = '') => api().get(`/api/v1/flows/${encodeURIComponent(flowId)}${q}`).set(as('hrOfficer'));
    const whole = (await flowView()).body;
    expect(whole).toMatchObject({ tasksTotal: 4, tasksLimit: 50, tasksOffset: 0, auditLimit: 50, auditOffset: 0 });
    expect(whole.auditTotal).toBeGreaterThanOrEqual(whole.audit.length);
    expect(whole.audit.length).toBeGreaterThanOrEqual(3);
    const paged = (await flowView('?tasksLimit=2&tasksOffset=2&auditLimit=1&auditOffset=1')).body;
    expect(paged).toMatchObject({ tasksTotal: 4, tasksLimit: 2, tasksOffset: 2, auditLimit: 1, auditOffset: 1 });
    // Events may still be appended (notifications), never inserted before the ones seen.
    expect(paged.auditTotal).toBeGreaterThanOrEqual(whole.auditTotal);
    expect(ids(paged.tasks)).toEqual(ids(whole.tasks).slice(2, 4));
    expect(ids(paged.audit)).toEqual(ids(whole.audit).slice(1, 2));
    expect(paged.openTasks).toHaveLength(4);
    expectProblem(await flowView('?tasksLimit=201&auditOffset=-2'), 400, ['query.tasksLimit', 'query.auditOffset']);
    // Taking part is judged on every task of the flow, not the page shown: a participant whose only
    // task is not on the first page still reads the flow.
    const outsider = collectors.find((c) => whole.tasks[0].assigneeId !== people[c].id)!;
    expect((await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}?tasksLimit=1`).set(as(outsider))).status).toBe(200);
    expectProblem(await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}`).set(as('engineer')), 403);

    for (let i = 0; i < 3; i++) await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: `分页 ${i}`, departmentId: 'dept-collection', content: planContent() }).expect(201);
    const plans = (await api().get('/api/v1/training-plans?limit=200').set(as('hrOfficer'))).body;
    expect(plans.total).toBe(await stack.db.trainingPlan.count());
    const planPage = (await api().get('/api/v1/training-plans?limit=2&offset=1').set(as('hrOfficer'))).body;
    expect(planPage).toMatchObject({ total: plans.total, limit: 2, offset: 1 });
    expect(ids(planPage.items)).toEqual(ids(plans.items).slice(1, 3));
    expectProblem(await api().get('/api/v1/training-plans?limit=1000').set(as('hrOfficer')), 400, ['query.limit']);

    // Portfolios keep their larger pages (whole portfolios at once), still bounded.
    const accounts = (await portfolio('collectorA', 'collectorA', '&limit=10000')).body;
    expect(accounts).toMatchObject({ limit: 10_000, offset: 0 });
    const accountPage = (await portfolio('collectorA', 'collectorA', '&limit=5&offset=5')).body;
    expect(accountPage).toMatchObject({ total: accounts.total, arrearsFen: accounts.arrearsFen, limit: 5, offset: 5 });
    expect(ids(accountPage.items)).toEqual(ids(accounts.items).slice(5, 10));
    expectProblem(await portfolio('collectorA', 'collectorA', '&limit=10001'), 400, ['query.limit']);
  });

  test('resignations and a handover’s lines page with totals', async () => {
    // A leaver without a portfolio: four lines (work content, documents, access, assets).
    const { flowId, input } = await startHandover(stack.flows, { leaver: people.serviceRep.id, successor: people.serviceHead.id, supervisor: people.vicePresident.id });
    await acknowledge(stack.db, stack.flows, flowId);
    const lines = await checklistLines(stack.db, stack.flows, input.resignationId, 4);

    const resignations = (q: string) => api().get(`/api/v1/resignations${q}`).set(as('hrOfficer'));
    const count = await stack.db.resignation.count();
    expect(count).toBeGreaterThanOrEqual(1);
    expect((await resignations('')).body).toMatchObject({ total: count, limit: 50, offset: 0 });
    expect((await resignations('?limit=1')).body.items).toHaveLength(1);
    expect((await resignations(`?offset=${count}`)).body).toMatchObject({ total: count, items: [] });
    expectProblem(await resignations('?limit=0'), 400, ['query.limit']);

    // itemsTotal counts the lines matching the filter; the checklist total counts every line.
    const view = (q: string) => api().get(`/api/v1/resignations/${input.resignationId}${q}`).set(as('hrOfficer'));
    const all = (await view('')).body.checklist;
    expect(all).toMatchObject({ total: lines.length, itemsTotal: lines.length, limit: 1000, offset: 0 });
    const open = (await view('?status=open&limit=2&offset=1')).body.checklist;
    expect(open).toMatchObject({ total: lines.length, itemsTotal: lines.filter((l) => l.status === 'open').length, limit: 2, offset: 1 });
    expect(ids(open.items)).toEqual(ids(all.items).slice(1, 3));
    expect((await view('?category=assets')).body.checklist).toMatchObject({ total: 4, itemsTotal: 1 });
    expectProblem(await view('?limit=10001'), 400, ['query.limit']);
  });
});
