/**
 * The web app's forms in a real browser (Chromium from the OS packages, Playwright), against a real
 * API, worker, Temporal and PostgreSQL: each person opens their task from the inbox and answers it
 * on the page where it belongs. The tests wait for elements and rows, never for time.
 */
import type { Page } from 'playwright-core';
import { eventually, people, planContent } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, signInAs, signOut } from './support/browser';
import { startProgramme } from './support/followUp';
import { checklistLines, completeAll, startHandover, verifyAll } from './support/handover';

const web = browserTestStack();

/** Opens the inbox task whose title contains `title` with its "go and do it" button. */
async function openTaskForm(page: Page, title: string) {
  await page.goto('/tasks');
  await page.locator('.task', { hasText: title }).first().getByRole('button', { name: '去处理' }).click();
}

const openTask = (flowId: string, type: string, assigneeId?: string) =>
  eventually(async () => (await web.stack.db.task.findFirst({ where: { flowId, type, status: 'open', ...(assigneeId ? { assigneeId } : {}) } })) ?? undefined, `an open ${type} task`, 90_000);

test('a handover from the board: HR names the people, the leaver writes an article that is sent back and revised, the mentor logs, the supervisor assesses, the successor rates', async () => {
  const { db, flows } = web.stack;
  const accounts = await db.account.count({ where: { assigneeId: people.collectorC.id } });
  const started = await startHandover(flows, { leaver: people.collectorC.id, successor: null, supervisor: null, handover: { minMentoringSessions: 1 } });
  const { resignationId, flowId } = started;
  const page = await web.newPage();

  // The manager acknowledges from the inbox; HR's task then leads to the form on the board.
  await signInAs(page, people.collectionHead.name);
  await page.locator('.task', { hasText: '确认离职申请' }).getByRole('button', { name: '确认' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await signOut(page);
  await signInAs(page, people.hrOfficer.name);
  await openTaskForm(page, '指定接替人与交接监督人');
  await page.waitForURL(`**/resignations/${resignationId}`);
  await choose(page, 'successorId', people.collectorB.name);
  await choose(page, 'supervisorId', people.collectionHead.name);
  await choose(page, 'mentorId', people.collectionHead.name);
  await page.getByRole('button', { name: '确认指定' }).click();
  await page.getByText('已指定，交接清单随即生成').waitFor();
  await expect(db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).resolves.toMatchObject({ successorId: people.collectorB.id, supervisorId: people.collectionHead.id, mentorId: people.collectionHead.id });
  await signOut(page);

  // The leaver writes an article; the supervisor sends it back with a reason.
  await signInAs(page, people.collectorC.name);
  await openTaskForm(page, '撰写知识文章');
  const article = page.locator('.article-form');
  await article.locator('#kind').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
  await article.getByLabel('标题').fill('月底对账流程');
  await article.getByLabel('正文').fill('每月最后一个工作日与财务核对实收。');
  await article.getByRole('button', { name: '提交审核' }).click();
  await page.getByText('文档已提交审核').waitFor();
  await signOut(page);
  await signInAs(page, people.collectionHead.name);
  const review = page.locator('.task', { hasText: '月底对账流程' });
  await review.getByRole('button', { name: '退回修改' }).click();
  await page.getByRole('dialog').getByLabel('意见（必填）').fill('请写明差额怎么处理');
  await page.getByRole('dialog').getByRole('button', { name: '退回修改' }).click();
  await review.waitFor({ state: 'detached' });
  await signOut(page);

  // The leaver loads the article sent back, revises it, and the supervisor publishes it.
  await signInAs(page, people.collectorC.name);
  await page.goto(`/resignations/${resignationId}`);
  await page.locator('.article-form #articleId').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '请写明差额怎么处理' }).click();
  await expect(page.locator('.article-form').getByLabel('正文').inputValue()).resolves.toBe('每月最后一个工作日与财务核对实收。');
  await page.locator('.article-form').getByLabel('正文').fill('每月最后一个工作日与财务核对实收；差额当日报主管。');
  await page.locator('.article-form').getByRole('button', { name: '提交审核' }).click();
  await page.getByText('文档已提交审核').waitFor();
  await signOut(page);
  await signInAs(page, people.collectionHead.name);
  await page.locator('.task', { hasText: '月底对账流程' }).getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await eventually(async () => ((await db.knowledgeArticle.findFirst({ where: { resignationId, status: 'published' } })) ?? undefined), 'the article published');
  const published = await db.knowledgeArticle.findFirstOrThrow({ where: { resignationId } });
  expect([published.revision, published.body]).toEqual([2, '每月最后一个工作日与财务核对实收；差额当日报主管。']);

  // The checklist is not this test's subject: handed over through the flow, as the board test does by clicking.
  const lines = await checklistLines(db, flows, resignationId, accounts + 6);
  await completeAll(flows, lines[0]!.checklistFlowId, lines.map((l) => l.itemNo), people.collectorC.id);
  await verifyAll(flows, lines[0]!.checklistFlowId, lines.map((l) => l.itemNo), people.collectionHead.id);

  // Mentoring and the assessment, each from the board.
  await openTask(flowId, 'mentoring', people.collectionHead.id);
  await page.goto(`/resignations/${resignationId}`);
  const mentoring = page.locator('.mentoring-form');
  await mentoring.locator('#heldAt').click();
  await mentoring.locator('#heldAt').fill('2026-11-30 10:00');
  await mentoring.locator('#heldAt').press('Enter');
  await mentoring.getByLabel('时长（分钟）').fill('60');
  await mentoring.getByLabel('主题').fill('重点业主拜访');
  await mentoring.getByRole('button', { name: '保存带教记录' }).click();
  await page.getByText('带教记录已保存').waitFor();
  await openTask(flowId, 'successor_assessment', people.collectionHead.id);
  await page.reload();
  const assessment = page.locator('.assessment-form');
  await assessment.getByRole('radiogroup', { name: '结论' }).getByText('通过', { exact: true }).click();
  await assessment.getByRole('radiogroup', { name: '评分（1–5）' }).getByText('4', { exact: true }).click();
  await assessment.getByRole('button', { name: '提交考核' }).click();
  await page.getByText('考核已提交').waitFor();
  await expect(accessibilityProblems(page, 'handover board with forms')).resolves.toEqual([]);
  await openTask(flowId, 'handover_sign_off', people.collectionHead.id);
  for (const who of [people.collectionHead.id, people.hrOfficer.id]) await callAs(web, who, 'POST', `/resignations/${resignationId}/sign-off`, {});
  // HR's exit interview, asked at sign-off (its own form: test/web.exitInterview.browser.test.ts).
  await openTask(flowId, 'handover_exit_interview', people.hrOfficer.id);
  await callAs(web, people.hrOfficer.id, 'POST', `/resignations/${resignationId}/exit-interview`, { heldOn: new Date().toISOString().slice(0, 10), causes: ['career'], notes: '想转做法务', wouldReturn: true, wouldRecommend: true });
  await signOut(page);

  // The successor rates what they received.
  await openTask(flowId, 'handover_rating', people.collectorB.id);
  await signInAs(page, people.collectorB.name);
  await openTaskForm(page, '评价交接');
  const rating = page.locator('.rating-form');
  await rating.getByRole('radiogroup', { name: '评分（1–5）' }).getByText('5', { exact: true }).click();
  await rating.getByLabel('意见（选填）').fill('资料齐全');
  await rating.getByRole('button', { name: '提交评价' }).click();
  await page.getByText('评价已提交').waitFor();
  await eventually(async () => ((await db.resignation.findUnique({ where: { id: resignationId } }))?.status === 'completed' ? true : undefined), 'the handover completed');
  const mentored = await db.mentoringSession.findFirstOrThrow({ where: { resignationId } });
  expect([mentored.topic, mentored.durationMinutes, mentored.mentorId]).toEqual(['重点业主拜访', 60, people.collectionHead.id]);
  await expect(db.successorAssessment.findFirstOrThrow({ where: { resignationId } })).resolves.toMatchObject({ passed: true, score: 4 });
  await expect(db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).resolves.toMatchObject({ ratingScore: 5 });
  await page.context().close();
});

