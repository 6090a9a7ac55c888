/**
 * 人员调整 in a real browser (Chromium from the OS packages, Playwright), against a real API, worker,
 * Temporal and PostgreSQL: HR starts a cover from the page (an empty form stopped at its fields)
 * naming a training session to join, the head approves it (the cover joins the session), and HR ends it early on a phone in English; the accounts go back. The tests
 * wait for elements and rows, never for time.
 */
import { eventually, openTasks, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, inEnglish, pageWidth, pickMoment, signInAs, submittedPlan } from './support/browser';

const web = browserTestStack();

/** A moment `days` from now, in China's time, as the date pickers take it typed. */
const typed = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');

test('HR starts a cover naming a session to join, the head approves it, HR ends it early on a phone in English: the accounts go back', async () => {
  // A session ahead, from an approved plan: the covering collector joins it when the cover starts.
  const plan = await submittedPlan(web, '新小区收费政策培训');
  const director = await callAs<{ next: { taskId: string }[] }>(web, people.collectionHead.id, 'POST', `/tasks/${plan.taskId}/decision`, { decision: 'approve' });
  await callAs(web, people.hrDirector.id, 'POST', `/tasks/${director.next[0]!.taskId}/decision`, { decision: 'approve' });
  const session = await eventually(async () => (await web.stack.db.trainingSession.findFirst({ where: { planId: plan.planId } })) ?? undefined, 'the session on record');

  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.goto('/staffing-adjustments');
  await page.getByRole('heading', { name: '人员调整' }).waitFor();
  const form = page.locator('.staffing-form');
  await form.getByRole('button', { name: '提交审批' }).click();
  await form.locator('#staffing_coveringId_help').getByText('请选择人员').waitFor();
  await form.locator('#staffing_reason_help').getByText('请说明原因').waitFor();
  await expect(accessibilityProblems(page, 'the staffing adjustments page')).resolves.toEqual([]);
  await choose(page, 'staffing_coveringId', people.collectorB.name);
  await choose(page, 'staffing_coveredId', people.collectorA.name);
  await pickMoment(page, 'staffing_startsAt', typed(0));
  await pickMoment(page, 'staffing_endsAt', typed(7));
  await form.getByLabel('原因').fill('吴海燕休假一周');
  await form.getByLabel('所需培训').fill('新小区收费政策');
  await choose(page, 'staffing_trainingSessionId', session.title);
  await form.getByRole('button', { name: '提交审批' }).click();
  await page.locator('.staffing-adjustments tr', { hasText: people.collectorB.name }).getByText('待审批').waitFor();

  const adjustment = await eventually(async () => (await web.stack.db.staffingAdjustment.findFirst({ where: { coveredId: people.collectorA.id } })) ?? undefined, 'the adjustment');
  expect(adjustment).toMatchObject({ coveringId: people.collectorB.id, reason: '吴海燕休假一周', training: '新小区收费政策', trainingSessionId: session.id, kind: 'deployment' });
  const [approval] = await openTasks(web.stack.db, adjustment.flowId, 1);
  expect(approval!.assigneeId).toBe(people.collectionHead.id);
  await callAs(web, people.collectionHead.id, 'POST', `/tasks/${approval!.id}/decision`, { decision: 'approve' });
  await expect(web.stack.db.account.count({ where: { id: { in: adjustment.accountIds }, assigneeId: people.collectorB.id } })).resolves.toBe(adjustment.accountIds.length);
  await eventually(async () => (await web.stack.db.sessionParticipant.findUnique({ where: { sessionId_employeeId: { sessionId: session.id, employeeId: people.collectorB.id } } })) ?? undefined, 'collectorB in the session');
  await page.context().close();

  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.hrOfficer.name);
  await inEnglish(phone);
  await phone.goto(`/staffing-adjustments/${adjustment.id}`);
  await phone.getByRole('heading', { name: `${people.collectorB.name} covers ${people.collectorA.name}` }).getByText('Active').waitFor();
  await phone.getByRole('link', { name: 'Open the session' }).waitFor();
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  const endEarly = phone.locator('.staffing-end-early');
  await endEarly.getByLabel('Note').fill('Back a day early');
  await endEarly.getByRole('button', { name: 'End early' }).click();
  await phone.getByRole('heading', { name: `${people.collectorB.name} covers ${people.collectorA.name}` }).getByText('Ended').waitFor();
  await phone.getByText('Back a day early').waitFor();
  await expect(web.stack.db.account.count({ where: { id: { in: adjustment.accountIds }, assigneeId: people.collectorA.id } })).resolves.toBe(adjustment.accountIds.length);
  await phone.context().close();
});
