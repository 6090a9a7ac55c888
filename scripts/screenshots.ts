/**
 * `npm run screenshots`: pictures of the web app's main pages for the README, taken from the stack
 * `npm start` runs (BATON_URL, default http://localhost:3000) in the operating system's Chromium.
 */
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const base = process.env.BATON_URL ?? 'http://localhost:3000';
const out = path.resolve(__dirname, '..', 'docs', 'screenshots');

async function signIn(page: Page, name: string) {
  await page.goto(`${base}/`);
  await page.evaluate('localStorage.clear()');
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: `以${name}身份登录` }).click();
  await page.locator('.app-header').waitFor();
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const shot = async (page: Page, name: string) => {
    await page.mouse.move(0, 0);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };

  await desktop.goto(`${base}/`);
  await desktop.locator('.demo-users').getByRole('button').first().waitFor();
  await shot(desktop, 'sign-in');
  await signIn(desktop, '陈晓燕');
  await desktop.locator('.task').first().waitFor();
  await shot(desktop, 'inbox');
  await desktop.goto(`${base}/plans`);
  await desktop.getByRole('row').nth(1).getByRole('link').click();
  await desktop.getByRole('tab', { name: /审批记录/ }).click();
  await shot(desktop, 'plan');
  await desktop.goto(`${base}/sessions`);
  await desktop.getByRole('row').nth(1).waitFor();
  await shot(desktop, 'sessions');
  await desktop.getByRole('row').nth(1).getByRole('link').click();
  await desktop.getByRole('button', { name: '改期' }).click();
  await desktop.locator('.reschedule-form').waitFor();
  await desktop.waitForTimeout(600); // the panel's opening animation (a picture, not a test)
  await shot(desktop, 'session');
  await desktop.goto(`${base}/dashboard`);
  await desktop.locator('.overdue-by-department').waitFor();
  await shot(desktop, 'dashboard');

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await signIn(phone, '陈晓燕');
  await phone.locator('.task').first().waitFor();
  await shot(phone, 'inbox-phone');
  await browser.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