test('a programme followed up in the browser: baselines, a score table and a retest by CSV, checkpoint answers, results, and the evaluation with its charts', async () => {
  const { db } = web.stack;
  const { planId, flowId, join } = await startProgramme(web.stack, { checkpoints: ['PT3S'], answerWithin: 'PT10M', retestWithin: 'PT10M', coachingWithin: 'PT10M' }, { competencies: ['谈判', '法规'] });
  // collectorC has left by now: the handover above ended with their departure.
  const attendees = [people.collectorA, people.collectorB];
  await join(attendees.map((p) => p.id));
  const participantFlow = (id: string) => `${flowId}:${id}`;
  const page = await web.newPage();

  // The manager gives each attendee's baseline, from the task to the follow-up page.
  for (const p of attendees) await openTask(participantFlow(p.id), 'followup_baseline', people.collectionHead.id);
  await signInAs(page, people.collectionHead.name);
  await openTaskForm(page, '基线评估');
  await page.waitForURL(`**/plans/${planId}/follow-up`);
  for (const p of attendees) {
    const form = page.locator('.baseline-form', { hasText: p.name });
    await form.getByRole('radiogroup', { name: '谈判' }).getByText('2', { exact: true }).click();
    await form.getByRole('radiogroup', { name: '法规' }).getByText('3', { exact: true }).click();
    await form.getByRole('button', { name: '提交' }).click();
    await form.waitFor({ state: 'detached' });
  }
  await signOut(page);

  // The trainer fills the score table; collectorC fails, and their retest comes as a CSV. A CSV
  // naming someone who already passed is refused whole, and the page says which row.
  await openTask(flowId, 'followup_scores', people.trainer.id);
  await signInAs(page, people.trainer.name);
  await openTaskForm(page, '录入成绩');
  const scores = page.locator('.scores-form');
  await scores.getByLabel(people.collectorB.name).fill('88');
  await scores.getByLabel(people.collectorA.name).fill('45');
  await scores.getByRole('button', { name: '保存成绩' }).click();
  await page.getByText('成绩已记录').waitFor();
  await openTask(participantFlow(people.collectorA.id), 'followup_retest', people.collectorA.id);
  await page.reload();
  await scores.getByLabel(`${people.collectorA.name} · 补考`).waitFor();
  const upload = (csv: string) => scores.locator('input[type=file]').setInputFiles({ name: 'scores.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await upload(`employeeId,score\n${people.collectorB.id},95\n`);
  await scores.getByText(/already passed/).waitFor();
  await upload(`employeeId,score\n${people.collectorA.id},75\n`);
  await page.getByText('成绩已记录').waitFor();
  expect((await db.knowledgeScore.findMany({ where: { followUpId: planId }, orderBy: [{ employeeId: 'asc' }, { attempt: 'asc' }] })).map((s) => [s.employeeId, s.attempt, s.score, s.passed])).toEqual(
    [[people.collectorB.id, 1, 88, true], [people.collectorA.id, 1, 45, false], [people.collectorA.id, 2, 75, true]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  await signOut(page);

  // At the checkpoint each attendee says how they apply it, and their manager rates what they see.
  for (const p of attendees) {
    await openTask(participantFlow(p.id), 'followup_application', p.id);
    await signInAs(page, p.name);
    await openTaskForm(page, '培训应用');
    const form = page.locator('.application-form');
    await form.getByRole('radiogroup', { name: '应用程度（1 从未应用 – 5 每天应用）' }).getByText('4', { exact: true }).click();
    await form.getByLabel('应用实例').fill('每天用新话术');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByText('已提交', { exact: true }).waitFor();
    await signOut(page);
  }
  for (const p of attendees) await openTask(participantFlow(p.id), 'followup_behaviour', people.collectionHead.id);
  await signInAs(page, people.collectionHead.name);
  await page.goto(`/plans/${planId}/follow-up`);
  for (const p of attendees) {
    const form = page.locator('.behaviour-form', { hasText: p.name });
    await form.getByRole('radiogroup', { name: '谈判' }).getByText('4', { exact: true }).click();
    await form.getByRole('radiogroup', { name: '法规' }).getByText('4', { exact: true }).click();
    await form.getByRole('button', { name: '提交' }).click();
    await form.waitFor({ state: 'detached' });
  }

  // The department head records the results against the plan's target.
  await openTask(flowId, 'followup_results', people.collectionHead.id);
  await page.reload();
  await page.locator('.results-form').getByLabel('collection_rate_90d 实际值（目标 65）').fill('70');
  await page.locator('.results-form').getByRole('button', { name: '提交' }).click();
  await page.getByText('已提交', { exact: true }).waitFor();
  await signOut(page);

  // HR reads the evaluation: the charts, the table, the CSV.
  await eventually(async () => ((await db.followUp.findUnique({ where: { planId } }))?.reportedAt ? true : undefined), 'the report stored', 90_000);
  await signInAs(page, people.hrOfficer.name);
  await page.goto(`/plans/${planId}/follow-up`);
  await page.getByRole('tab', { name: '评估报告' }).click();
  const report = page.locator('.follow-up-report');
  await report.getByRole('img', { name: '学员综合得分' }).waitFor();
  for (const p of attendees) await report.getByRole('row', { name: new RegExp(p.name) }).waitFor();
  const stored = (await db.followUp.findUniqueOrThrow({ where: { planId } })).report as { people: { name: string; overall: number }[] };
  const b = stored.people.find((p) => p.name === people.collectorB.name)!;
  await report.getByRole('row', { name: new RegExp(people.collectorB.name) }).getByRole('cell', { name: String(b.overall), exact: true }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: '下载 CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(`follow-up-${planId}.csv`);
  const csv = await new Promise<string>((resolve, reject) => {
    void download.createReadStream().then((stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    }, reject);
  });
  expect(csv).toContain(people.collectorA.name);
  await expect(accessibilityProblems(page, 'follow-up report')).resolves.toEqual([]);
  await page.context().close();
});

test('a collector sets how they are notified: an address the API refuses is named on its field, and nothing is stored until it is right', async () => {
  const page = await web.newPage();
  await signInAs(page, people.collectorB.name);
  await page.locator('.app-header').getByRole('link', { name: people.collectorB.name }).click();
  const form = page.locator('.preferences-form');
  await form.getByRole('switch', { name: '提醒合并为每日一条' }).click();
  await form.getByLabel('手机号（企业微信、钉钉 @提醒）').fill('12345');
  await form.getByRole('button', { name: '保存' }).click();
  await form.locator('.ant-form-item', { hasText: '手机号' }).getByText('手机号的格式不对').waitFor();
  await expect(web.stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorB.id } })).resolves.toMatchObject({ reminderDigest: false, mobile: null });

  await form.getByLabel('手机号（企业微信、钉钉 @提醒）').fill('13800138000');
  await form.getByRole('button', { name: '保存' }).click();
  await page.getByText('通知设置已保存').waitFor();
  await expect(web.stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorB.id } })).resolves.toMatchObject({ reminderDigest: true, mobile: '13800138000' });
  // What the page shows after saving is what is stored.
  await page.reload();
  await expect(form.getByLabel('手机号（企业微信、钉钉 @提醒）').inputValue()).resolves.toBe('13800138000');
  await expect(form.getByRole('switch', { name: '提醒合并为每日一条' }).isChecked()).resolves.toBe(true);
  await expect(accessibilityProblems(page, 'notification settings')).resolves.toEqual([]);
  await page.context().close();
});

