/**
 * The web app in a real browser (Chromium from the OS packages, Playwright), against a real API,
 * worker, Temporal and PostgreSQL: people click through their flows as they would.
 */
import type { Page } from 'playwright-core';
import { eventually, people, planContent } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, pageWidth, signInAs, signOut } from './support/browser';
import { acknowledge, checklistLines, startHandover } from './support/handover';

const web = browserTestStack();

const day = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

/** What the HR officer's API token would do: a complete plan, submitted (for tests that start later). */
async function submittedPlan(title: string): Promise<string> {
  const plan = await callAs<{ id: string }>(web, people.hrOfficer.id, 'POST', '/training-plans', { title, departmentId: 'dept-collection', content: planContent() });
  await callAs(web, people.hrOfficer.id, 'POST', `/training-plans/${plan.id}/submit`, {});
  return plan.id;
}

async function pickDate(page: Page, id: string, value: string) {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

test('the README’s approval, by three people clicking through the web app', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.getByRole('menuitem', { name: '培训计划' }).click();
  await page.getByRole('button', { name: '新建培训计划' }).click();

  await page.locator('#title').fill('催收谈判技巧 UI');
  await page.locator('#departmentId').click();
  await page.locator('.ant-select-item-option[title="收费催收部"]').click();
  await page.locator('#content_objectives_general').fill('提升谈判能力');
  await page.locator('#content_objectives_targets_0_description').fill('90 天回款率');
  await page.locator('#content_objectives_targets_0_metric').fill('collection_rate_90d');
  await page.locator('#content_objectives_targets_0_target').fill('65');
  await page.locator('#content_modules_0_title').fill('催收话术');
  await page.locator('#content_modules_0_content').fill('开场、倾听、异议处理');
  await page.locator('#content_modules_0_hours').fill('6');
  await page.getByLabel('课堂讲授').check();
  await page.locator('#content_resources_venue').fill('三楼培训室');
  await page.locator('#content_resources_trainers_0_name').fill('孙老师');
  await pickDate(page, 'content_cycle_startsOn', day(10));
  await pickDate(page, 'content_cycle_endsOn', day(40));
  await page.locator('#content_sessions_0_title').fill('第一期');
  await pickDate(page, 'content_sessions_0_startsAt', `${day(20)} 09:00`);
  await pickDate(page, 'content_sessions_0_endsAt', `${day(20)} 17:00`);
  await page.locator('#content_budget_lines_0_description').fill('讲师费');
  await page.locator('#content_budget_lines_0_amountFen').fill('8000');
  await page.getByRole('button', { name: '保存草稿' }).click();

  await page.getByRole('button', { name: '提交审批' }).click();
  // The answer names the department head's new task: it is in their inbox already.
  const next = page.locator('.next-tasks');
  await next.getByText(people.collectionHead.name).waitFor();
  const planUrl = page.url();
  const plan = await web.stack.db.trainingPlan.findFirstOrThrow({ where: { title: '催收谈判技巧 UI' } });
  expect(plan.status).toBe('in_approval');
  expect((plan.draft as { budget: { totalFen: number } }).budget.totalFen).toBe(800_000);
  await signOut(page);

  for (const [approver, nextName] of [
    [people.collectionHead.name, people.hrDirector.name],
    [people.hrDirector.name, undefined],
  ] as const) {
    await signInAs(page, approver);
    const task = page.locator('.task', { hasText: '催收谈判技巧 UI' });
    await task.getByRole('button', { name: '同意' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
    if (nextName) await page.locator('.next-tasks').getByText(nextName).waitFor();
    // The last approval opens no task of this flow: the page says what it did instead.
    else await page.getByText('计划已批准，已安排 1 个场次').waitFor();
    await expect(task.count()).resolves.toBe(0);
    await signOut(page);
  }

  await signInAs(page, people.hrOfficer.name);
  await page.goto(planUrl);
  await page.getByText('已批准').first().waitFor();
  await page.getByRole('tab', { name: /审批记录/ }).click();
  const rows = page.getByRole('tabpanel').getByRole('row');
  await rows.filter({ hasText: '人力资源总监' }).waitFor();
  expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('审批层级'), expect.stringContaining('部门负责人'), expect.stringContaining('人力资源总监')]);
  const decisions = await web.stack.db.planDecision.findMany({ where: { planId: plan.id }, orderBy: { decidedAt: 'asc' } });
  expect(decisions.map((d) => [d.level, d.decision, d.decidedById])).toEqual([
    ['department_head', 'approve', people.collectionHead.id],
    ['hr_director', 'approve', people.hrDirector.id],
  ]);
  await page.context().close();
});


