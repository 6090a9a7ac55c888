/**
 * The exit interview and the report of causes of leaving in a real browser (Chromium, Playwright)
 * against the real stack: the successor has rated the handover, so it waits for HR's interview
 * alone (its phase shown in Chinese); HR records it on a phone from the handover page and the flow
 * completes; the report shows the counts of a large enough group and hides a small one, and a
 * manager sees their own department only. The tests wait for elements and rows, never for time.
 */
import { eventually, people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, earlierLeaver, openTaskOfType, phaseOf, signOffAfterChecklist, startHandover, verifyAll } from './support/handover';
import { accessibilityProblems, browserTestStack, callAs, pageWidth, signInAs } from './support/browser';

const web = browserTestStack();

test('HR records the exit interview on a phone; the handover then completes', async () => {
  const { db, flows } = web.stack;
  const { flowId, resignationId } = await startHandover(flows);
  await acknowledge(db, flows, flowId);
  const lines = (await checklistLines(db, flows, resignationId, 326)).map((l) => l.itemNo);
  await completeAll(flows, `${flowId}/checklist-1`, lines, people.collectorA.id);
  await verifyAll(flows, `${flowId}/checklist-1`, lines, people.collectionHead.id);
  await signOffAfterChecklist(web.stack, flowId, resignationId);
  await openTaskOfType(db, flowId, 'handover_rating');
  await callAs(web, people.collectorB.id, 'POST', `/resignations/${resignationId}/rating`, { score: 5 });
  await phaseOf(db, resignationId, 'exit_interview');

  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.hrOfficer.name);
  await phone.goto(`/resignations/${resignationId}`);
  await phone.locator('.ant-tag', { hasText: /^离职面谈$/ }).waitFor();
  const form = phone.locator('.exit-interview-form');
  await form.getByText(`与${people.collectorA.name}的离职面谈`).waitFor();
  // No cause chosen: refused on the page, nothing sent.
  await form.getByLabel('面谈记录').fill('同样的活，别家多给两成；通勤太远');
  await form.getByRole('radiogroup', { name: '将来愿意回来吗' }).getByText('会', { exact: true }).click();
  await form.getByRole('radiogroup', { name: '会推荐别人来公司吗' }).getByText('不会', { exact: true }).click();
  await form.getByRole('button', { name: '保存离职面谈' }).click();
  await form.locator('.ant-form-item-explain-error').waitFor();
  expect(await db.exitInterview.count()).toBe(0);

  await form.locator('#exit_causes').click();
  await phone.locator('.ant-select-item-option[title="薪酬"]').click();
  await phone.locator('.ant-select-item-option[title="家庭原因"]').click();
  await phone.keyboard.press('Escape');
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  await form.getByRole('button', { name: '保存离职面谈' }).click();
  await phone.getByText('离职面谈已保存').waitFor();
  await form.waitFor({ state: 'detached' });
  await phone.context().close();

  await expect(web.stack.client.workflow.getHandle(flowId).result()).resolves.toBe('completed');
  await expect(db.exitInterview.findUniqueOrThrow({ where: { resignationId } })).resolves.toMatchObject({
    causes: ['pay', 'family'],
    notes: '同样的活，别家多给两成；通勤太远',
    wouldReturn: true,
    wouldRecommend: false,
    recordedById: people.hrOfficer.id,
  });
});

test('the report of causes: counts for a large enough group, a small one hidden; a manager sees their department', async () => {
  // The quarter of a day about 100 days ago: within the page's default last twelve months.
  const quarterAgo = new Date(Date.now() - 100 * 86_400_000);
  const quarter = `${quarterAgo.getUTCFullYear()}-Q${Math.floor(quarterAgo.getUTCMonth() / 3) + 1}`;
  // Three collectors left in that quarter, one service rep too.
  const start = new Date(Date.UTC(quarterAgo.getUTCFullYear(), Math.floor(quarterAgo.getUTCMonth() / 3) * 3, 1));
  const day = (d: number) => new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  await web.stack.db.exitInterview.createMany({
    data: [
      earlierLeaver('dept-collection', day(1), ['pay', 'workload']),
      earlierLeaver('dept-collection', day(20), ['pay']),
      earlierLeaver('dept-collection', day(40), ['career']),
      earlierLeaver('dept-customer-service', day(10), ['management']),
    ],
  });

  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/reports/leaving-causes');
  await page.getByRole('heading', { name: '离职原因分析' }).waitFor();
  const collection = page.locator('.leaving-causes tr', { hasText: '收费催收部' }).filter({ hasText: quarter });
  await collection.getByRole('cell', { name: '3', exact: true }).waitFor();
  expect(await collection.getByRole('cell').allInnerTexts()).toEqual(['收费催收部', quarter, '3', '2', '1', '1', '0', '0', '0', '0']);
  await page.locator('.leaving-causes tr', { hasText: '客服部' }).getByText('少于 3 人，不显示').waitFor();
  await expect(accessibilityProblems(page, 'the report of causes of leaving')).resolves.toEqual([]);
  await page.context().close();

  const head = await web.newPage({ width: 390, height: 844 });
  await signInAs(head, people.serviceHead.name);
  await head.goto('/reports/leaving-causes');
  await head.locator('.leaving-causes tr', { hasText: '客服部' }).getByText('少于 3 人，不显示').waitFor();
  expect(await head.locator('.leaving-causes tr', { hasText: '收费催收部' }).count()).toBe(0);
  expect(await pageWidth(head)).toBeLessThanOrEqual(390);
  await head.context().close();
  await eventually(async () => ((await web.stack.db.auditEvent.count({ where: { action: 'risk.read', actorId: people.serviceHead.id } })) > 0 ? true : undefined), 'the manager’s read audited');
});
