/**
 * 职业规划 and posting a vacancy in a real browser (Chromium from the OS packages, Playwright),
 * against a real API, worker, Temporal and PostgreSQL: a collector writes their plan; their manager
 * opens it from the list and revises it; the collector's save over the older revision is refused,
 * said in their language, their text kept beside the newer revision, and put over it on request;
 * the review task in the manager's inbox leads to the review form, and the review is recorded.
 * HR posts a vacancy through its form, a missing field shown at the field first. At 390 px too.
 * The tests wait for elements and rows, never for time.
 */
import type { Page } from 'playwright-core';
import { eventually, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, signInAs } from './support/browser';

const web = browserTestStack();

const fitsPhone = async (page: Page) => expect(await pageWidth(page)).toBeLessThanOrEqual(390);

test('a collector writes their plan; the manager revises it from the list; the collector’s stale save keeps their text and goes over the newer one; the review from the inbox is recorded', async () => {
  const a = people.collectorA;
  const collector = await web.newPage();
  await signInAs(collector, a.name);
  await collector.getByRole('menuitem', { name: '我的职业规划' }).click();
  await collector.getByText('还没有职业规划').waitFor();
  const form = collector.locator('.career-form');
  await form.getByRole('button', { name: '保存' }).click();
  await form.locator('#goals_help').getByText('请填写职业目标').waitFor();
  await expect(accessibilityProblems(collector, 'the career plan form')).resolves.toEqual([]);
  await form.getByLabel('职业目标').fill('两年内成为催收组长');
  await form.getByLabel('目标岗位').fill('催收组长');
  await form.getByRole('button', { name: '添加能力' }).click();
  await form.locator('#wantedSkills_0_key').fill('Negotiation');
  await form.getByLabel('名称 1').fill('谈判沟通');
  await form.getByLabel('想参加的培训').fill('主管培训班');
  await form.getByRole('button', { name: '保存' }).click();
  await form.locator('#wantedSkills_0_key_help').getByText('标识只能用小写字母、数字和下划线，并以字母开头').waitFor();
  await form.locator('#wantedSkills_0_key').fill('negotiation');
  await form.getByRole('button', { name: '保存' }).click();
  await collector.getByText('职业规划已保存').waitFor();
  await collector.locator('.ant-descriptions-item-content', { hasText: '第 1 版' }).waitFor();
  const first = await web.stack.db.careerPlan.findUniqueOrThrow({ where: { employeeId: a.id } });
  expect(first).toMatchObject({ revision: 1, goals: '两年内成为催收组长', targetRole: '催收组长', skillKeys: ['negotiation'], trainingWanted: '主管培训班' });

  // The manager finds it in the list of their people's plans and revises it.
  const manager = await web.newPage();
  await signInAs(manager, people.collectionHead.name);
  await manager.goto('/career-plans');
  await manager.locator('.career-plans').getByRole('link', { name: new RegExp(a.name) }).click();
  await manager.getByRole('heading', { name: `${a.name}的职业规划` }).waitFor();
  await manager.locator('.career-form').getByLabel('职业目标').fill('先做好资深催收员，再带团队');
  await manager.locator('.career-form').getByRole('button', { name: '保存' }).click();
  await manager.locator('.ant-descriptions-item-content', { hasText: '第 2 版' }).waitFor();
  await expect(accessibilityProblems(manager, 'a report’s career plan')).resolves.toEqual([]);

  // The collector, still on revision 1, saves: refused, said in Chinese, their text kept beside the newer one.
  const mine = '我的新目标：考取催收主管资格证';
  await form.getByLabel('职业目标').fill(mine);
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText(`${people.collectionHead.name}已于`).waitFor();
  await form.getByText(/保存了更新的版本（第 2 版）/).waitFor();
  await expect(form.getByLabel('职业目标').inputValue()).resolves.toBe(mine);
  await collector.locator('.career-newer').getByText('先做好资深催收员，再带团队').waitFor();
  expect((await web.stack.db.careerPlan.findUniqueOrThrow({ where: { employeeId: a.id } })).goals).toBe('先做好资深催收员，再带团队');
  // They put theirs over the newer revision, knowingly.
  await form.getByRole('button', { name: '覆盖第 2 版并保存' }).click();
  await collector.locator('.ant-descriptions-item-content', { hasText: '第 3 版' }).waitFor();
  await expect(collector.locator('.career-newer').count()).resolves.toBe(0);
  expect(await web.stack.db.careerPlan.findUniqueOrThrow({ where: { employeeId: a.id } })).toMatchObject({ revision: 3, goals: mine, skillKeys: ['negotiation'] });
  // The history names who saved each revision.
  const history = collector.locator('.career-history');
  await history.locator('tr', { hasText: '第 2 版' }).getByText(people.collectionHead.name).waitFor();
  await history.locator('tr', { hasText: '第 3 版' }).getByText(a.name).waitFor();

  // The review falls due (moved to a few seconds from now, as an API client may): the manager's inbox leads to it.
  await callAs(web, people.collectionHead.id, 'PUT', `/career-plans/${a.id}`, {
    revision: 3,
    goals: mine,
    wantedSkills: [{ key: 'negotiation', name: '谈判沟通' }],
    nextReviewAt: new Date(Date.now() + 3_000).toISOString(),
  });
  const task = await eventually(
    async () => (await web.stack.db.task.findFirst({ where: { type: 'career_plan_review', status: 'open', payload: { path: ['employeeId'], equals: a.id } } })) ?? undefined,
    'the review task',
    60_000,
  );
  await manager.goto('/');
  await manager.locator(`.task[data-task-id="${task.id}"]`).getByRole('link', { name: '查看职业规划' }).click();
  await manager.waitForURL(`**/career-plans/${a.id}`);
  const review = manager.locator('.career-review');
  await review.getByRole('button', { name: '记录回顾' }).click();
  await review.locator('#comment_help').getByText('请填写面谈记录').waitFor();
  await review.getByLabel('面谈记录').fill('沟通顺利，下季度参加主管培训');
  await review.getByRole('button', { name: '记录回顾' }).click();
  await manager.getByText('回顾已记录，已通知员工').waitFor();
  await manager.locator('.career-reviews').getByText('沟通顺利，下季度参加主管培训').waitFor();
  await manager.locator('.career-reviews').getByText(/第 1 次回顾/).waitFor();
  await expect(review.count()).resolves.toBe(0);
  expect(await web.stack.db.careerPlanReview.findMany({ where: { employeeId: a.id } })).toEqual([
    expect.objectContaining({ reviewNo: 1, reviewerId: people.collectionHead.id, comment: '沟通顺利，下季度参加主管培训', revision: 4 }),
  ]);
  expect((await web.stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
  await manager.context().close();

  // On a phone, in English: the collector's plan and its history fit the screen.
  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, a.name);
  await phone.getByText('EN', { exact: true }).click();
  await phone.goto('/career-plan');
  await phone.getByRole('heading', { name: 'My career plan' }).waitFor();
  await phone.locator('.career-reviews').getByText(/Review 1/).waitFor();
  await fitsPhone(phone);
  await phone.context().close();
  await collector.context().close();
});

test('HR posts a vacancy through the form: a missing field is said at the field, then the vacancy opens', async () => {
  const hr = await web.newPage({ width: 390, height: 844 });
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto('/vacancies');
  await hr.getByRole('button', { name: '发布岗位' }).click();
  const form = hr.locator('.vacancy-form');
  await form.getByRole('button', { name: '发布', exact: true }).click();
  await form.locator('#title_help').getByText('请填写岗位名称').waitFor();
  await form.locator('#applyUntil_help').getByText('请选择申请截止时间').waitFor();
  await fitsPhone(hr);
  await expect(accessibilityProblems(hr, 'the vacancy form')).resolves.toEqual([]);
  await form.getByLabel('岗位名称').fill('催收组长（界面）');
  await choose(hr, 'departmentId', '收费催收部');
  await form.getByLabel('岗位说明').fill('带领五人催收小组');
  await hr.locator('#criteria_0_key').fill('performance');
  await form.getByLabel('名称 1').fill('业绩');
  await hr.locator('#criteria_0_weight').fill('60');
  await form.getByRole('button', { name: '添加标准' }).click();
  await hr.locator('#criteria_1_key').fill('leadership');
  await form.getByLabel('名称 2').fill('带队能力');
  await hr.locator('#criteria_1_weight').fill('30');
  await choose(hr, 'panelIds', people.collectionHead.name);
  await choose(hr, 'panelIds', people.hrDirector.name);
  await hr.getByRole('heading', { name: '晋升通道' }).click();
  await hr.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  const closes = `${new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)} 18:00`;
  await hr.locator('#applyUntil').click();
  await hr.locator('#applyUntil').fill(closes);
  await hr.locator('#applyUntil').press('Enter');
  await hr.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
  // Weights of 90 in all: said under the criteria before anything is sent.
  await form.getByRole('button', { name: '发布', exact: true }).click();
  await form.getByText('权重合计须为 100，现为 90').waitFor();
  await hr.locator('#criteria_1_weight').fill('40');
  await form.getByRole('button', { name: '发布', exact: true }).click();
  await hr.getByText('岗位已发布').waitFor();
  await hr.locator('.ant-table-row', { hasText: '催收组长（界面）' }).waitFor();
  await fitsPhone(hr);
  const vacancy = await web.stack.db.vacancy.findFirstOrThrow({ where: { title: '催收组长（界面）' } });
  expect(vacancy).toMatchObject({ departmentId: 'dept-collection', description: '带领五人催收小组', panelIds: [people.collectionHead.id, people.hrDirector.id], status: 'open' });
  expect(vacancy.criteria).toEqual([
    { key: 'performance', name: '业绩', weight: 60 },
    { key: 'leadership', name: '带队能力', weight: 40 },
  ]);
  expect(vacancy.applyUntil.toISOString()).toBe(new Date(`${closes.replace(' ', 'T')}:00+08:00`).toISOString());
  await hr.context().close();
});
