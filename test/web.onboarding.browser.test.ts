/**
 * 新员工入职 in a real browser (Chromium from the OS packages, Playwright), against a real API,
 * worker, Temporal and PostgreSQL, in Chinese: HR registers a hire through the API, whose first
 * check-in opens at once; the collection head (the hire's manager) opens the check-in from the inbox
 * and records it (an empty form stopped at its field), then the hire, on a phone, attests the
 * culture from their own inbox. HR registers another hire with the form, in English, and lands on
 * their timeline. The tests wait for elements and rows, never for time.
 */
import { DEFAULT_ONBOARDING, onboardingFlowId, type OnboardingSettings } from '../domain/onboarding';
import { eventually, people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, callAs, choose, pageWidth, signInAs } from './support/browser';

const web = browserTestStack();

/** Steps a day on; the first check-in (and the hire's pulse) open straight away. */
const ONBOARDING: OnboardingSettings = { ...DEFAULT_ONBOARDING, checkInsAt: ['PT2S', 'P60D', 'P90D'], checkInOpensBefore: 'PT1S' };
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

test('the head records the first check-in from the inbox, then the hire attests the culture on a phone', async () => {
  const hireName = '林晓雨';
  const { employeeId } = await callAs<{ employeeId: string }>(web, people.hrOfficer.id, 'POST', '/onboardings', {
    person: { employeeNo: 'BT201', name: hireName, email: 'linxiaoyu@example.com' },
    departmentId: 'dept-collection',
    managerId: people.collectionHead.id,
    trainerId: people.trainer.id,
    startDate: today(),
    settings: { onboarding: ONBOARDING },
  });
  const flowId = onboardingFlowId(employeeId);
  await eventually(async () => (await web.stack.db.task.findFirst({ where: { flowId, stepKey: 'check-in/1', status: 'open' } })) ?? undefined, 'the first check-in');

  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  await page.locator('.task', { hasText: '入职回访' }).getByRole('button', { name: '去处理' }).click();
  await page.waitForURL(`**/onboardings/${employeeId}`);
  await page.getByRole('heading', { name: `${hireName} 的入职培训` }).waitFor();
  const checkIn = page.locator('.onboarding-form[data-step="check-in/1"]');
  await checkIn.getByRole('button', { name: '提交' }).click();
  await checkIn.getByText('请填写内容').waitFor();
  await expect(accessibilityProblems(page, 'the onboarding')).resolves.toEqual([]);
  await checkIn.getByText('4', { exact: true }).click();
  await checkIn.getByLabel('回访记录').fill('适应良好，想多旁听几通电话');
  await checkIn.getByRole('button', { name: '提交' }).click();
  // Recorded: the form gives way, and the records show the check-in.
  await checkIn.waitFor({ state: 'detached' });
  await page.getByText(/^1: .*\(4\/5\)$/).waitFor();
  await expect(web.stack.db.onboardingCheckIn.findMany({ where: { employeeId }, select: { checkpoint: true, progress: true, managerId: true } })).resolves.toEqual([
    { checkpoint: 1, progress: 4, managerId: people.collectionHead.id },
  ]);
  await page.context().close();

  const phone = await web.newPage({ width: 390, height: 844 });
  await signInAs(phone, hireName);
  await phone.locator('.task', { hasText: '企业文化与价值观' }).getByRole('button', { name: '去处理' }).click();
  await phone.waitForURL(`**/onboardings/${employeeId}`);
  const culture = phone.locator('.onboarding-form[data-step="culture"]');
  await culture.getByText('我已阅读并认同公司的企业文化与价值观').click();
  expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
  await culture.getByRole('button', { name: '提交' }).click();
  await culture.waitFor({ state: 'detached' });
  await expect(web.stack.db.onboarding.findUniqueOrThrow({ where: { employeeId } }).then((o) => !!o.cultureAttestedAt)).resolves.toBe(true);
  await phone.context().close();
});

test('HR registers a hire with the form in English and lands on their timeline', async () => {
  const page = await web.newPage();
  await signInAs(page, people.hrOfficer.name);
  await page.getByText('EN', { exact: true }).click();
  await page.goto('/onboardings');
  await page.getByRole('button', { name: 'Register a new hire' }).click();
  await page.waitForURL('**/onboardings/new');
  await page.getByLabel('Name').fill('Wang Fang');
  await page.getByLabel('Employee no.').fill('BT202');
  await page.getByLabel('Email').fill('wangfang@example.com');
  await choose(page, 'registration_departmentId', '收费催收部');
  await choose(page, 'registration_managerId', people.collectionHead.name);
  await choose(page, 'registration_trainerId', people.trainer.name);
  await page.getByRole('button', { name: 'Register a new hire' }).click();
  await page.getByRole('heading', { name: 'Onboarding of Wang Fang' }).waitFor();
  await page.locator('.onboarding-step[data-step="culture"]').getByText('Held by Wang Fang').waitFor();
  await expect(accessibilityProblems(page, 'the onboarding timeline')).resolves.toEqual([]);
  const hire = await web.stack.db.employee.findFirstOrThrow({ where: { employeeNo: 'BT202' } });
  await expect(web.stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: hire.id } })).resolves.toMatchObject({ managerId: people.collectionHead.id, trainerId: people.trainer.id, hrId: people.hrOfficer.id });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByText('The 90 days', { exact: true }).waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await page.context().close();
});
