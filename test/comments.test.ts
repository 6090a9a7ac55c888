/**
 * Comments with attachments on any flow (here a plan's approval): files stream to the deployment's
 * folder under a random id, within a size limit and a type check by name, declared type and first
 * bytes; they are served only to those who may read the flow. A comment goes through the flow,
 * which records it once, audits it and tells the flow's participants. Over HTTP with the real stack.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachmentKindOf, leadingBytesRefusal, safeFileName } from '../domain/comments';
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { commentOnFlow } from '../workflows/messages';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-attachments-'));
const MAX_BYTES = 64 * 1024;
const { stack, as, api } = apiTestStack({ attachments: { dir, maxBytes: MAX_BYTES } });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20_000, 'x'), Buffer.from('\n%%EOF\n')]);

/** A submitted plan: its flow, started by the HR officer, with the collection head's task open. */
async function planFlow(): Promise<string> {
  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '评论 Comments', departmentId: 'dept-collection', content: planContent() });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({ settings: {} });
  expect(submitted.status).toBe(202);
  return submitted.body.flowId as string;
}

const upload = (flowId: string, who: Who, name: string, type: string, bytes: Buffer) =>
  api().post(`/api/v1/flows/${flowId}/attachments`).set(as(who)).set('Content-Type', type).set('X-File-Name', name).send(bytes);
const comment = (flowId: string, who: Who, body: object, key?: string) => {
  const req = api().post(`/api/v1/flows/${flowId}/comments`).set(as(who));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
/** Every file in the attachments folder, the temporary ones included. */
const filesInFolder = () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

let flowId: string;
beforeAll(async () => {
  flowId = await planFlow();
});

test('a comment with a file: uploaded streamed, named in the comment, recorded once for a retried request, audited, its participants told, downloaded byte for byte', async () => {
  const name = '培训预算 budget.pdf';
  const uploaded = await upload(flowId, 'collectionHead', encodeURIComponent(name), 'application/pdf', PDF);
  expect(uploaded.status).toBe(201);
  expect(uploaded.body).toEqual({ id: expect.any(String), name, size: PDF.length, contentType: 'application/pdf' });
  const fileId = uploaded.body.id as string;
  // Stored under its id, never under the name given; its hash on record.
  expect(filesInFolder()).toEqual([path.join(dir, fileId)]);
  expect((await stack.db.attachment.findUniqueOrThrow({ where: { id: fileId } })).sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
  // Before it is attached, only its uploader may fetch it.
  expectProblem(await api().get(`/api/v1/attachments/${fileId}`).set(as('hrOfficer')), 404);
  expect((await api().get(`/api/v1/attachments/${fileId}`).set(as('collectionHead'))).status).toBe(200);

  const text = '预算表见附件，请核对 The budget is attached';
  const first = await comment(flowId, 'collectionHead', { text, attachmentIds: [fileId] }, 'comment-1');
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ flowId, authorId: people.collectionHead.id, text, attachments: [{ id: fileId, name, size: PDF.length, contentType: 'application/pdf' }] });
  const again = await comment(flowId, 'collectionHead', { text, attachmentIds: [fileId] }, 'comment-1');
  expect(again.status).toBe(201);
  expect(again.body.id).toBe(first.body.id);
  expect(await stack.db.flowComment.count({ where: { flowId } })).toBe(1);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'flow.commented' } })).toBe(1);
  expect((await stack.db.auditEvent.findFirstOrThrow({ where: { flowId, action: 'flow.commented' } })).actorId).toBe(people.collectionHead.id);
  // The flow's starter hears of it; its author does not.
  const told = await eventually(async () => {
    const n = await stack.db.notification.findMany({ where: { flowId, template: 'flow_comment' } });
    return n.length ? n : undefined;
  }, 'the participants told');
  expect(told.map((n) => n.recipientId)).toEqual([people.hrOfficer.id]);
  expect(told[0]!.params).toMatchObject({ authorName: people.collectionHead.name, attachments: '1' });

  // A file goes with one comment only.
  expectProblem(await comment(flowId, 'collectionHead', { text: 'again', attachmentIds: [fileId] }), 422, ['attachmentIds.0']);

  const download = await api().get(`/api/v1/attachments/${fileId}`).set(as('hrOfficer')).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(download.status).toBe(200);
  expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);
  expect(download.headers['content-type']).toBe('application/pdf');
  expect(download.headers['content-length']).toBe(String(PDF.length));
  expect(download.headers['x-content-type-options']).toBe('nosniff');
  expect(download.headers['content-disposition']).toBe(`attachment; filename="____ budget.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`);

  // The flow's page and the comments' own list show it.
  const page = (await api().get(`/api/v1/flows/${flowId}`).set(as('hrOfficer'))).body;
  expect(page.comments).toMatchObject({ total: 1, items: [{ id: first.body.id, authorName: people.collectionHead.name, text, attachments: [{ id: fileId, name }] }] });
  expect((await api().get(`/api/v1/flows/${flowId}/comments`).set(as('collectionHead'))).body.items).toHaveLength(1);
});