test('an approver asks for changes, the drafter revises, and the approver sees the field-by-field diff', async () => {
  const planId = await submittedPlan('投诉处理培训 UI');
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  const task = page.locator('.task', { hasText: '投诉处理培训 UI' });
  await task.getByRole('button', { name: '退回修改' }).click();
  const dialog = page.getByRole('dialog');
  // A request for changes needs a comment: the button stays disabled until one is written.
  await expect(dialog.getByRole('button', { name: '退回修改' }).isDisabled()).resolves.toBe(true);
  await dialog.getByLabel('意见（必填）').fill('场地太小，请换到大会议室');
  await dialog.getByRole('button', { name: '退回修改' }).click();
  await page.locator('.next-tasks').getByText(people.hrOfficer.name).waitFor();
  await signOut(page);

  await signInAs(page, people.hrOfficer.name);
  await page.goto(`/plans/${planId}`);
  await page.getByText('场地太小，请换到大会议室').waitFor();
  await page.getByRole('button', { name: '编辑' }).click();
  await page.locator('#content_resources_venue').fill('五楼大会议室');
  await page.locator('#content_modules_1_hours').fill('4');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.getByRole('button', { name: '重新提交' }).click();
  await page.locator('.next-tasks').getByText(people.collectionHead.name).waitFor();
  await signOut(page);

  await signInAs(page, people.collectionHead.name);
  await page.locator('.task', { hasText: '投诉处理培训 UI' }).getByRole('link', { name: '查看计划' }).click();
  await page.getByRole('tab', { name: /版本对比/ }).click();
  const diff = page.locator('.version-diff');
  await diff.getByText('场地', { exact: true }).waitFor();
  const rows = await diff.getByRole('row').allInnerTexts();
  expect(rows.slice(1).map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
    ['课程模块第2行 课时（小时）', '3', '4'],
    ['场地', '三楼培训室', '五楼大会议室'],
  ]);
  await page.context().close();
});

