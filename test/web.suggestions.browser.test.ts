/**
 * 意见反馈 in a real browser (Chromium from the OS packages, Playwright), against a real API, worker,
 * Temporal and PostgreSQL: a collector submits anonymously, the department head answers from the
 * suggestion's page without seeing who sent it, the collector reads the answer; on a phone too.
 * The tests wait for elements and rows, never for time.
 */
import { people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, signInAs, signOut } from './support/browser';

const web = browserTestStack();

test('a collector suggests anonymously; the head answers without learning who; the collector reads the answer, in both languages', async () => {
  const page = await web.newPage();
  await signInAs(page, people.collectorA.name);
  await page.getByRole('menuitem', { name: '意见反馈' }).click();
  await page.getByLabel('标题').fill('浏览器：周末值班太多');
  await page.getByLabel('内容').fill('建议周末轮值，每人每月不超过两次。');
  await page.getByRole('switch', { name: '匿名提交' }).click();
  // Before the pickers open: antd leaves an opened select's listbox without a name (axe's aria-input-field-name).
  await expect(accessibilityProblems(page, 'the suggestion form')).resolves.toEqual([]);
  await choose(page, 'departmentId', '收费催收部');
  await choose(page, 'category', '工作环境');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.getByText('已提交，相关部门负责人将在规定时间内回复。').waitFor();
  const row = page.locator('.ant-table-row', { hasText: '浏览器：周末值班太多' });
  await row.getByText('待回复').waitFor();
  const stored = await web.stack.db.suggestion.findFirstOrThrow({ where: { title: '浏览器：周末值班太多' } });
  expect(stored).toMatchObject({ anonymous: true, submitterId: null });
  await signOut(page);

  // The head finds it in the inbox, opens it: sent by "匿名", and answers.
  await signInAs(page, people.collectionHead.name);
  await page.locator('.task', { hasText: '浏览器：周末值班太多' }).getByRole('link', { name: '查看意见' }).click();
  await page.getByText('匿名', { exact: true }).waitFor();
  await expect(page.getByText(people.collectorA.name).count()).resolves.toBe(0);
  await page.getByLabel('回复', { exact: true }).fill('同意，下月起轮值。');
  await page.locator('.ant-radio-button-wrapper', { hasText: /^采纳$/ }).click();
  await page.getByLabel('改进措施').fill('排班表月底公布');
  await page.getByRole('button', { name: '发送回复' }).click();
  await page.locator('.ant-tag', { hasText: '已回复' }).waitFor();
  await signOut(page);

  // The sender reads the answer among their own, then in English.
  await signInAs(page, people.collectorA.name);
  await page.goto('/suggestions');
  const mine = page.locator('.ant-table-row', { hasText: '浏览器：周末值班太多' });
  await mine.getByText('已回复').waitFor();
  await mine.getByRole('button', { name: /展开|Expand/ }).click();
  await page.getByText('同意，下月起轮值。').waitFor();
  await page.getByText('EN', { exact: true }).click();
  await mine.getByText('Answered').waitFor();
  await page.getByText('Action planned').waitFor();
  await expect(web.stack.db.notification.count({ where: { recipientId: people.collectorA.id, template: 'suggestion_answered' } })).resolves.toBe(1);
  await page.context().close();
});

test('on a phone (390 px) the page fits and a suggestion goes in; HR reads the response times', async () => {
  await callAs(web, people.serviceRep.id, 'POST', '/suggestions', { title: '手机前已有的意见', body: '客服排班', departmentId: 'dept-customer-service', category: 'process' });
  const page = await web.newPage({ width: 390, height: 844 });
  await signInAs(page, people.collectorC.name);
  await page.goto('/suggestions');
  await page.getByLabel('标题').fill('手机：打印机坏了');
  await page.getByLabel('内容').fill('三楼打印机需要维修');
  await choose(page, 'departmentId', '工程部');
  await choose(page, 'category', '工作环境');
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.locator('.ant-table-row', { hasText: '手机：打印机坏了' }).waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await signOut(page);

  await signInAs(page, people.hrOfficer.name);
  await page.goto('/suggestions');
  await page.getByRole('tab', { name: '回复时效' }).click();
  const overall = page.locator('.ant-table-row', { hasText: /^全部/ });
  await overall.waitFor();
  await expect(overall.locator('td').nth(1).innerText()).resolves.toBe(String(await web.stack.db.suggestion.count()));
  await page.context().close();
});
