/**
 * Forms behave as people expect (issue 30): a field's error is in the reader's language and goes
 * as soon as the field is fixed, a half-filled draft saves, and Enter in a date field takes the
 * date without sending the whole editor. Chromium against the real stack; no waiting on time.
 */
import type { Page } from 'playwright-core';
import { people } from './support/fixtures';
import { browserTestStack, signInAs } from './support/browser';

const web = browserTestStack();

const day = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

async function newPlan(page: Page, title?: string) {
  await page.goto('/plans/new');
  if (title) await page.locator('#title').fill(title);
  await page.locator('#departmentId').click();
  await page.locator('.ant-select-item-option[title="收费催收部"]').click();
}

test('a refused field says what to do in the reader’s language, and its error goes as it is fixed', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await newPlan(page);
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('#title_help').getByText('请填写计划名称').waitFor();
  await page.getByText('请修改标出的 1 处').waitFor();
  expect(await page.locator('.plan-editor').innerText()).not.toMatch(/Invalid input|expected string|request body/);
  // Typing the title takes the error away at once, before any save.
  await page.locator('#title').fill('清除错误 UI');
  await page.locator('#title_help').waitFor({ state: 'detached' });

  // In English, English: the field's own label in the reader's words.
  await page.context().close();
  const en = await web.newPage(undefined, 'en');
  await en.goto('/');
  await en.getByText('EN', { exact: true }).click();
  await signInAs(en, people.hrOfficer.name);
  await en.goto('/plans/new');
  await en.locator('#departmentId').click();
  await en.locator('.ant-select-item-option').first().click();
  await en.getByRole('button', { name: 'Save draft' }).click();
  await en.locator('#title_help').getByText('Fill in Title').waitFor();
  await en.context().close();
});

test('a half-filled draft saves as it is; submitting it names what is missing in the editor’s words', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await newPlan(page, '半成品草稿 UI');
  await page.locator('#content_modules_0_title').fill('催收话术');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
  const plan = await web.stack.db.trainingPlan.findFirstOrThrow({ where: { title: '半成品草稿 UI' } });
  expect(plan.draft).toMatchObject({ modules: [{ title: '催收话术' }] });

  await page.getByRole('button', { name: '提交审批' }).click();
  const problems = page.locator('.submit-problems');
  await problems.getByText('请填写总体目标').waitFor();
  await problems.getByText('请填写课程模块第1行 模块内容').waitFor();
  await problems.getByText('请填写预算第1行 金额').waitFor();
  expect(await problems.innerText()).not.toMatch(/Invalid input|content\./);
  expect((await web.stack.db.trainingPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('draft');
  await page.context().close();
});

test('Enter in a date field takes the date and does not save the editor', async () => {
  const page = await web.newPage();
  const saves: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/training-plans') && saves.push(r.url()));
  await signInAs(page, people.hrOfficer.name);
  await newPlan(page, '回车日期 UI');
  const startsOn = page.locator('#content_cycle_startsOn');
  await startsOn.click();
  await startsOn.fill(day(10));
  await startsOn.press('Enter');
  // Still editing: the next field takes what is typed, and only the button saves.
  await page.locator('#content_resources_venue').fill('三楼培训室');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
  expect(saves).toHaveLength(1);
  const plan = await web.stack.db.trainingPlan.findFirstOrThrow({ where: { title: '回车日期 UI' } });
  expect(plan.draft).toMatchObject({ cycle: { startsOn: day(10) }, resources: { venue: '三楼培训室' } });
  await page.context().close();
});