test('someone who takes no part in the flow reads none of its comments or files, and may not comment or upload', async () => {
  const uploaded = await upload(flowId, 'collectionHead', 'notes.txt', 'text/plain', Buffer.from('会议纪要 minutes\n'));
  const posted = await comment(flowId, 'collectionHead', { text: '纪要 minutes', attachmentIds: [uploaded.body.id] });
  expect(posted.status).toBe(201);
  expectProblem(await api().get(`/api/v1/flows/${flowId}/comments`).set(as('engineer')), 403);
  expectProblem(await api().get(`/api/v1/attachments/${uploaded.body.id}`).set(as('engineer')), 403);
  expectProblem(await comment(flowId, 'engineer', { text: 'hello' }), 403);
  expectProblem(await upload(flowId, 'engineer', 'x.txt', 'text/plain', Buffer.from('x')), 403);
  expectProblem(await api().get('/api/v1/flows/no-such-flow/comments').set(as('hrOfficer')), 404);
  expectProblem(await api().get('/api/v1/attachments/00000000-0000-4000-8000-000000000000').set(as('hrOfficer')), 404);
  // Someone else's file, even on the same flow, is not theirs to attach.
  const hrFile = await upload(flowId, 'hrOfficer', 'hr.txt', 'text/plain', Buffer.from('hr'));
  expectProblem(await comment(flowId, 'collectionHead', { text: 'mine?', attachmentIds: [hrFile.body.id] }), 422, ['attachmentIds.0']);
  expectProblem(await comment(flowId, 'collectionHead', { text: '' }), 400, ['text']);
  expectProblem(await comment(flowId, 'collectionHead', { text: 'x'.repeat(4001) }), 400, ['text']);
});

test('a file over the limit is refused with 413 naming the limit, and nothing is left in the folder', async () => {
  const before = filesInFolder();
  const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_BYTES, 'x')]);
  const res = await upload(flowId, 'collectionHead', 'big.pdf', 'application/pdf', big);
  expectProblem(res, 413, ['body']);
  expect(res.body.detail).toContain('64 KiB');
  expect(res.body.code).toBe('attachment_too_large');
  expect(filesInFolder()).toEqual(before);
  expect(await stack.db.attachment.count({ where: { name: 'big.pdf' } })).toBe(0);
});

test('files of other types, or whose bytes are not what their name says, are refused naming the field; nothing is kept', async () => {
  const before = filesInFolder();
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
  expectProblem(await upload(flowId, 'collectionHead', 'setup.exe', 'application/octet-stream', exe), 415, ['X-File-Name']);
  expectProblem(await upload(flowId, 'collectionHead', 'photo.png', 'image/png', exe), 422, ['body']);
  expectProblem(await upload(flowId, 'collectionHead', 'report.pdf', 'image/png', PDF), 415, ['Content-Type']);
  expectProblem(await upload(flowId, 'collectionHead', 'notes.txt', 'text/plain', exe), 422, ['body']);
  expectProblem(await upload(flowId, 'collectionHead', 'empty.pdf', 'application/pdf', Buffer.alloc(0)), 422, ['body']);
  expectProblem(await api().post(`/api/v1/flows/${flowId}/attachments`).set(as('collectionHead')).set('Content-Type', 'application/pdf').send(PDF), 400, ['X-File-Name']);
  expect(filesInFolder()).toEqual(before);
});

test('path tricks in names are stored safely: the last part of the name, without control characters or dots that climb', async () => {
  const names: [string, string][] = [
    ['../../etc/passwd.pdf', 'passwd.pdf'],
    ['a\\b.pdf', 'b.pdf'],
    ['bad%00name.pdf', 'badname.pdf'],
    [encodeURIComponent('..\\..\\..\\windows\\win.ini.txt'), 'win.ini.txt'],
    ['..%2F..%2F.hidden.pdf', 'hidden.pdf'],
  ];
  for (const [sent, stored] of names) {
    const bytes = stored.endsWith('.txt') ? Buffer.from('[fonts]\n') : PDF;
    const res = await upload(flowId, 'collectionHead', sent, stored.endsWith('.txt') ? 'text/plain' : 'application/pdf', bytes);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(stored);
    expect(filesInFolder()).toContain(path.join(dir, res.body.id));
  }
  // Only ids in the folder, and nothing outside it.
  for (const file of filesInFolder()) expect(path.basename(file)).toMatch(/^[0-9a-f-]{36}$/);
  expect(readFileSync(path.join(dir, (await stack.db.attachment.findFirstOrThrow({ where: { name: 'passwd.pdf' } })).id)).equals(PDF)).toBe(true);
});

test('a file sent without a length (chunked) is counted as it streams: refused at the limit, its partial file removed', async () => {
  const before = filesInFolder();
  const server = stack.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: `/api/v1/flows/${encodeURIComponent(flowId)}/attachments`, headers: { ...as('collectionHead'), 'Content-Type': 'application/pdf', 'X-File-Name': 'stream.pdf', 'Transfer-Encoding': 'chunked' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      // Ten pieces of 10 KiB: the limit (64 KiB) is passed in the seventh.
      req.write('%PDF-1.7\n');
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(10 * 1024, 'x'));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'attachment_too_large', errors: [{ field: 'body' }] });
  } finally {
    server.close();
  }
  expect(filesInFolder()).toEqual(before);
  expect(await stack.db.attachment.count({ where: { name: 'stream.pdf' } })).toBe(0);
});

