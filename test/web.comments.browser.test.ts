/**
 * Comments with files on a flow's page, in a real browser (Chromium from the OS packages,
 * Playwright) against the real stack: a participant comments with a PDF, a refused file says why in
 * the reader's language (zh-CN, then English), the file downloads as it was sent, and the form fits
 * a phone. The tests wait for elements and rows, never for time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { people } from './support/fixtures';
import { accessibilityProblems, browserTestStack, pageWidth, signInAs, submittedPlan } from './support/browser';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-web-attachments-'));
const web = browserTestStack({ attachments: { dir, maxBytes: 64 * 1024 } });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2_000, 'x'), Buffer.from('\n%%EOF\n')]);

test('the department head comments on a plan with a PDF; a file that is not what its name says, or too large, is refused in Chinese and in English; the HR officer downloads the file', async () => {
  const { flowId } = await submittedPlan(web, '评论 UI 预算');
  const page = await web.newPage();
  await signInAs(page, people.collectionHead.name);
  await page.goto(`/flows/${encodeURIComponent(flowId)}`);
  const comments = page.locator('.flow-comments');
  await comments.getByText('还没有评论').waitFor();
  const picker = comments.locator('input[type=file]');

  // Not a PNG inside: refused, in Chinese.
  await picker.setInputFiles({ name: '截图.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
  await comments.locator('.upload-refused').getByText('截图.png: 文件内容与其类型不符（或为空文件）').waitFor();

  await picker.setInputFiles({ name: '预算明细.pdf', mimeType: 'application/pdf', buffer: PDF });
  await comments.locator('.ant-upload-list-item-done', { hasText: '预算明细.pdf' }).waitFor();
  await comments.getByLabel('评论内容').fill('预算明细见附件，请查看');
  await comments.getByRole('button', { name: '发表评论' }).click();
  const posted = comments.locator('.flow-comment', { hasText: '预算明细见附件，请查看' });
  await posted.getByRole('button', { name: /预算明细\.pdf/ }).waitFor();
  await comments.locator('.ant-upload-list-item-done').waitFor({ state: 'detached' });
  const written = await web.stack.db.flowComment.findMany({ where: { flowId }, include: { attachments: true } });
  expect(written).toHaveLength(1);
  expect(written[0]!.attachments.map((a) => a.name)).toEqual(['预算明细.pdf']);

  // In English: too large for the deployment's limit, said with the limit.
  await page.getByText('EN', { exact: true }).click();
  await picker.setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.alloc(70 * 1024, 'x')]) });
  await comments.locator('.upload-refused').getByText('big.pdf: The file is too large: each file may be at most 64 KB').waitFor();
  await picker.setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await comments.locator('.upload-refused').getByText(/setup\.exe: Files of this type cannot be attached/).waitFor();
  await comments.getByLabel('Comment').fill('Numbers checked');
  await comments.getByRole('button', { name: 'Post comment' }).click();
  await comments.locator('.flow-comment', { hasText: 'Numbers checked' }).waitFor();
  await expect(accessibilityProblems(page, 'the flow page with comments')).resolves.toEqual([]);
  expect(await web.stack.db.attachment.count({ where: { flowId } })).toBe(1);
  await page.context().close();

  // The flow's starter reads the comment and downloads its file, byte for byte.
  const hr = await web.newPage();
  await signInAs(hr, people.hrOfficer.name);
  await hr.goto(`/flows/${encodeURIComponent(flowId)}`);
  const file = hr.locator('.flow-comment', { hasText: '预算明细见附件，请查看' }).getByRole('button', { name: /预算明细\.pdf/ });
  const [download] = await Promise.all([hr.waitForEvent('download'), file.click()]);
  expect(download.suggestedFilename()).toBe('预算明细.pdf');
  expect(readFileSync((await download.path())!).equals(PDF)).toBe(true);
  await hr.context().close();
});

test('on a phone (390 px) the comments and their form fit the screen, and a comment goes out', async () => {
  const { flowId } = await submittedPlan(web, '评论 UI 手机');
  const page = await web.newPage({ width: 390, height: 844 });
  await signInAs(page, people.collectionHead.name);
  await page.goto(`/flows/${encodeURIComponent(flowId)}`);
  const comments = page.locator('.flow-comments');
  await comments.getByLabel('评论内容').fill('手机上也能评论');
  const send = (await comments.getByRole('button', { name: '发表评论' }).boundingBox())!;
  expect(send.x + send.width).toBeLessThanOrEqual(390);
  await comments.getByRole('button', { name: '发表评论' }).click();
  await comments.locator('.flow-comment', { hasText: '手机上也能评论' }).waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await page.context().close();
});
