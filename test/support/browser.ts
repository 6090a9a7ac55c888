/**
 * A real browser on the web app: the operating system's Chromium (Debian's package, which CI
 * installs) driven by Playwright, against the test stack's API serving the built app.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { people, planContent } from './fixtures';
import { startTestStack, type TestStack } from './stack';
import { builtWebApp } from './webApp';

export interface BrowserStack {
  stack: TestStack;
  url: string;
  browser: Browser;
  /** A fresh page (its own storage: a new person), in China's time zone. */
  newPage(viewport?: { width: number; height: number }, locale?: string): Promise<Page>;
  stop(): Promise<void>;
}

/** `attachments`: where the API keeps comments' files and their size limit (unset: the defaults). */
export async function startBrowserStack(options: Pick<Parameters<typeof startTestStack>[0] & object, 'attachments'> = {}): Promise<BrowserStack> {
  const stack = await startTestStack({ ...options, web: { root: await builtWebApp(), demoSignIn: true, namespace: 'default', temporalWebUrl: 'http://temporal-ui.test' } });
  const server: Server = await new Promise((resolve) => {
    const s = stack.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // No network beyond this machine: Chromium's own background traffic stays off.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    stack,
    url,
    browser,
    async newPage(viewport = { width: 1280, height: 900 }, locale = 'zh-CN') {
      const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai', baseURL: url });
      // A hang detector, not a deadline: on two cores shared with the cluster test's build and
      // processes, one step of a person's click-through has taken more than a minute.
      context.setDefaultTimeout(150_000);
      const page = await context.newPage();
      // What the page itself reports goes to the test's output: a failure in CI says why.
      page.on('pageerror', (err) => process.stderr.write(`[browser] page error: ${err.message}\n`));
      page.on('response', (res) => res.status() >= 500 && process.stderr.write(`[browser] ${res.status()} ${res.request().method()} ${res.url()}\n`));
      return page;
    },
    async stop() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stack.stop();
    },
  };
}

/**
 * One browser stack for a test file: started before its tests, stopped after them; the value stands
 * for the stack once it is started. Each test clicks through a whole procedure, which takes minutes
 * when the machine is shared (see newPage's timeout).
 */
export function browserTestStack(options?: Parameters<typeof startBrowserStack>[0]): BrowserStack {
  jest.setTimeout(600_000);
  let current: BrowserStack | undefined;
  beforeAll(async () => {
    current = await startBrowserStack(options);
  }, 240_000);
  afterAll(() => current?.stop());
  return new Proxy({} as BrowserStack, { get: (_target, key) => current![key as keyof BrowserStack] });
}

/** Signs in with the demo picker, as a person does. */
export async function signInAs(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: new RegExp(`(以${name}身份登录|Sign in as ${name})`) }).click();
  await page.locator('.app-header').waitFor();
}

/** Switches the signed-in page to English with the header's language switch, as a reader does. */
export async function inEnglish(page: Page): Promise<void> {
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /退出登录|Sign out/ }).click();
  await page.locator('.demo-users').waitFor();
}

/**
 * The page's scroll width once laid out for its viewport. antd's responsive parts (Descriptions
 * columns, the grid) re-render only after their media-query listeners fire, so a width read at
 * once after a resize or the first paint can be the old layout's: wait for it to fit, then read.
 */
export async function pageWidth(page: Page): Promise<number> {
  await page.waitForFunction('document.documentElement.scrollWidth <= window.innerWidth', undefined, { timeout: 5_000 }).catch(() => undefined);
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** Waits for an antd motion around the element (a toast sliding in) to end: rc-motion drops its -appear/-enter classes then. */
export async function motionDone(element: Locator): Promise<void> {
  await element.locator('xpath=ancestor-or-self::*[contains(@class, "-appear") or contains(@class, "-enter")]').first().waitFor({ state: 'detached' });
}

const axeSource = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now, one line each. */
export async function accessibilityProblems(page: Page, what: string): Promise<string[]> {
  // The page at rest: no control under the pointer left over from the last click.
  await page.mouse.move(0, 0);
  await page.evaluate(axeSource());
  const results = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>("axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })");
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** What someone's API token would do, for the steps a test does not click through. */
export async function callAs<T = any>(web: BrowserStack, who: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${web.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${await web.stack.token(who)}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** Picks `name` in an antd select with search (the directory's people pickers). */
export async function choose(page: Page, selectId: string, name: string): Promise<void> {
  await page.locator(`#${selectId}`).fill(name);
  // This select's own list (`<id>_list` inside it): another picker's may still be closing.
  await page.locator(`.ant-select-dropdown:has(#${selectId}_list) .ant-select-item-option[title^="${name}"]`).click();
}

/** Types a moment into a date picker and confirms it, as a person using the keyboard does. */
export async function pickMoment(page: Page, id: string, moment: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator(`#${id}`).fill(moment);
  await page.locator(`#${id}`).press('Enter');
  await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
}

/** A complete plan the HR officer's token drafted and submitted: the collection head's approval
 *  waits in their inbox. */
export async function submittedPlan(web: BrowserStack, title: string): Promise<{ planId: string; flowId: string; taskId: string }> {
  const plan = await callAs<{ id: string }>(web, people.hrOfficer.id, 'POST', '/training-plans', { title, departmentId: 'dept-collection', content: planContent() });
  const submitted = await callAs<{ flowId: string; next: { taskId: string }[] }>(web, people.hrOfficer.id, 'POST', `/training-plans/${plan.id}/submit`, {});
  return { planId: plan.id, flowId: submitted.flowId, taskId: submitted.next[0]!.taskId };
}

/** Opens one of a task's approval actions (转交, 加签, 退回, 抄送) from its "More" menu; its form's dialog. */
export async function openTaskAction(page: Page, task: Locator, action: string): Promise<Locator> {
  await task.getByRole('button', { name: /^(更多|More)$/ }).click();
  await page.getByRole('menuitem', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}
