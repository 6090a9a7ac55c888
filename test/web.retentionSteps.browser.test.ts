/**
 * The retention and reserve pool steps after the first ones, in a real browser (Chromium, Playwright)
 * against the real stack: HR reviews a stay interview in English, the action's owner checks it from
 * their page and the flow ends; HR closes another flow with a reason; HR's quarterly pool review
 * withdraws a candidate; naming a successor from outside the pool asks for a reason before it sends.
 * The tests wait for elements and rows, never for time.
 */
import { reservePoolFlowId } from '../domain/reservePool';
import { retentionFlowId } from '../domain/risk';
import { eventually, people } from './support/fixtures';
import { acknowledge } from './support/handover';
import { browserTestStack, callAs, choose, inEnglish, signInAs } from './support/browser';

const web = browserTestStack();
const lastMonth = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 7);
const today = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const openTask = (flowId: string, type: string) =>
  eventually(() => web.stack.db.task.findFirst({ where: { flowId, type, status: 'open' } }).then((t) => t ?? undefined), `an open ${type} task`);

beforeAll(async () => {
  // 45% collected, 150 contacts, 3 complaints: 60 points, high: one retention flow each.
  const high = { collectionRate: 45, contacts: 150, complaints: 3 };
  await callAs(web, people.hrOfficer.id, 'POST', '/performance/imports', {
    month: lastMonth(),
    rows: [people.collectorA, people.collectorB].map((p) => ({ employeeNo: p.employeeNo, ...high })),
  });
});

test('HR reviews the stay interview in English; the action owner checks it and the flow ends', async () => {
  const flowId = retentionFlowId(people.collectorB.id, 1);
  await openTask(flowId, 'retention_stay_interview');
  await callAs(web, people.collectionHead.id, 'POST', `/retention-flows/${encodeURIComponent(flowId)}/stay-interview`, {
    heldOn: today(),
    causes: ['workload'],
    notes: '月底加班太多',
    actions: [{ what: '下月起月底轮休', ownerId: people.collectionHead.id, dueOn: today(30) }],
  });
  await openTask(flowId, 'retention_hr_review');

  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await inEnglish(hr);
  await hr.goto(`/retention-flows/${encodeURIComponent(flowId)}`);
  const review = hr.locator('.retention-review');
  await review.getByLabel('Comment').fill('Agreed: rotate the month-end shifts');
  await review.getByRole('button', { name: 'Send the review' }).click();
  await review.waitFor({ state: 'detached' });
  await hr.locator('.ant-card', { hasText: 'HR review' }).getByText('Agreed: rotate the month-end shifts').waitFor();
  await hr.context().close();

  // The check falls due `actionCheckAfter` the review (seconds here): its owner finds it on the flow's page.
  await openTask(flowId, 'retention_action_check');
  const head = await web.newPage();
  await signInAs(head, people.collectionHead.name);
  await head.goto(`/retention-flows/${encodeURIComponent(flowId)}`);
  const check = head.locator('.retention-check');
  await check.getByRole('radio', { name: '已完成' }).check();
  await check.getByLabel('记录').fill('已排好 12 月轮休表');
  await check.getByRole('button', { name: '提交核查' }).click();
  await head.getByText('措施已核查').waitFor();
  await head.context().close();

  const closed = await eventually(() => web.stack.db.retentionCase.findFirst({ where: { flowId, status: 'actions_checked' } }).then((c) => c ?? undefined), 'the flow ended');
  expect(closed.review).toMatchObject({ comment: 'Agreed: rotate the month-end shifts' });
  expect(closed.actionChecks).toMatchObject([{ actionNo: 1, done: true, notes: '已排好 12 月轮休表' }]);
});

test('HR closes an open retention flow with a reason; a blank reason is refused on the page', async () => {
  const flowId = retentionFlowId(people.collectorA.id, 1);
  await openTask(flowId, 'retention_stay_interview');
  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto(`/retention-flows/${encodeURIComponent(flowId)}`);
  const close = hr.locator('.retention-close');
  await close.getByLabel('关闭原因').fill('   ');
  await close.getByRole('button', { name: '关闭', exact: true }).click();
  await close.locator('.ant-form-item-explain-error').waitFor();
  expect((await web.stack.db.retentionCase.findFirstOrThrow({ where: { flowId } })).status).toBe('open');

  await close.getByLabel('关闭原因').fill('已调岗到客服部');
  await close.getByRole('button', { name: '关闭', exact: true }).click();
  await hr.getByText('人力资源已关闭').waitFor();
  await hr.getByText('已调岗到客服部').waitFor();
  await expect(web.stack.db.retentionCase.findFirstOrThrow({ where: { flowId }, select: { status: true, closedReason: true } })).resolves.toEqual({
    status: 'closed_by_hr',
    closedReason: '已调岗到客服部',
  });
});

