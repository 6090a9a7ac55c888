/**
 * The web app in a real browser (Chromium from the OS packages, Playwright), against a real API,
 * worker, Temporal and PostgreSQL: people click through their flows as they would.
 */
import type { Page } from 'playwright-core';
import { people, planContent } from './support/fixtures';
import { signInAs, signOut, startBrowserStack, type BrowserStack } from './support/browser';

let web: BrowserStack;
beforeAll(async () => {
  web = await startBrowserStack();
}, 240_000);
afterAll(async () => {
  await web?.stop();
});

const day = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

/** What the HR officer's API token would do: a complete plan, submitted (for tests that start later). */
async function submittedPlan(title: string): Promise<string> {
  const hr = await web.stack.token(people.hrOfficer.id);
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${web.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  const plan = await call('/training-plans', { title, departmentId: 'dept-collection', content: planContent() });
  await call(`/training-plans/${plan.id}/submit`, {});
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
    else await page.getByText('流程已流转到下一步').or(page.getByText('已处理，此流程没有新的待办')).waitFor();
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

void submittedPlan;