test('two HR officers move one session at once: the second sees the move the first made, refused, and moves it again knowingly', async () => {
  const { db } = web.stack;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const content = { ...planContent(), cycle: { startsOn: day(1), endsOn: day(60) }, sessions: [{ title: '改期演练', startsAt: `${day(30)}T09:00:00+08:00`, endsAt: `${day(30)}T17:00:00+08:00` }], participantIds: [people.collectorB.id] };
  const plan = await callAs<{ id: string }>(web, people.hrOfficer.id, 'POST', '/training-plans', { title: '改期演练 UI', departmentId: 'dept-collection', content });
  let next = (await callAs(web, people.hrOfficer.id, 'POST', `/training-plans/${plan.id}/submit`, {})).next;
  for (const who of [people.collectionHead.id, people.hrDirector.id]) next = (await callAs(web, who, 'POST', `/tasks/${next[0].taskId}/decision`, { decision: 'approve' })).next;
  const session = await eventually(async () => (await db.trainingSession.findFirst({ where: { planId: plan.id } })) ?? undefined, 'the session on record');

  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto(`/sessions/${session.id}`);
  await page.getByRole('button', { name: '改期' }).click();
  const form = page.locator('.reschedule-form');
  await form.getByLabel('改期原因').fill('讲师出差');
  // Meanwhile the other officer moves it a day later.
  await callAs(web, people.hrAssistant.id, 'POST', `/training-sessions/${session.id}/reschedule`, { startsAt: `${day(31)}T09:00:00+08:00`, endsAt: `${day(31)}T17:00:00+08:00`, reason: '会议室冲突', version: 1 });
  await form.getByRole('button', { name: '确认改期' }).click();
  await form.getByText(/moved meanwhile/).waitFor();
  await expect(form.getByLabel('改期原因').inputValue()).resolves.toBe('讲师出差');
  expect((await db.trainingSession.findUniqueOrThrow({ where: { id: session.id } })).scheduleVersion).toBe(2);

  // Looking again shows the other move; moving from there is accepted.
  await page.reload();
  await page.getByRole('button', { name: '改期' }).click();
  await form.getByLabel('改期原因').fill('讲师出差');
  await form.getByRole('button', { name: '确认改期' }).click();
  await page.getByText('已改期，已通知所有人').waitFor();
  const moved = await db.trainingSession.findUniqueOrThrow({ where: { id: session.id } });
  expect([moved.scheduleVersion, moved.startsAt.toISOString()]).toEqual([3, new Date(`${day(31)}T09:00:00+08:00`).toISOString()]);
  await expect(accessibilityProblems(page, 'session management')).resolves.toEqual([]);
  await page.context().close();
});
