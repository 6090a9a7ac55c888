/**
 * 外出代理 and 抄送我的 in a real browser (Chromium from the OS packages, Playwright), against a real
 * API, worker, Temporal and PostgreSQL: a head away names a delegate on the Away page, the
 * delegate's inbox tags the head's approval as acting for them, the timeline names whom the
 * decision was for, and the head ends the period; HR sets one for someone else in English, and the
 * API's refusal shows in the form; the page at 390 px; a person copied in finds the flow in the inbox.
 * The tests wait for elements and rows, never for time.
 */
import { eventually, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, pickMoment, signInAs, signOut, submittedPlan } from './support/browser';

const web = browserTestStack();

/** A day `days` from now at 18:00, as the date pickers take it typed. */
const inDays = (days: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)} 18:00`;

const delegationOf = (ownerId: string) => eventually(async () => (await web.stack.db.delegation.findFirst({ where: { ownerId }, orderBy: { createdAt: 'desc' } })) ?? undefined, `a delegation of ${ownerId}`);

test('away for a week: the head names a delegate, whose inbox tags the head’s approval as acting for them; the timeline says for whom; the head ends it early', async () => {
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  await page.locator('.app-header').getByText('外出代理').click();
  const form = page.locator('.delegation-form');
  await form.getByRole('button', { name: '设置代理' }).click();
  await form.locator('#delegateId_help').getByText('请选择人员').waitFor();
  await form.locator('#endsAt_help').getByText('请选择结束时间').waitFor();
  await form.locator('#reason_help').getByText('请填写原因').waitFor();
  await expect(accessibilityProblems(page, 'the Away page')).resolves.toEqual([]);
  await choose(page, 'delegateId', people.serviceHead.name);
  await pickMoment(page, 'endsAt', inDays(7));
  await form.getByLabel('原因').fill('年假');
  await form.getByRole('button', { name: '设置代理' }).click();
  await page.getByText(`已设置：${people.serviceHead.name} 代${people.collectionHead.name}处理`).waitFor();
  const mine = page.locator('.delegations-owner');
  await mine.locator('tr', { hasText: people.serviceHead.name }).getByText('代理中').waitFor();
  const delegation = await delegationOf(people.collectionHead.id);
  expect(delegation).toMatchObject({ delegateId: people.serviceHead.id, reason: '年假', status: 'active' });
  await expect(accessibilityProblems(page, 'the Away page with a delegation')).resolves.toEqual([]);

  // A plan submitted meanwhile: its first approval, the head's, opens with the delegate.
  const { flowId, taskId } = await submittedPlan(web, '代理 UI 年假');
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.serviceHead.id, actingForId: people.collectionHead.id });
  await signOut(page);

  await signInAs(page, people.serviceHead.name);
  const row = page.locator(`.task[data-task-id="${taskId}"]`);
  await row.locator('.acting-for').getByText(`外出代理 · 代${people.collectionHead.name}处理`).waitFor();
  await page.goto(`/tasks/${taskId}`);
  await row.locator('.acting-for').waitFor();
  await row.getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '同意' }).click();
  await row.waitFor({ state: 'detached' });
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ decidedById: people.serviceHead.id, onBehalfOfId: people.collectionHead.id });
  await page.goto(`/flows/${encodeURIComponent(flowId)}`);
  await page.locator('.flow-timeline').getByText(`处理待办 · ${people.serviceHead.name} (代${people.collectionHead.name})`).waitFor();
  // The delegate sees the period among those they act in, and may not end it.
  await page.goto('/away');
  const acting = page.locator('.delegations-delegate tr', { hasText: people.collectionHead.name });
  await acting.getByText('代理中').waitFor();
  await expect(acting.getByRole('button').count()).resolves.toBe(0);
  await signOut(page);

  await signInAs(page, people.collectionHead.name);
  await page.goto('/away');
  await mine.locator('tr', { hasText: people.serviceHead.name }).getByRole('button', { name: '结束代理' }).click();
  await page.getByText('代理已结束').waitFor();
  await mine.locator('tr', { hasText: people.serviceHead.name }).getByText('已结束').waitFor();
  expect(await web.stack.db.delegation.findUniqueOrThrow({ where: { id: delegation.id } })).toMatchObject({ status: 'ended' });
  // From now on, the head's approvals are theirs again.
  const after = await submittedPlan(web, '代理 UI 返岗');
  expect(await web.stack.db.task.findUniqueOrThrow({ where: { id: after.taskId } })).toMatchObject({ assigneeId: people.collectionHead.id, actingForId: null });
  await page.context().close();
});

test('in English, HR sets a delegation for a head; a second one overlapping it is refused and the form says why, keeping what was typed', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.getByText('EN', { exact: true }).click();
  // HR's menu is long: on a laptop the Away item is under its overflow.
  await page.goto('/away');
  const form = page.locator('.delegation-form');
  await form.getByRole('button', { name: 'Set delegation' }).click();
  await form.locator('#delegateId_help').getByText('Choose a person').waitFor();
  await form.locator('#reason_help').getByText('A reason is required').waitFor();
  await choose(page, 'ownerId', people.engineeringHead.name);
  await choose(page, 'delegateId', people.engineer.name);
  await pickMoment(page, 'startsAt', inDays(2));
  await pickMoment(page, 'endsAt', inDays(9));
  await form.getByLabel('Reason').fill('Business trip');
  await form.getByRole('button', { name: 'Set delegation' }).click();
  await page.getByText(`Set: ${people.engineer.name} acts for ${people.engineeringHead.name}`).waitFor();
  await page.locator('.delegations-all tr', { hasText: people.engineeringHead.name }).getByText('Scheduled').waitFor();
  expect(await delegationOf(people.engineeringHead.id)).toMatchObject({ delegateId: people.engineer.id, createdById: people.hrOfficer.id, status: 'scheduled' });

  await choose(page, 'ownerId', people.engineeringHead.name);
  await choose(page, 'delegateId', people.ceo.name);
  await pickMoment(page, 'endsAt', inDays(5));
  await form.getByLabel('Reason').fill('Overlaps the trip');
  await form.getByRole('button', { name: 'Set delegation' }).click();
  await form.locator('.ant-alert-error').getByText(/another delegation of theirs overlaps this period/).waitFor();
  await expect(form.getByLabel('Reason').inputValue()).resolves.toBe('Overlaps the trip');
  await expect(web.stack.db.delegation.count({ where: { ownerId: people.engineeringHead.id } })).resolves.toBe(1);

  // Cancelled before it starts, by HR who set it.
  await page.locator('.delegations-all tr', { hasText: people.engineeringHead.name }).getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.delegations-all tr', { hasText: people.engineeringHead.name }).getByText('Cancelled').waitFor();
  await page.context().close();
});

test('on a phone: the Away page fits 390 px, and a delegation is set and ended from it', async () => {
  const page = await web.newPage({ width: 390, height: 844 });
  await signInAs(page, people.serviceRep.name);
  await page.goto('/away');
  const form = page.locator('.delegation-form');
  await form.waitFor();
  await choose(page, 'delegateId', people.collectorC.name);
  await pickMoment(page, 'endsAt', inDays(3));
  await form.getByLabel('原因').fill('病假');
  const send = (await form.getByRole('button', { name: '设置代理' }).boundingBox())!;
  expect(send.x + send.width).toBeLessThanOrEqual(390);
  await form.getByRole('button', { name: '设置代理' }).click();
  const row = page.locator('.delegations-owner tr', { hasText: people.collectorC.name });
  await row.getByText('代理中').waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await row.getByRole('button', { name: '结束代理' }).click();
  await row.getByText('已结束').waitFor();
  await page.context().close();
});

test('抄送我的: a collector copied in on a plan finds it under the inbox’s tab and reads who is copied in on the flow page', async () => {
  const { flowId, taskId } = await submittedPlan(web, '抄送 UI 列表');
  const { assigneeId } = await web.stack.db.task.findUniqueOrThrow({ where: { id: taskId } });
  await callAs(web, assigneeId, 'POST', `/tasks/${taskId}/cc`, { ids: [people.collectorA.id, people.collectorB.employeeNo], note: '供参考' });
  const page = await web.newPage();
  await signInAs(page, people.collectorA.name);
  await page.getByRole('tab', { name: '抄送我的' }).click();
  const copied = page.locator('.copied-flow', { hasText: '抄送 UI 列表' });
  await copied.getByText('培训计划审批').waitFor();
  await copied.getByRole('link', { name: /抄送 UI 列表/ }).click();
  await page.waitForURL(`**/flows/${encodeURIComponent(flowId)}`);
  await page.locator('.flow-cc').getByText(`抄送：${people.collectorA.name}、${people.collectorB.name}`).waitFor();
  await page.getByText('EN', { exact: true }).click();
  await page.locator('.flow-cc').getByText(`Copied in: ${people.collectorA.name}, ${people.collectorB.name}`).waitFor();
  await page.goto('/tasks');
  await page.getByRole('tab', { name: "CC'd to me" }).click();
  await page.locator('.copied-flow', { hasText: '抄送 UI 列表' }).waitFor();
  await expect(accessibilityProblems(page, "the inbox's CC tab")).resolves.toEqual([]);
  await page.context().close();
});
