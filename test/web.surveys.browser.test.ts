/**
 * 员工调研 in a real browser (Chromium from the OS packages, Playwright), against a real API,
 * worker, Temporal (its Schedules) and PostgreSQL: HR defines a survey (a field the API refuses
 * shown on it), runs it now and pauses it; two people answer from their inbox's link, one on a
 * phone in English; once the run closes HR reads the results by department, the small groups
 * hidden, with the trend across runs, and assigns an action, whose owner's inbox leads back to the run; HR deletes the survey.
 * The tests wait for elements and rows, never for time.
 */
import { randomUUID } from 'node:crypto';
import { eventually, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, signInAs } from './support/browser';

const web = browserTestStack();

const TITLE = '季度满意度 UI';
const PAY = '对薪酬福利的满意度';
const SAY = '想说的话';

test('HR defines a survey and runs it now; people answer from their inbox (one on a phone, in English); HR reads the results by department, hidden under 5, and assigns an action', async () => {
  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  // HR's menu is long: on a laptop 员工调研 may be under its overflow.
  await hr.goto('/surveys');
  await hr.getByRole('button', { name: '新建调研' }).click();
  const form = hr.locator('.survey-form');
  await form.getByRole('button', { name: '创建调研' }).click();
  await form.locator('#title_help').getByText('请填写标题').waitFor();
  await expect(accessibilityProblems(hr, 'the survey form')).resolves.toEqual([]);
  await form.getByLabel('调研名称').fill(TITLE);
  await hr.locator('#questions_0_key').fill('pay');
  await hr.locator('#questions_0_text').fill(PAY);
  await form.getByRole('button', { name: '添加题目' }).click();
  await hr.locator('#questions_1_key').fill('say');
  await hr.locator('#questions_1_text').fill(SAY);
  await hr.locator('#questions_1_kind').click();
  await hr.locator('.ant-select-dropdown:visible .ant-select-item-option[title="文字"]').click();
  await choose(hr, 'departmentIds', '收费催收部');
  await choose(hr, 'departmentIds', '客服部');
  // A picker of several stays open for more: a click on the page's title closes it.
  await hr.getByRole('heading', { name: '新建调研' }).click();
  await hr.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  // A cron that is not five fields: the API's refusal shows on its field, nothing is kept.
  await form.getByLabel('Cron 表达式').check();
  await hr.locator('#schedule_cron').fill('every day');
  await form.getByRole('button', { name: '创建调研' }).click();
  await hr.locator('#schedule_cron_help').getByText(/five cron fields/).waitFor();
  await expect(web.stack.db.survey.count({ where: { title: TITLE } })).resolves.toBe(0);
  await form.getByLabel(/^每季度/).check();
  await hr.locator('#answerWithin').fill('PT3M');
  await form.getByRole('button', { name: '创建调研' }).click();
  await hr.getByText('已创建调研').waitFor();
  await hr.waitForURL('**/surveys');
  const survey = await web.stack.db.survey.findFirstOrThrow({ where: { title: TITLE } });
  expect(survey).toMatchObject({ departmentIds: ['dept-collection', 'dept-customer-service'], anonymous: true, schedule: { cron: '0 1 1 */3 *' }, answerWithin: 'PT3M' });
  expect(survey.questions).toEqual([
    { key: 'pay', text: PAY, kind: 'rating' },
    { key: 'say', text: SAY, kind: 'text' },
  ]);

  const row = hr.locator('.surveys tr', { hasText: TITLE });
  await row.getByText('每季度（1、4、7、10 月 1 日 09:00）').waitFor();
  await row.getByText('尚未开始').waitFor();
  await row.getByRole('button', { name: '立即发起' }).click();
  await hr.getByText('已发起一期调研').waitFor();
  const run = await eventually(async () => (await web.stack.db.surveyRun.findFirst({ where: { surveyId: survey.id } })) ?? undefined, 'the run', 60_000);
  await row.getByRole('button', { name: '暂停' }).click();
  await row.getByText('已暂停').waitFor();
  await row.getByText('第 1 期 · 答题中').waitFor();
  // One run at a time: a second is refused while the first is open, and the page says so.
  await row.getByRole('button', { name: '立即发起' }).click();
  await hr.getByText(/still open/).waitFor();

  // A collector answers from the inbox's link; an unanswered rating is stopped at its field.
  const collector = await web.newPage();
  await signInAs(collector, people.collectorA.name);
  await collector.locator('.task', { hasText: TITLE }).getByRole('button', { name: '去处理' }).click();
  await collector.waitForURL(`**/survey-runs/${run.id}`);
  const questionnaire = collector.locator('.questionnaire');
  await questionnaire.getByRole('button', { name: '提交答卷' }).click();
  await questionnaire.getByText('请打分').waitFor();
  await expect(accessibilityProblems(collector, 'the questionnaire')).resolves.toEqual([]);
  await questionnaire.locator('.ant-rate-star').nth(3).click();
  await questionnaire.getByLabel(SAY).fill('希望调整排班');
  await questionnaire.getByRole('button', { name: '提交答卷' }).click();
  await collector.locator('.survey-answered').getByText('您已提交答卷，谢谢！').waitFor();
  await collector.context().close();

  // Another on a phone, in English.
  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.collectorB.name);
  await phone.getByText('EN', { exact: true }).click();
  await phone.locator('.task', { hasText: TITLE }).getByRole('button', { name: 'Open to act' }).click();
  await phone.waitForURL(`**/survey-runs/${run.id}`);
  const onPhone = phone.locator('.questionnaire');
  await onPhone.getByText('This survey is anonymous').waitFor();
  await onPhone.locator('.ant-rate-star').nth(1).click();
  await onPhone.getByLabel(SAY).fill('More training please');
  const send = (await onPhone.getByRole('button', { name: 'Send answers' }).boundingBox())!;
  expect(send.x + send.width).toBeLessThanOrEqual(390);
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  await onPhone.getByRole('button', { name: 'Send answers' }).click();
  await phone.locator('.survey-answered').getByText('You have answered. Thank you!').waitFor();
  await phone.context().close();

  // The rest answer through the API; the run closes at its deadline.
  for (const who of [people.collectorC, people.collectionHead, people.serviceHead, people.serviceRep]) {
    await callAs(web, who.id, 'POST', `/survey-runs/${run.id}/answers`, { answers: { pay: 3, say: '一般' } });
  }
  await eventually(async () => ((await web.stack.db.surveyRun.findUniqueOrThrow({ where: { id: run.id } })).status === 'closed' ? true : undefined), 'the run closed', 300_000);
  // A later quarter's run, as its flow leaves it: the trend across runs shows both.
  const later = { invited: 6, responses: 5, overall: { responses: 5, averages: { pay: 4.2 }, texts: { say: [] } }, byDepartment: {}, trend: { pay: 1.2 } };
  await web.stack.db.surveyRun.create({
    data: { ...run, id: randomUUID(), runNo: 2, flowId: `${run.flowId}-2`, questions: survey.questions!, status: 'closed', results: later },
  });

  await hr.reload();
  await row.getByRole('link', { name: '第 1 期 · 已截止' }).click();
  await hr.waitForURL(`**/survey-runs/${run.id}`);
  const results = hr.locator('.survey-results');
  // 6 answers overall, (4 + 2 + 3 × 4) / 6; each department has fewer than 5, so neither shows.
  await results.locator('tr', { hasText: '全部' }).getByText('3.00').waitFor();
  await results.locator('tr', { hasText: '收费催收部' }).getByText('少于 5 份答卷，不予显示').waitFor();
  await results.locator('tr', { hasText: '客服部' }).getByText('少于 5 份答卷，不予显示').waitFor();
  await hr.getByText('结果（6/6 人作答）').waitFor();
  await hr.getByText('希望调整排班').waitFor();
  await hr.locator('.survey-trend').getByText('近几期各评分题的平均分').waitFor();
  expect(await hr.locator('.survey-trend rect title').allTextContents()).toEqual([`${PAY} · 第 1 期: 3`, `${PAY} · 第 2 期: 4.2`]);
  await expect(accessibilityProblems(hr, 'the results')).resolves.toEqual([]);

  const action = hr.locator('.survey-action');
  await action.getByLabel('行动内容').fill('梳理催收组排班');
  await choose(hr, 'ownerId', people.collectionHead.name);
  const due = `${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)} 18:00`;
  await hr.locator('#dueAt').click();
  await hr.locator('#dueAt').fill(due);
  await hr.locator('#dueAt').press('Enter');
  await action.getByRole('button', { name: '布置' }).click();
  await hr.getByText(`已布置给 ${people.collectionHead.name}`).waitFor();
  const actionTask = await eventually(async () => (await web.stack.db.task.findFirst({ where: { flowId: run.flowId, type: 'survey_action' } })) ?? undefined, 'the action task');
  expect(actionTask).toMatchObject({ assigneeId: people.collectionHead.id, status: 'open' });
  await hr.getByText('EN', { exact: true }).click();
  await results.locator('tr', { hasText: 'Fee Collection' }).getByText('Fewer than 5 answers — hidden').waitFor();
  await hr.getByText('Results (6 of 6 answered)').waitFor();

  // The owner's inbox leads to the run: they were asked too, and see that they answered, not the results.
  const owner = await web.newPage();
  await signInAs(owner, people.collectionHead.name);
  await owner.locator(`.task[data-task-id="${actionTask.id}"]`).getByRole('link', { name: '查看调研' }).click();
  await owner.waitForURL(`**/survey-runs/${run.id}`);
  await owner.locator('.survey-answered').waitFor();
  await expect(owner.locator('.survey-results').count()).resolves.toBe(0);
  await owner.context().close();

  // Deleted: the Schedule goes, the run and its results stay.
  await hr.goto('/surveys');
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  expect(await web.stack.db.survey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({ status: 'deleted' });
  await expect(web.stack.db.surveyRun.count({ where: { surveyId: survey.id } })).resolves.toBe(2);
  await hr.context().close();
});
