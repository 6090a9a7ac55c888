/**
 * The web app speaks its reader's language everywhere (issue 30): a plan asked to change, revised
 * and approved, the director approving on a 390 px phone, then the drafter reading what happened in
 * Chinese and in English. Chromium against the real stack; the tests wait for elements, never time.
 */
import { eventually, people, planContent } from './support/fixtures';
import { browserTestStack, callAs, inEnglish, motionDone, signInAs, signOut, submittedPlan } from './support/browser';

const web = browserTestStack();

const openTaskOf = (flowId: string, assigneeId: string) =>
  eventually(async () => (await web.stack.db.task.findFirst({ where: { flowId, assigneeId, status: 'open' } })) ?? undefined, 'an open task', 90_000);

test('asked to change, revised and approved on a phone: the approval says what it set going, and the plan’s story reads in both languages', async () => {
  const { planId, flowId, taskId } = await submittedPlan(web, '语言全程 UI');
  await callAs(web, people.collectionHead.id, 'POST', `/tasks/${taskId}/decision`, { decision: 'request_changes', comment: '预算请压缩' });
  await openTaskOf(flowId, people.hrOfficer.id);
  await callAs(web, people.hrOfficer.id, 'PUT', `/training-plans/${planId}`, { content: planContent(1_000_000) });
  const again = await callAs<{ next: { taskId: string }[] }>(web, people.hrOfficer.id, 'POST', `/training-plans/${planId}/submit`, {});
  await callAs(web, people.collectionHead.id, 'POST', `/tasks/${again.next[0]!.taskId}/decision`, { decision: 'approve' });
  await openTaskOf(flowId, people.hrDirector.id);

  // The HR director on a phone: one <main>, the task's text the width of the screen, and the toast
  // below the navigation bar; after the last approval the page says what it set going.
  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.hrDirector.name);
  const task = phone.locator('.task', { hasText: '语言全程 UI' });
  await task.waitFor();
  await expect(phone.locator('main main').count()).resolves.toBe(0);
  await expect(phone.locator('main').count()).resolves.toBe(1);
  expect((await task.locator('.ant-list-item-meta-content').boundingBox())!.width).toBeGreaterThan(300);
  await task.getByRole('button', { name: '同意' }).click();
  await phone.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await phone.getByText('计划已批准，已安排 1 个场次').waitFor();
  const toast = phone.locator('.ant-message-notice', { hasText: '已处理 1 项任务' });
  await toast.waitFor();
  await motionDone(toast);
  const header = (await phone.locator('.app-header').boundingBox())!;
  expect((await toast.boundingBox())!.y).toBeGreaterThanOrEqual(header.y + header.height);
  await phone.context().close();

  // The drafter reads the versions: money in yuan, fields by the editor's labels.
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto(`/plans/${planId}`);
  await page.getByRole('tab', { name: /版本对比/ }).click();
  const amount = page.locator('.version-diff tr', { hasText: '预算第1行 金额' });
  await amount.waitFor();
  expect((await amount.innerText()).split('\t').map((c) => c.trim())).toEqual(['预算第1行 金额', '¥7,200.00', '¥6,000.00']);
  expect(await page.locator('.version-diff').innerText()).not.toMatch(/amountFen|budget\.lines|\[0\]/);

  // The timeline says what each person answered and whose task each one was, in words.
  await page.getByRole('tab', { name: '流程时间线' }).click();
  const timeline = page.locator('.flow-timeline');
  await timeline.getByText('计划已批准').waitFor();
  const story = await timeline.innerText();
  expect(story).toContain('退回修改');
  expect(story).toContain('同意');
  expect(story).toContain(`交给${people.collectionHead.name}`);
  expect(story).toContain(`交给${people.hrDirector.name}`);
  expect(story).not.toMatch(/\b(plan|task|flow)\.[a-z_]+/);

  await inEnglish(page);
  await timeline.getByText('Plan approved').waitFor();
  const english = await timeline.innerText();
  expect(english).toContain('Changes requested');
  expect(english).toContain('Approve');
  expect(english).toContain(`for ${people.hrDirector.name}`);
  expect(english).not.toMatch(/\b(plan|task|flow)\.[a-z_]+/);
  await page.getByRole('tab', { name: /Versions/ }).click();
  await page.locator('.version-diff tr', { hasText: 'Budget 1: Amount' }).waitFor();
  await page.context().close();
});

test('task titles in the reader’s language, with moments in their locale and time zone', async () => {
  const { planId, flowId, taskId } = await submittedPlan(web, '标题语言 UI');
  const { db } = web.stack;
  await callAs(web, people.collectionHead.id, 'POST', `/tasks/${taskId}/decision`, { decision: 'approve' });
  const director = await openTaskOf(flowId, people.hrDirector.id);
  await callAs(web, people.hrDirector.id, 'POST', `/tasks/${director.id}/decision`, { decision: 'approve' });
  // The approved plan's session asks HR to confirm its schedule; its title carries the start.
  const schedule = await eventually(
    async () => {
      const session = await db.trainingSession.findFirst({ where: { planId } });
      return (session && (await db.task.findFirst({ where: { flowId: session.flowId, type: 'session_schedule', status: 'open' } }))) ?? undefined;
    },
    'the session’s schedule task',
    90_000,
  );
  expect(schedule.title).toMatch(/\d{4}-\d{2}-\d{2}T/);
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  const title = page.locator(`.task[data-task-id="${schedule.id}"] .task-title`);
  await title.waitFor();
  const zh = await title.innerText();
  expect(zh).toMatch(/^确认培训安排：/);
  expect(zh).not.toMatch(/Confirm|\d{4}-\d{2}-\d{2}T/);
  // The session starts 2027-03-10 09:00 in Shanghai, as the reader's clock says it.
  expect(zh).toContain('09:00');
  await inEnglish(page);
  await page.locator(`.task[data-task-id="${schedule.id}"] .task-title`, { hasText: 'Confirm the schedule' }).waitFor();
  const en = await title.innerText();
  expect(en).not.toMatch(/确认|\d{4}-\d{2}-\d{2}T/);
  expect(en).toContain('9:00');
  await page.context().close();
});

test('an open inbox shows a new task within seconds, without a reload; an unchanged inbox answers 304', async () => {
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  const loads: string[] = [];
  page.on('framenavigated', (f) => f === page.mainFrame() && loads.push(f.url()));
  await submittedPlan(web, '自动刷新 UI');
  await page.locator('.task', { hasText: '自动刷新 UI' }).waitFor();
  expect(loads).toEqual([]);
  await signOut(page);
  await page.context().close();

  const token = await web.stack.token(people.collectionHead.id);
  const first = await fetch(`${web.url}/api/v1/tasks?status=open`, { headers: { authorization: `Bearer ${token}` } });
  const etag = first.headers.get('etag');
  expect(etag).toBeTruthy();
  expect(first.headers.get('cache-control')).toBe('private, no-cache');
  // As the browser revalidates its cached copy (fetch would add `Cache-Control: no-cache`, which asks
  // for a full answer, to a request carrying If-None-Match).
  const second = await fetch(`${web.url}/api/v1/tasks?status=open`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
  expect(second.status).toBe(304);
});