test('two comments racing for the same file: one has it, the other is refused and writes nothing', async () => {
  const file = await upload(flowId, 'collectionHead', 'race.pdf', 'application/pdf', PDF);
  const before = await stack.db.flowComment.count({ where: { flowId } });
  const answers = await Promise.all(['first', 'second', 'third'].map((text) => comment(flowId, 'collectionHead', { text, attachmentIds: [file.body.id] })));
  expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422]);
  for (const refused of answers.filter((a) => a.status !== 201)) expectProblem(refused, 422);
  expect(await stack.db.flowComment.count({ where: { flowId } })).toBe(before + 1);
  const winner = answers.find((a) => a.status === 201)!.body.id as string;
  expect((await stack.db.attachment.findUniqueOrThrow({ where: { id: file.body.id } })).commentId).toBe(winner);
  // Past the API's own check (as a request racing it would be), the flow's write refuses the file too.
  const late = stack.flows.send(flowId, commentOnFlow, { actorId: people.collectionHead.id, commentId: randomUUID(), text: 'late', attachmentIds: [file.body.id] });
  await expect(late).rejects.toMatchObject({ status: 422, code: 'invalid_action' });
  expect(await stack.db.flowComment.count({ where: { flowId } })).toBe(before + 1);
});

test('a flow that has finished, or one without a task inbox, takes no comments (409)', async () => {
  // Starting tomorrow: a delegation starting now would hand the head's open tasks over while the
  // file's worker stops (its updates to those flows then wait for a worker that is shutting down).
  const delegation = await api()
    .post('/api/v1/delegations')
    .set(as('collectionHead'))
    .send({ delegateId: people.serviceHead.id, startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: '年假 annual leave' });
  expect(delegation.status).toBe(201);
  expectProblem(await comment(delegation.body.flowId, 'collectionHead', { text: 'noted' }), 409);

  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '撤回 Withdrawn', departmentId: 'dept-collection', content: planContent() });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({ settings: {} });
  expect((await api().post(`/api/v1/training-plans/${plan.body.id}/withdraw`).set(as('hrOfficer')).send({ reason: '不需要了 not needed' })).status).toBe(200);
  await eventually(async () => ((await stack.db.flow.findUniqueOrThrow({ where: { id: submitted.body.flowId } })).status === 'running' ? undefined : true), 'the flow closed');
  const closed = await comment(submitted.body.flowId, 'hrOfficer', { text: 'too late' });
  expectProblem(closed, 409);
  expect(closed.body.code).toBe('flow_closed');
  expectProblem(await upload(submitted.body.flowId, 'hrOfficer', 'late.pdf', 'application/pdf', PDF), 409);
});

describe('the domain rules, alone', () => {
  test('a safe file name keeps the last segment and its extension, drops control characters, climbing dots and bidi tricks', () => {
    expect(safeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(safeFileName('C:\\Users\\me\\预算.xlsx')).toBe('预算.xlsx');
    expect(safeFileName('a\u0000b\u001f.csv')).toBe('ab.csv');
    expect(safeFileName('invoice\u202etxt.exe')).toBe('invoicetxt.exe');
    expect(safeFileName('report..final.pdf')).toBe('report.final.pdf');
    expect(safeFileName('../..')).toBe('attachment');
    expect(safeFileName(`${'长'.repeat(300)}.docx`)).toBe(`${'长'.repeat(195)}.docx`);
  });

  test('a kind is taken from the name and must agree with the declared type and the first bytes', () => {
    const kindOf = (name: string, type: string) => {
      const found = attachmentKindOf(name, type);
      if ('refused' in found) throw new Error(found.refused.reason);
      return found.kind;
    };
    expect(attachmentKindOf('x.exe', 'application/octet-stream')).toMatchObject({ refused: { status: 415, field: 'X-File-Name' } });
    expect(attachmentKindOf('x.pdf', 'text/plain')).toMatchObject({ refused: { status: 415, field: 'Content-Type' } });
    expect(leadingBytesRefusal(kindOf('sheet.XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), Buffer.from('PK\u0003\u0004rest'))).toBeUndefined();
    expect(leadingBytesRefusal(kindOf('photo.jpg', 'image/jpeg; charset=binary'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBeUndefined();
    expect(leadingBytesRefusal(kindOf('data.csv', 'application/vnd.ms-excel'), Buffer.from('姓名,金额\r\n张三,100\r\n'))).toBeUndefined();
    expect(leadingBytesRefusal(kindOf('data.csv', 'text/csv'), Buffer.from('MZ\u0000\u0000'))).toMatchObject({ status: 422, field: 'body' });
    expect(leadingBytesRefusal(kindOf('scan.png', 'image/png'), Buffer.from('%PDF-1.7'))).toMatchObject({ status: 422 });
  });
});
