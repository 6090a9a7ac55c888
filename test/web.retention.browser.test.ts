/**
 * Early warning, retention and the reserve pool in a real browser (Chromium, Playwright) against the
 * real stack: HR's import makes a collector high risk and HR sees why on the board in Chinese; the
 * manager opens the stay interview from the inbox and records it on a phone; HR nominates and
 * assesses a pool candidate. The tests wait for elements and rows, never for time.
 */
import { retentionFlowId } from '../domain/risk';
import { eventually, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, signInAs } from './support/browser';

const web = browserTestStack();
const lastMonth = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 7);

test('HR sees a high-risk collector with the reasons in Chinese; the manager records the stay interview on a phone', async () => {
  // 45% collected, 150 contacts, 3 complaints: 60 points, high.
  await callAs(web, people.hrOfficer.id, 'POST', '/performance/imports', {
    month: lastMonth(),
    rows: [{ employeeNo: people.collectorB.employeeNo, collectionRate: 45, contacts: 150, complaints: 3 }],
  });
  const flowId = retentionFlowId(people.collectorB.id, 1);
  await eventually(() => web.stack.db.task.findFirst({ where: { flowId, type: 'retention_stay_interview', status: 'open' } }).then((t) => t ?? undefined), 'the stay interview task');

  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/risk');
  await page.getByRole('heading', { name: '离职风险看板' }).waitFor();
  const row = page.locator('.risk-people tr', { hasText: people.collectorB.name });
  await row.getByText(`回款率 45%，低于 60%`).waitFor();
  await row.getByText('投诉 3 次').waitFor();
  await page.locator('.retention-flows').getByText('待留任面谈').waitFor();
  await expect(accessibilityProblems(page, 'the risk board')).resolves.toEqual([]);
  await page.context().close();

  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.collectionHead.name);
  await phone.locator('.task', { hasText: '留任面谈' }).filter({ hasText: people.collectorB.name }).getByRole('button', { name: '去处理' }).click();
  await phone.waitForURL(`**/retention-flows/${encodeURIComponent(flowId)}`);
  const form = phone.locator('.stay-interview');
  await form.locator('#stay_causes').click();
  await phone.locator('.ant-select-item-option[title="工作量"]').click();
  await phone.keyboard.press('Escape');
  await form.getByLabel('记录').fill('月底加班太多，希望调整排班');
  await form.getByLabel('措施内容').fill('下月起月底轮休');
  await choose(phone, 'stay_actions_0_ownerId', people.collectionHead.name);
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  await form.getByRole('button', { name: '提交面谈记录' }).click();
  await form.waitFor({ state: 'detached' });
  await phone.getByText('下月起月底轮休').waitFor();
  const recorded = await eventually(() => web.stack.db.retentionCase.findFirst({ where: { flowId, stage: 'hr_review' } }).then((c) => c ?? undefined), 'the interview recorded');
  expect(recorded.stayInterview).toMatchObject({ causes: ['workload'], actions: [{ actionNo: 1, what: '下月起月底轮休', ownerId: people.collectionHead.id }] });
  await phone.context().close();
});

test('HR nominates a candidate on the pool page, then assesses them', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/reserve-pools');
  await page.getByRole('link', { name: '催收主管' }).click();
  await page.getByRole('heading', { name: '催收主管后备人才库' }).waitFor();
  const nominate = page.locator('.pool-nominate');
  await choose(page, 'nominate_employeeId', people.collectorA.name);
  await nominate.getByLabel('理由').fill('带过两名新人');
  await nominate.getByRole('button', { name: '推荐' }).click();
  const row = page.locator('.pool-candidates tr', { hasText: people.collectorA.name });
  await row.getByText('需培养').waitFor();

  await row.getByRole('button', { name: '评估' }).click();
  const assess = page.locator('.ant-popover:visible');
  await assess.getByText('4', { exact: true }).click();
  await assess.getByText('可立即上岗').click();
  await assess.getByRole('button', { name: '提交评估' }).click();
  await row.getByText('可立即上岗').waitFor();
  await expect(
    web.stack.db.reserveCandidate.findFirst({ where: { position: 'collection_head', employeeId: people.collectorA.id }, select: { readiness: true, panelRating: true, nominatedById: true } }),
  ).resolves.toEqual({ readiness: 'ready_now', panelRating: 4, nominatedById: people.hrOfficer.id });
  await page.context().close();
});
