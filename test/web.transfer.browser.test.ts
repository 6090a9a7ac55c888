/**
 * 转交 in a real browser (Chromium from the OS packages, Playwright), against a real API, worker,
 * Temporal and PostgreSQL: an approver hands a task to a colleague from the inbox's "More" menu.
 * The tests wait for elements and rows, never for time.
 */
import type { Request } from 'playwright-core';
import { people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, openTaskAction, pageWidth, signInAs, signOut, submittedPlan } from './support/browser';

const web = browserTestStack();

test('a department head transfers a plan approval from the inbox: it leaves their inbox for the colleague’s, who decides it; the timeline says so', async () => {
  const { flowId, taskId } = await submittedPlan(web, '转交 UI 出差');
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  const task = page.locator('.task', { hasText: '转交 UI 出差' });
  const dialog = await openTaskAction(page, task, '转交');
  await dialog.getByLabel('原因').fill('本周出差，请林静代为审批');
  // Before the picker opens: antd leaves an opened select's listbox without a name (axe's aria-input-field-name).
  await expect(accessibilityProblems(page, 'the transfer form')).resolves.toEqual([]);
  await choose(page, 'toId', people.serviceHead.name);
  await dialog.getByRole('button', { name: '转交' }).click();
  await page.getByText(`已转交给 ${people.serviceHead.name}`).waitFor();
  await task.waitFor({ state: 'detached' });
  await page.locator('.next-tasks').getByText(people.serviceHead.name).waitFor();
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.serviceHead.id, status: 'open' });
  await signOut(page);

  await signInAs(page, people.serviceHead.name);
  const moved = page.locator(`.task[data-task-id="${taskId}"]`);
  await moved.getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await page.locator('.next-tasks').getByText(people.hrDirector.name).waitFor();
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'done', decidedById: people.serviceHead.id });

  await page.goto(`/flows/${encodeURIComponent(flowId)}`);
  await page.locator('.flow-timeline').getByText(`转交给 ${people.serviceHead.name}`).waitFor();
  await page.locator('.flow-timeline').getByText('“本周出差，请林静代为审批”').waitFor();
  await page.context().close();
});

test('a transfer without a reason is stopped at its field in the page’s language and sends nothing; a refusal shows the API’s detail', async () => {
  const { taskId } = await submittedPlan(web, '转交 UI 缺原因');
  const page = await web.newPage();
  const sent: Request[] = [];
  page.on('request', (r) => r.url().includes('/transfer') && sent.push(r));
  await signInAs(page, people.collectionHead.name);
  const task = page.locator('.task', { hasText: '转交 UI 缺原因' });

  let dialog = await openTaskAction(page, task, '转交');
  await dialog.getByRole('button', { name: '转交' }).click();
  await dialog.locator('#toId_help').getByText('请选择人员').waitFor();
  await choose(page, 'toId', people.serviceHead.name);
  await dialog.getByLabel('原因').fill('   ');
  await dialog.getByRole('button', { name: '转交' }).click();
  await dialog.locator('#reason_help').getByText('请填写转交原因').waitFor();
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByText('EN', { exact: true }).click();
  dialog = await openTaskAction(page, task, 'Transfer');
  await choose(page, 'toId', people.serviceHead.name);
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await dialog.locator('#reason_help').getByText('A reason is required').waitFor();
  expect(sent).toHaveLength(0);

  // The plan's drafter may never approve it: the API refuses, and the form says why, keeping what was typed.
  await choose(page, 'toId', people.hrOfficer.name);
  await dialog.getByLabel('Reason').fill('HR knows the plan');
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await dialog.locator('.ant-alert-error').getByText(/drafted this plan/).waitFor();
  expect(sent).toHaveLength(1);
  await expect(dialog.getByLabel('Reason').inputValue()).resolves.toBe('HR knows the plan');
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.collectionHead.id, status: 'open' });
  await expect(web.stack.db.auditEvent.count({ where: { taskId, action: 'task.transferred' } })).resolves.toBe(0);
  await page.context().close();
});

test('a task leaving the inbox while a transfer form is open on another keeps that form and what was typed in it', async () => {
  const first = await submittedPlan(web, '转交 UI 先到');
  const { taskId } = await submittedPlan(web, '转交 UI 后到');
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  const leaving = page.locator(`.task[data-task-id="${first.taskId}"]`);
  await leaving.waitFor();
  const dialog = await openTaskAction(page, page.locator(`.task[data-task-id="${taskId}"]`), '转交');
  await dialog.getByLabel('原因').fill('下周休假');
  // Decided elsewhere (another tab, the phone): the next poll drops it from the list above the open form.
  await callAs(web, people.collectionHead.id, 'POST', `/tasks/${first.taskId}/decision`, { decision: 'approve' });
  await leaving.waitFor({ state: 'detached' });
  await expect(dialog.getByLabel('原因').inputValue()).resolves.toBe('下周休假');
  await choose(page, 'toId', people.serviceHead.name);
  await dialog.getByRole('button', { name: '转交' }).click();
  await page.getByText(`已转交给 ${people.serviceHead.name}`).waitFor();
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.serviceHead.id });
  await page.context().close();
});

test('only the actions a task allows: the drafter’s revision, a form of their own, offers no "More"', async () => {
  const { taskId } = await submittedPlan(web, '转交 UI 修订');
  const changes = await callAs<{ next: { taskId: string }[] }>(web, people.collectionHead.id, 'POST', `/tasks/${taskId}/decision`, { decision: 'request_changes', comment: '请补充预算' });
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  const revision = page.locator(`.task[data-task-id="${changes.next[0]!.taskId}"]`);
  await revision.getByRole('button', { name: '去处理' }).waitFor();
  await expect(revision.getByRole('button', { name: '更多' }).count()).resolves.toBe(0);
  await page.context().close();
});

test('a head transfers from a phone: the form fits 390 px and works', async () => {
  const { taskId } = await submittedPlan(web, '转交 UI 手机');
  const page = await web.newPage({ width: 390, height: 844 });
  await signInAs(page, people.collectionHead.name);
  const task = page.locator('.task', { hasText: '转交 UI 手机' });
  await task.waitFor();
  const more = task.getByRole('button', { name: '更多' });
  const button = (await more.boundingBox())!;
  expect(button.x + button.width).toBeLessThanOrEqual(390);
  const dialog = await openTaskAction(page, task, '转交');
  // The dialog element is the form's box: all of it on the screen.
  const form = (await dialog.boundingBox())!;
  expect(form.x).toBeGreaterThanOrEqual(0);
  expect(form.x + form.width).toBeLessThanOrEqual(390);
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await choose(page, 'toId', people.engineeringHead.name);
  await dialog.getByLabel('原因').fill('休假中');
  const send = (await dialog.getByRole('button', { name: '转交' }).boundingBox())!;
  expect(send.x + send.width).toBeLessThanOrEqual(390);
  await dialog.getByRole('button', { name: '转交' }).click();
  await page.getByText(`已转交给 ${people.engineeringHead.name}`).waitFor();
  await task.waitFor({ state: 'detached' });
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.engineeringHead.id });
  await page.context().close();
});