test("HR's quarterly review withdraws one candidate and keeps the other", async () => {
  for (const p of [people.collectorB, people.collectorC]) {
    await callAs(web, people.hrOfficer.id, 'POST', '/reserve-pools/collection_head/candidates', { employeeId: p.id, readiness: 'ready_later', reason: '带过新人' });
  }
  await callAs(web, people.hrOfficer.id, 'PUT', '/reserve-pools/review-schedule', { schedule: { cron: '0 9 1 1,4,7,10 *' } });
  await callAs(web, people.hrOfficer.id, 'POST', '/reserve-pools/review-schedule/run-now');
  const task = await openTask(reservePoolFlowId('collection_head'), 'reserve_pool_review');

  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto('/reserve-pools/collection_head');
  const review = hr.locator('.pool-review');
  await review.getByLabel(people.collectorC.name).click();
  await hr.locator('.ant-select-dropdown:visible .ant-select-item-option[title="移出人才库"]').click();
  await review.getByLabel('意见（选填）').fill('黄小梅本季度转岗意向');
  await review.getByRole('button', { name: '提交盘点' }).click();
  await review.waitFor({ state: 'detached' });
  await hr.locator('.pool-candidates tr', { hasText: people.collectorB.name }).waitFor();
  await hr.locator('.pool-candidates tr', { hasText: people.collectorC.name }).waitFor({ state: 'detached' });

  expect((await web.stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
  const statuses = await web.stack.db.reserveCandidate.findMany({ where: { position: 'collection_head' }, orderBy: { employeeId: 'asc' }, select: { employeeId: true, status: true } });
  expect(Object.fromEntries(statuses.map((c) => [c.employeeId, c.status]))).toEqual({ [people.collectorB.id]: 'active', [people.collectorC.id]: 'withdrawn' });
});

test('naming a successor from outside the pool asks why before anything is sent', async () => {
  await callAs(web, people.hrOfficer.id, 'POST', '/reserve-pools/collector/candidates', { employeeId: people.serviceRep.id, readiness: 'ready_now', reason: '熟悉片区客户' });
  const started = await callAs<{ resignationId: string; flowId: string }>(web, people.hrOfficer.id, 'POST', '/resignations', {
    employeeId: people.collectorA.id,
    resignationDate: today(),
    lastWorkingDay: today(14),
    reason: '个人原因',
  });
  await acknowledge(web.stack.db, web.stack.flows, started.flowId);
  await openTask(started.flowId, 'handover_assign');

  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto(`/resignations/${started.resignationId}`);
  const form = hr.locator('.assignment-form');
  await form.locator('.successor-select').click();
  const pool = hr.locator('.ant-select-dropdown:visible');
  // The pool's candidate comes first, with their readiness.
  await pool.locator(`.ant-select-item-option[title="1. ${people.serviceRep.name} · 可立即上岗"]`).waitFor();
  expect(await pool.locator('.ant-select-item-option').first().getAttribute('title')).toBe(`1. ${people.serviceRep.name} · 可立即上岗`);
  await pool.locator(`.ant-select-item-option[title^="${people.collectorB.name}"]`).click();
  await choose(hr, 'supervisorId', people.collectionHead.name);
  await form.getByRole('button', { name: '确认指定' }).click();
  await form.getByText('请说明为何不从后备人才库选择').waitFor();
  expect((await web.stack.db.resignation.findUniqueOrThrow({ where: { id: started.resignationId } })).successorId).toBeNull();

  await form.getByLabel('未从后备人才库选择的理由').fill('郑磊负责同一楼盘，客户熟悉');
  await form.getByRole('button', { name: '确认指定' }).click();
  const named = await eventually(
    () => web.stack.db.resignation.findFirst({ where: { id: started.resignationId, successorId: { not: null } } }).then((r) => r ?? undefined),
    'the successor named',
  );
  expect([named.successorId, named.supervisorId]).toEqual([people.collectorB.id, people.collectionHead.id]);
  const phase = await eventually(
    async () => (await web.stack.db.auditEvent.findFirst({ where: { flowId: started.flowId, action: 'handover.phase', payload: { path: ['phase'], equals: 'handover' } } })) ?? undefined,
    'the handover phase',
  );
  expect(phase.payload).toMatchObject({ successorReason: '郑磊负责同一楼盘，客户熟悉' });
});
