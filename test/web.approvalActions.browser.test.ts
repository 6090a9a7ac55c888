/**
 * 加签, 退回 and 抄送 in a real browser (Chromium from the OS packages, Playwright), against a real
 * API, worker, Temporal and PostgreSQL, as the API's contract for them says: a task lists its
 * `actions`, the `earlierLevels` a send-back may go to, the signer it waits for (`waitingForId`) and
 * who added it (`addedById`); `POST /tasks/:id/signers`, `POST /tasks/:id/decision` with
 * `send_back`, `POST /tasks/:id/cc`. 转交 is in web.transfer.browser.test.ts.
 */
import { eventually, people } from './support/fixtures';
import { browserTestStack, callAs, choose, openTaskAction, signInAs, signOut, submittedPlan } from './support/browser';

const web = browserTestStack();

const LABELS = { transfer: '转交', add_signer: '加签', send_back: '退回', cc: '抄送' } as const;

/** The open task of the flow in someone's inbox, once it is there. */
const openTaskOf = (flowId: string, assigneeId: string) =>
  eventually(async () => (await web.stack.db.task.findFirst({ where: { flowId, assigneeId, status: 'open' } })) ?? undefined, `an open task of ${assigneeId}`, 90_000);

describe('approval actions: 加签, 退回, 抄送', () => {
  test('加签 before me: the head adds a colleague who decides first; the head’s task waits, undecidable, until the colleague approves', async () => {
    const { flowId, taskId } = await submittedPlan(web, '加签 UI 之前');
    const page = await web.newPage();
    await signInAs(page, people.collectionHead.name);
    const row = page.locator(`.task[data-task-id="${taskId}"]`);

    // The menu offers what the task lists, nothing else.
    const { actions } = await callAs<{ actions: (keyof typeof LABELS)[] }>(web, people.collectionHead.id, 'GET', `/tasks/${taskId}`);
    expect(actions).toContain('add_signer');
    await row.getByRole('button', { name: '更多' }).click();
    const items = page.locator('.ant-dropdown:visible [role="menuitem"]');
    await items.first().waitFor();
    expect(await items.allInnerTexts()).toEqual(actions.map((a) => LABELS[a]));
    await page.keyboard.press('Escape');
    await page.locator('.ant-dropdown:visible').waitFor({ state: 'hidden' });

    const dialog = await openTaskAction(page, row, '加签');
    await dialog.getByRole('button', { name: '加签' }).click();
    await dialog.locator('#signerId_help').getByText('请选择人员').waitFor();
    await dialog.locator('#reason_help').getByText('请填写加签原因').waitFor();
    await choose(page, 'signerId', people.serviceHead.name);
    await dialog.getByLabel('在我之前审批（我等待其意见）').check();
    await dialog.getByLabel('原因').fill('涉及客服部，请林静先把关');
    const added = page.waitForResponse((r) => r.url().endsWith(`/tasks/${taskId}/signers`));
    await dialog.getByRole('button', { name: '加签' }).click();
    const { signerTaskId } = (await (await added).json()) as { signerTaskId: string };
    await page.getByText(`已加签 ${people.serviceHead.name}，请等待其先审批`).waitFor();
    await row.getByText(`等待 ${people.serviceHead.name} 审批`).waitFor();
    await expect(row.getByRole('button', { name: '同意' }).isDisabled()).resolves.toBe(true);
    await expect(row.getByRole('checkbox').count()).resolves.toBe(0);
    await signOut(page);

    await signInAs(page, people.serviceHead.name);
    const signerRow = page.locator(`.task[data-task-id="${signerTaskId}"]`);
    await signerRow.getByText(`由 ${people.collectionHead.name} 加签`).waitFor();
    await signerRow.getByRole('button', { name: '同意' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
    await signerRow.waitFor({ state: 'detached' });
    await signOut(page);

    await signInAs(page, people.collectionHead.name);
    await row.getByRole('button', { name: '同意' }).click();
    await expect(row.getByText(/^等待 /).count()).resolves.toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
    await page.locator('.next-tasks').getByText(people.hrDirector.name).waitFor();
    await expect(openTaskOf(flowId, people.hrDirector.id)).resolves.toMatchObject({ type: 'plan_approval' });
    await page.context().close();
  });

  test('加签 after me: once the head approves, the added colleague decides, then the flow goes on', async () => {
    const { flowId, taskId } = await submittedPlan(web, '加签 UI 之后');
    const page = await web.newPage();
    await signInAs(page, people.collectionHead.name);
    const row = page.locator(`.task[data-task-id="${taskId}"]`);
    const dialog = await openTaskAction(page, row, '加签');
    await choose(page, 'signerId', people.serviceHead.name);
    await dialog.getByLabel('在我之后审批（我同意后由其审批）').check();
    await dialog.getByLabel('原因').fill('客服部也需确认');
    await dialog.getByRole('button', { name: '加签' }).click();
    await page.getByText(`已加签 ${people.serviceHead.name}，您同意后由其审批`).waitFor();
    // Not waiting: the head decides first.
    await expect(row.getByRole('button', { name: '同意' }).isEnabled()).resolves.toBe(true);
    await row.getByRole('button', { name: '同意' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
    await page.locator('.next-tasks').getByText(people.serviceHead.name).waitFor();
    await signOut(page);

    const signerTask = await openTaskOf(flowId, people.serviceHead.id);
    await signInAs(page, people.serviceHead.name);
    const signerRow = page.locator(`.task[data-task-id="${signerTask.id}"]`);
    await signerRow.getByText(`由 ${people.collectionHead.name} 加签`).waitFor();
    await signerRow.getByRole('button', { name: '同意' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
    await page.locator('.next-tasks').getByText(people.hrDirector.name).waitFor();
    await page.context().close();
  });

  test('退回, in English: the HR director sends a plan back to the department head, a comment required first', async () => {
    const { flowId, taskId } = await submittedPlan(web, '退回 UI');
    const approved = await callAs<{ next: { taskId: string }[] }>(web, people.collectionHead.id, 'POST', `/tasks/${taskId}/decision`, { decision: 'approve' });
    const directorTaskId = approved.next[0]!.taskId;
    const page = await web.newPage();
    let sent = 0;
    page.on('request', (r) => r.url().endsWith(`/tasks/${directorTaskId}/decision`) && sent++);
    await page.goto('/');
    await page.getByText('EN', { exact: true }).click();
    await signInAs(page, people.hrDirector.name);
    const row = page.locator(`.task[data-task-id="${directorTaskId}"]`);
    const dialog = await openTaskAction(page, row, 'Send back');
    await dialog.locator('#backTo').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="Department head"]').click();
    await dialog.getByRole('button', { name: 'Send back' }).click();
    await dialog.locator('#comment_help').getByText('A comment is required to send back').waitFor();
    expect(sent).toBe(0);
    await dialog.getByLabel('Comment').fill('The budget lines need the head’s review again');
    await dialog.getByRole('button', { name: 'Send back' }).click();
    await page.getByText('Sent back to Department head').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.locator('.next-tasks').getByText(people.collectionHead.name).waitFor();
    expect(sent).toBe(1);
    await expect(openTaskOf(flowId, people.collectionHead.id)).resolves.toMatchObject({ type: 'plan_approval' });
    await page.context().close();
  });

  test('抄送: the head copies a collector in, keeps the task, and the collector reads the flow without deciding anything', async () => {
    const { flowId, taskId } = await submittedPlan(web, '抄送 UI');
    const page = await web.newPage();
    await signInAs(page, people.collectionHead.name);
    const row = page.locator(`.task[data-task-id="${taskId}"]`);
    const dialog = await openTaskAction(page, row, '抄送');
    await dialog.getByRole('button', { name: '抄送' }).click();
    await dialog.locator('#ids_help').getByText('请选择至少一人').waitFor();
    await choose(page, 'ids', people.collectorA.name);
    // A picker of several stays open for more: a click on the dialog's title closes it.
    await dialog.locator('.ant-modal-title').click();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.getByLabel('附言（选填）').fill('供参考');
    await dialog.getByRole('button', { name: '抄送' }).click();
    await page.getByText(`已抄送 ${people.collectorA.name}`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: '同意' }).waitFor();
    await signOut(page);

    await signInAs(page, people.collectorA.name);
    await page.goto(`/flows/${encodeURIComponent(flowId)}`);
    await page.locator('.flow-timeline').getByText('提交审批').first().waitFor();
    await expect(page.locator('.ant-alert-warning').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^(同意|驳回|更多)$/ }).count()).resolves.toBe(0);
    await expect(web.stack.db.task.count({ where: { flowId, assigneeId: people.collectorA.id } })).resolves.toBe(0);
    await page.context().close();
  });

  test('an approval sent while no worker answers is sent again after the API\'s Retry-After: it lands once and the page says where the flow went', async () => {
    const { taskId } = await submittedPlan(web, '重发 UI');
    const page = await web.newPage();
    await signInAs(page, people.collectionHead.name);
    const row = page.locator(`.task[data-task-id="${taskId}"]`);
    await row.getByRole('button', { name: '同意' }).click();
    const isDecision = (r: { url(): string }) => r.url().endsWith(`/tasks/${taskId}/decision`);
    const landed = page.waitForResponse((r) => isDecision(r) && r.status() === 200);
    await web.stack.restartWorker(async () => {
      const busy = page.waitForResponse((r) => isDecision(r) && r.status() === 503, { timeout: 60_000 });
      await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
      await busy;
    });
    await landed;
    await page.locator('.next-tasks').getByText(people.hrDirector.name).waitFor();
    await expect(page.locator('.ant-alert-error').count()).resolves.toBe(0);
    await expect(web.stack.db.auditEvent.count({ where: { taskId, action: 'task.decided' } })).resolves.toBe(1);
    await page.context().close();
  });
});
