/**
 * 团队重建 in a real browser (Chromium from the OS packages, Playwright), against a real API, worker,
 * Temporal and PostgreSQL: after a collector has left, the head opens the team meeting from the
 * inbox and records it (an empty record stopped at its field), then on a phone in English records a
 * one-to-one. The rebuilding is started as a handover's sign-off starts it. The tests wait for
 * elements and rows, never for time.
 */
import { randomUUID } from 'node:crypto';
import { teamRebuildingFlowId } from '../domain/teamRebuilding';
import { openTasks, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, pageWidth, signInAs } from './support/browser';
import { FAST_SETTINGS } from './support/stack';

const web = browserTestStack();

test('the head records the team meeting from the inbox, then a one-to-one on a phone in English', async () => {
  const resignationId = randomUUID();
  const flowId = teamRebuildingFlowId(resignationId);
  await web.stack.client.workflow.start('teamRebuilding', { workflowId: flowId, taskQueue: web.stack.taskQueue, args: [{ resignationId, leaverId: people.collectorC.id, settings: FAST_SETTINGS }] });
  await openTasks(web.stack.db, flowId, 3); // the team meeting, one-to-ones with collectors A and B

  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  // A Chinese reader sees the title's Chinese half, with the flow it belongs to (who left).
  await page.locator('.task', { hasText: '团队会议' }).filter({ hasText: people.collectorC.name }).getByRole('button', { name: '去处理' }).click();
  await page.waitForURL(`**/team-rebuildings/${resignationId}`);
  await page.getByRole('heading', { name: `${people.collectorC.name} 离职后的团队重建` }).waitFor();
  const meeting = page.locator('[data-step="team-meeting"]');
  await meeting.getByRole('button', { name: '记录谈话' }).click();
  await meeting.getByText('请填写谈话内容').waitFor();
  await expect(accessibilityProblems(page, 'the team rebuilding')).resolves.toEqual([]);
  await meeting.getByLabel('谈话记录').fill('重新分配黄小梅的客户；周五前排好班');
  await meeting.getByRole('button', { name: '记录谈话' }).click();
  // Recorded: the form gives way to the record.
  await meeting.locator('.team-talk').waitFor({ state: 'detached' });
  await meeting.getByText('重新分配黄小梅的客户；周五前排好班').waitFor();
  await expect(web.stack.db.teamTalk.count({ where: { resignationId, step: 'team-meeting' } })).resolves.toBe(1);
  await page.context().close();

  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, people.collectionHead.name);
  await phone.getByText('EN', { exact: true }).click();
  await phone.goto(`/team-rebuildings/${resignationId}`);
  const oneToOne = phone.locator(`[data-step="one-to-one/${people.collectorB.id}"]`);
  await oneToOne.getByText(`One-to-one with ${people.collectorB.name}`).waitFor();
  await oneToOne.getByLabel('What was discussed').fill('Worried about the extra accounts; agreed a weekly check-in');
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  await oneToOne.getByRole('button', { name: 'Record the talk' }).click();
  await oneToOne.locator('.team-talk').waitFor({ state: 'detached' });
  await oneToOne.getByText('Worried about the extra accounts; agreed a weekly check-in').waitFor();
  await phone.locator(`[data-step="one-to-one/${people.collectorA.id}"] .team-talk`).waitFor();
  await expect(web.stack.db.teamTalk.findMany({ where: { resignationId }, orderBy: { step: 'asc' }, select: { step: true, recordedById: true } })).resolves.toEqual([
    { step: `one-to-one/${people.collectorB.id}`, recordedById: people.collectionHead.id },
    { step: 'team-meeting', recordedById: people.collectionHead.id },
  ]);
  await phone.context().close();
});