test('a department head approves three plans at once from the inbox', async () => {
  const titles = ['批量一 UI', '批量二 UI', '批量三 UI'];
  for (const title of titles) await submittedPlan(title);
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  for (const title of titles) await page.getByRole('checkbox', { name: new RegExp(`^选择 .*${title}`) }).check();
  await page.getByRole('button', { name: '批量同意（3）' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await page.getByText('已处理 3 项任务').waitFor();
  const next = page.locator('.next-tasks li');
  await next.nth(2).waitFor();
  expect(await next.allInnerTexts()).toEqual(titles.map(() => expect.stringContaining(people.hrDirector.name)));
  for (const title of titles) await expect(page.locator('.task', { hasText: title }).count()).resolves.toBe(0);
  const plans = await web.stack.db.trainingPlan.findMany({ where: { title: { in: titles } }, include: { decisions: true } });
  expect(plans.map((p) => p.decisions.map((d) => [d.level, d.decision]))).toEqual(titles.map(() => [['department_head', 'approve']]));
  await page.context().close();
});

test('an error the API names lands on its field in the editor', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/plans/new');
  await page.locator('#title').fill('   ');
  await page.locator('#departmentId').click();
  await page.locator('.ant-select-item-option[title="收费催收部"]').click();
  await page.getByRole('button', { name: '保存草稿' }).click();
  // The API's refusal, worded for the reader under the title field; nothing was written.
  await page.locator('#title_help').getByText('请填写计划名称').waitFor();
  await expect(web.stack.db.trainingPlan.count({ where: { title: '   ' } })).resolves.toBe(0);
  await page.context().close();
});

test('English is one click away, everywhere, and stays chosen', async () => {
  const page = await web.newPage();
  await page.goto('/');
  await page.getByText('中文').waitFor();
  await page.getByText('EN', { exact: true }).click();
  await page.getByText('Demo users (embedded defaults only)').waitFor();
  await signInAs(page, people.hrOfficer.name);
  await page.getByRole('heading', { name: 'My inbox' }).waitFor();
  await page.getByRole('menuitem', { name: 'Training plans' }).click();
  await page.getByRole('button', { name: 'New training plan' }).waitFor();
  // antd's own strings follow (the table's pager and empty states), and the choice survives a reload.
  await page.reload();
  await page.getByRole('columnheader', { name: 'Drafter' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  await page.getByText('中文').click();
  await page.getByRole('columnheader', { name: '起草人' }).waitFor();
  await page.context().close();
});

test('a manager approves from a phone: the inbox at 390 px wide', async () => {
  await submittedPlan('手机审批 UI');
  const page = await web.newPage({ width: 390, height: 844 });
  await signInAs(page, people.collectionHead.name);
  const task = page.locator('.task', { hasText: '手机审批 UI' });
  await task.waitFor();
  // Nothing wider than the screen: no sideways scrolling to reach the buttons.
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  const approve = task.getByRole('button', { name: '同意' });
  const box = (await approve.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await approve.click();
  await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await page.locator('.next-tasks').getByText(people.hrDirector.name).waitFor();
  await page.context().close();
});

test('no page has a serious or critical accessibility violation (axe-core)', async () => {
  const planId = await submittedPlan('无障碍检查 UI');
  const page = await web.newPage();
  const audit = (what: string) => accessibilityProblems(page, what);
  const found: string[] = [];
  await page.goto('/');
  await page.locator('.demo-users').getByRole('button').first().waitFor();
  found.push(...(await audit('sign-in')));
  await signInAs(page, people.collectionHead.name);
  await page.locator('.task').first().waitFor();
  found.push(...(await audit('inbox')));
  await page.goto('/plans');
  await page.getByRole('row').nth(1).waitFor();
  found.push(...(await audit('plans')));
  await page.goto(`/plans/${planId}`);
  await page.getByRole('tab', { name: /版本对比/ }).waitFor();
  found.push(...(await audit('plan')));
  await page.getByRole('tab', { name: '流程时间线' }).click();
  await page.locator('.flow-timeline').waitFor();
  found.push(...(await audit('plan timeline')));
  await page.goto(`/flows/training-plan:${planId}`);
  await page.locator('.flow-timeline').waitFor();
  found.push(...(await audit('flow')));
  await signOut(page);
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/plans/new');
  await page.locator('#title').waitFor();
  found.push(...(await audit('editor')));
  for (const [path, ready, what] of [
    ['/dashboard', '.overdue-by-department', 'dashboard'],
    ['/needs-cycles/new', '#competencies_0_key', 'needs cycle form'],
    ['/resignations', 'table', 'handovers'],
    ['/notifications', '.deliveries', 'notification deliveries'],
    ['/settings', '.preferences-form', 'notification settings'],
  ] as const) {
    await page.goto(path);
    await page.locator(ready).first().waitFor();
    found.push(...(await audit(what)));
  }
  expect(found).toEqual([]);
  await page.context().close();
});

test('a collector hands over 320 accounts on the board: bulk complete, one line reopened, bulk accept, the portfolio moves', async () => {
  const started = await startHandover(web.stack.flows);
  await acknowledge(web.stack.db, web.stack.flows, started.flowId);
  const lines = await checklistLines(web.stack.db, web.stack.flows, started.resignationId, 320);
  const successorBefore = await web.stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
  const page = await web.newPage();

  // The leaver completes every account line at once.
  await signInAs(page, people.collectorA.name);
  await page.goto(`/resignations/${started.resignationId}`);
  await page.locator('.ant-segmented-item', { hasText: '客户账户' }).click();
  await page.getByRole('button', { name: '选择全部筛选结果（320）' }).click();
  await page.getByRole('button', { name: '标记完成（320）' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '标记完成（320）' }).click();
  await page.getByText('已处理 320 项，转移账户 0 个').waitFor();
  await signOut(page);

  // The supervisor sends one line back with a reason, then accepts the rest in one go.
  await signInAs(page, people.collectionHead.name);
  await page.goto(`/resignations/${started.resignationId}`);
  const first = lines.find((l) => l.category === 'account')!;
  await page.getByRole('searchbox').fill(first.title);
  await page.getByRole('button', { name: '选择全部筛选结果（1）' }).click();
  await page.getByRole('button', { name: '退回重办（1）' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: '退回重办（1）' }).isDisabled()).resolves.toBe(true);
  await dialog.getByLabel('缺少什么（必填）').fill('缺少最近一次通话记录');
  await dialog.getByRole('button', { name: '退回重办（1）' }).click();
  await page.getByText('已处理 1 项，转移账户 0 个').waitFor();
  await page.getByRole('searchbox').fill('');
  await page.locator('.ant-segmented-item', { hasText: '客户账户' }).click();
  await page.getByRole('combobox', { name: '状态' }).click();
  await page.locator('.ant-select-item-option[title="已完成"]').click();
  await page.getByRole('button', { name: '选择全部筛选结果（319）' }).click();
  await page.getByRole('button', { name: '验收通过（319）' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '验收通过（319）' }).click();
  await page.getByText('已处理 319 项，转移账户 319 个').waitFor();
  // The counts on the board follow the portfolio: one account left with the leaver.
  await page.locator('.accounts-with-leaver').getByText('1', { exact: true }).waitFor();
  await page.locator('.accounts-with-successor').getByText(String(successorBefore + 319)).waitFor();
  await expect(accessibilityProblems(page, 'handover board')).resolves.toEqual([]);

  const reopened = await web.stack.db.handoverItem.findUniqueOrThrow({ where: { id: first.id } });
  expect([reopened.status, reopened.lastComment]).toEqual(['reopened', '缺少最近一次通话记录']);
  await expect(web.stack.db.account.count({ where: { assigneeId: people.collectorA.id } })).resolves.toBe(1);
  await page.context().close();
});

test('HR starts a needs survey; a collector answers it and their manager observes them, from the web app', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.getByRole('menuitem', { name: '培训需求' }).click();
  await page.getByRole('button', { name: '发起需求分析' }).click();
  await page.locator('#name').fill('催收部 2027 年需求 UI');
  await page.locator('#departmentId').click();
  await page.locator('.ant-select-item-option[title="收费催收部"]').click();
  for (const who of [people.collectorC, people.collectorB]) {
    await page.locator('#participantIds').fill(who.name);
    await page.locator(`.ant-select-item-option[title^="${who.name}"]`).click();
  }
  await page.locator('#participantIds').press('Escape');
  await pickDate(page, 'surveyDeadline', `${day(7)} 18:00`);
  await page.locator('#competencies_0_key').fill('negotiation');
  await page.locator('#competencies_0_name').fill('谈判');
  await page.getByRole('button', { name: '添加能力项' }).click();
  await page.locator('#competencies_1_key').fill('regulations');
  await page.locator('#competencies_1_name').fill('法规');
  await page.getByRole('main').getByRole('button', { name: '发起需求分析' }).click();
  await page.getByText('问卷中').waitFor();
  const cycleId = page.url().split('/').pop()!;
  await signOut(page);

  await signInAs(page, people.collectorC.name);
  await page.locator('.task', { hasText: '催收部 2027 年需求 UI' }).getByRole('link', { name: '查看需求分析' }).first().click();
  const survey = page.locator('.survey-form');
  await survey.getByRole('radiogroup', { name: '谈判' }).getByText('2', { exact: true }).click();
  await survey.getByRole('radiogroup', { name: '法规' }).getByText('4', { exact: true }).click();
  await survey.getByLabel('我最需要的培训').fill('如何应对情绪激动的业主');
  await survey.getByLabel('角色扮演').check();
  await survey.getByRole('button', { name: '提交问卷' }).click();
  await page.getByText('问卷已提交').waitFor();
  await signOut(page);

  await signInAs(page, people.collectionHead.name);
  await page.goto(`/needs-cycles/${cycleId}`);
  const observation = page.locator('.observation-form', { hasText: people.collectorC.name });
  await observation.getByRole('radiogroup', { name: '谈判' }).getByText('3', { exact: true }).click();
  await observation.getByRole('radiogroup', { name: '法规' }).getByText('5', { exact: true }).click();
  await observation.getByRole('button', { name: '提交观察' }).click();
  await page.getByText('观察已提交').waitFor();
  await expect(accessibilityProblems(page, 'needs cycle')).resolves.toEqual([]);

  const [response] = await web.stack.db.needsResponse.findMany({ where: { cycleId } });
  expect([response?.participantId, response?.selfRatings, response?.preferredFormats]).toEqual([people.collectorC.id, { negotiation: 2, regulations: 4 }, ['role_play']]);
  const [observed] = await web.stack.db.needsObservation.findMany({ where: { cycleId } });
  expect([observed?.participantId, observed?.observedLevels]).toEqual([people.collectorC.id, { negotiation: 3, regulations: 5 }]);
  await page.context().close();
});

test('a session in the browser: the trainer shows the code, a participant signs in through its QR link, gives feedback, and the summary appears', async () => {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const call = (who: string, method: string, path: string, body?: object) => callAs(web, who, method, path, body);
  const content = {
    ...planContent(),
    cycle: { startsOn: day(-1), endsOn: day(7) },
    sessions: [{ title: '浏览器场次', startsAt: at(25), endsAt: at(35), trainerId: people.trainer.id }],
    participantIds: [people.collectorB.id, people.collectorC.id],
  };
  const plan = await call(people.hrOfficer.id, 'POST', '/training-plans', { title: '签到演练 UI', departmentId: 'dept-collection', content });
  // Sign-in opens as soon as the session is on record and stays open until the trainer closes it,
  // and feedback until everyone gave it: no step below races a clock (preparation is left undone).
  const timing = { leadTime: 'PT20S', criticalBefore: 'PT1S', signInOpensBefore: 'PT25S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M', codeRotation: 'PT10M', feedbackPeriod: 'PT30M' };
  let next = (await call(people.hrOfficer.id, 'POST', `/training-plans/${plan.id}/submit`, { settings: { sessions: timing } })).next;
  for (const who of [people.collectionHead.id, people.hrDirector.id]) next = (await call(who, 'POST', `/tasks/${next[0].taskId}/decision`, { decision: 'approve' })).next;
  const session = await eventually(async () => (await web.stack.db.trainingSession.findFirst({ where: { planId: plan.id } })) ?? undefined, 'the session on record');
  const status = (s: string) => eventually(async () => ((await web.stack.db.trainingSession.findUnique({ where: { id: session.id } }))?.status === s ? true : undefined), `session ${s}`, 90_000);
  await status('signing_in');

  const trainer = await web.newPage();
  await signInAs(trainer, people.trainer.name);
  await trainer.goto(`/sessions/${session.id}`);
  const code = (await trainer.locator('.sign-in-code').innerText()).trim();
  expect(code).toMatch(/^\d{6}$/);
  await trainer.getByRole('img', { name: '签到二维码：扫码即可签到' }).waitFor();
  await expect(accessibilityProblems(trainer, 'session (trainer)')).resolves.toEqual([]);

  // The QR code's link, opened on the participant's phone: sign in with the demo picker, then signed in.
  const phone = await web.newPage({ width: 390, height: 844 });
  await phone.goto(`/sign-in/${session.id}?code=${code}`);
  await phone.getByRole('button', { name: `以${people.collectorB.name}身份登录` }).click();
  await phone.getByText('签到成功').waitFor();
  const row = await web.stack.db.sessionParticipant.findUniqueOrThrow({ where: { sessionId_employeeId: { sessionId: session.id, employeeId: people.collectorB.id } } });
  expect(row.attendance).toBe('present');

  // The trainer's attendance table shows it without a reload of anything but the page.
  await trainer.reload();
  await trainer.locator('.attendance').getByRole('row', { name: new RegExp(people.collectorB.name) }).getByText('出席').waitFor();

  // The class begins: the trainer closes sign-in; collectorC, who never signed in, is absent.
  await trainer.getByRole('button', { name: '结束签到' }).click();
  await trainer.getByRole('button', { name: '结束签到' }).last().click();
  await trainer.getByText('签到已结束，缺席 1 人').waitFor();
  await trainer.locator('.attendance').getByRole('row', { name: new RegExp(people.collectorC.name) }).getByText('缺席').waitFor();
  const closed = await web.stack.db.auditEvent.findFirstOrThrow({ where: { flowId: session.flowId, action: 'session.sign_in_closed' } });
  expect(closed.actorId).toBe(people.trainer.id);

  await status('feedback');
  await phone.goto(`/sessions/${session.id}`);
  const form = phone.locator('.feedback-form');
  for (const [label, n] of [['内容', '5'], ['方式', '4'], ['讲师', '5'], ['实用性', '4']] as const) await form.getByRole('radiogroup', { name: label }).getByText(n, { exact: true }).click();
  await form.getByRole('button', { name: '提交评价' }).click();
  await phone.getByText('评价已提交').waitFor();
  const feedback = await web.stack.db.sessionFeedback.findFirstOrThrow({ where: { sessionId: session.id, employeeId: people.collectorB.id } });
  expect([feedback.content, feedback.method, feedback.trainer, feedback.usefulness]).toEqual([5, 4, 5, 4]);

  // The trainer reports; with every attendee's feedback in, the session closes with its summary.
  await trainer.reload();
  await trainer.getByLabel('实际讲授内容').fill('话术与异议处理');
  await trainer.getByRole('button', { name: '提交报告' }).click();
  await trainer.getByText('报告已提交').waitFor();
  await status('completed');
  await trainer.reload();
  const summary = trainer.locator('.ant-card', { hasText: '场次小结' });
  await summary.getByText('50%').waitFor();
  // One of two attended (the other never signed in); the ratings are collectorB's, overall their mean.
  expect((await summary.innerText()).replace(/\s+/g, ' ')).toContain('综合评分 4.5');
  await phone.context().close();
  await trainer.context().close();

  // The plan's page shows the roll-up over its sessions held.
  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto(`/plans/${plan.id}`);
  const rollUp = hr.locator('.ant-card', { hasText: '各场次汇总' });
  await rollUp.getByText('50%').waitFor();
  expect((await rollUp.innerText()).replace(/\s+/g, ' ')).toContain('已结束场次 1');
  await hr.context().close();
});
