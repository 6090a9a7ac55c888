/**
 * Comments on any flow, with attachments. Whoever may read a flow comments on it and reads its
 * comments and their files. Files are uploaded first (streamed to the deployment's folder), then
 * named in a comment, which the flow itself records and tells its participants about.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { attachmentKindOf, commentRequest, safeFileName } from '../../domain/comments';
import type { Db } from '../../prisma/db';
import { commentOnFlow } from '../../workflows/messages';
import { AttachmentStore, DEFAULT_ATTACHMENTS, attachmentProblem } from '../attachmentStore';
import { callerOf } from '../auth';
import type { ApiContext } from '../context';
import { flowToRead } from '../flowAccess';
import { pageParams } from '../pagination';
import { attachmentOf, commentsOf } from '../comments';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields, type FieldError } from '../problems';
import { idFor } from '../flows';
import { attachmentView, commentPageView, commentView, reply } from '../views';
import { updateIdOf } from './flowMessages';
import { flowIdParams } from './flows';

export const attachmentIdParams = z.object({ id: z.uuid() });
export const commentsQuery = z.object({ ...pageParams() });
export const uploadHeaders = z.object({
  'x-file-name': z.string().min(1).max(1000).meta({ description: 'the file\'s name, percent-encoded (encodeURIComponent) when it is not ASCII' }),
  'content-type': z.string().min(1).meta({ description: 'the file\'s type: application/pdf, image/png, image/jpeg, text/csv, text/plain, or the xlsx/docx types' }),
});

/** `x-file-name` as people write it: X-File-Name. */
const headerName = (lower: string) => lower.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase());

/** The name as the client sent it: percent-encoded when it is not ASCII (headers carry no UTF-8). */
function sentName(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/** RFC 6266 / 5987: an ASCII fallback, and the real name in UTF-8. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Why the author cannot attach these files to a comment on this flow, one field per file. */
async function unattachable(db: Db, flowId: string, authorId: string, commentId: string, ids: string[]): Promise<FieldError[]> {
  const found = await db.attachment.findMany({ where: { id: { in: ids } } });
  return ids.flatMap((id, i): FieldError[] => {
    const file = found.find((f) => f.id === id);
    const field = `attachmentIds.${i}`;
    if (!file || file.uploaderId !== authorId) return [{ field, reason: 'no such file uploaded by you' }];
    if (file.flowId !== flowId) return [{ field, reason: 'the file was uploaded to another flow' }];
    if (file.commentId && file.commentId !== commentId) return [{ field, reason: 'the file is already attached to a comment' }];
    return [];
  });
}

const OPEN = ['running', 'stalled'];
const flowClosed = () => new HttpProblem(409, 'Flow closed', 'the flow has already finished; it takes no more comments', undefined, 'flow_closed');

export function commentRoutes({ db, flows, attachments = DEFAULT_ATTACHMENTS, log }: ApiContext): { flowComments: Router; attachmentFiles: Router } {
  const store = new AttachmentStore(attachments.dir, attachments.maxBytes);
  const flowComments = Router();

  /** Uploads one file to the flow, as the raw body: 201 with its id, to name in a comment. */
  flowComments.post('/:id/attachments', async (req, res) => {
    const { id: flowId } = parseRequest(flowIdParams, req.params, 'params');
    const caller = callerOf(req);
    const flow = await flowToRead(db, caller, flowId);
    if (!OPEN.includes(flow.status)) throw flowClosed();
    const headers = uploadHeaders.safeParse(req.headers);
    if (!headers.success) throw new HttpProblem(400, 'Invalid request', 'the upload\'s headers are invalid', headers.error.issues.map((i) => ({ field: headerName(String(i.path[0])), reason: i.message })));
    const name = safeFileName(sentName(headers.data['x-file-name']));
    const kind = attachmentKindOf(name, headers.data['content-type']);
    if ('refused' in kind) throw attachmentProblem(kind.refused);
    const stored = await store.receive(req, res, kind.kind);
    try {
      const file = await db.attachment.create({
        data: { id: stored.id, flowId, uploaderId: caller.id, name, contentType: kind.kind.servedAs, sizeBytes: stored.size, sha256: stored.sha256 },
      });
      reply(res, attachmentView, attachmentOf(file), 201);
    } catch (err) {
      await store.remove(stored.id);
      throw err;
    }
  });

  /** A comment, delivered to the flow, which writes it and tells its participants. */
  flowComments.post('/:id/comments', async (req, res) => {
    const { id: flowId } = parseRequest(flowIdParams, req.params, 'params');
    const body = parseRequest(commentRequest, req.body, 'body');
    const caller = callerOf(req);
    const flow = await flowToRead(db, caller, flowId);
    if (!OPEN.includes(flow.status)) throw flowClosed();
    const key = idempotencyKeyOf(req);
    const commentId = key ? idFor('comment', flowId, caller.id, key) : randomUUID();
    refuseFields(await unattachable(db, flowId, caller.id, commentId, body.attachmentIds ?? []));
    await flows.send(flowId, commentOnFlow, { ...body, actorId: caller.id, commentId }, updateIdOf(req, 'comment'));
    const written = await db.flowComment.findUniqueOrThrow({ where: { id: commentId }, include: { attachments: { orderBy: { createdAt: 'asc' } } } });
    reply(res, commentView, { ...written, authorName: caller.name, attachments: written.attachments.map(attachmentOf) }, 201);
  });

  flowComments.get('/:id/comments', async (req, res) => {
    const { id: flowId } = parseRequest(flowIdParams, req.params, 'params');
    const page = parseRequest(commentsQuery, req.query, 'query');
    await flowToRead(db, callerOf(req), flowId);
    reply(res, commentPageView, await commentsOf(db, flowId, page));
  });

  const attachmentFiles = Router();
  /** A file, streamed, to those who may read its flow (before it is attached: its uploader only). */
  attachmentFiles.get('/:id', async (req: Request, res) => {
    const { id } = parseRequest(attachmentIdParams, req.params, 'params');
    const caller = callerOf(req);
    const file = await db.attachment.findUnique({ where: { id } });
    if (!file) throw new HttpProblem(404, 'Not found', `no attachment ${id}`);
    await flowToRead(db, caller, file.flowId);
    if (!file.commentId && file.uploaderId !== caller.id) throw new HttpProblem(404, 'Not found', `no attachment ${id}`);
    const stream = await store.open(id);
    if (!stream) {
      log.error({ attachmentId: id }, 'an attachment is on record but missing from the attachments folder');
      throw new HttpProblem(404, 'Not found', 'the file is missing from storage');
    }
    res.set({
      'Content-Type': file.contentType,
      'Content-Length': String(file.sizeBytes),
      'Content-Disposition': contentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      ETag: `"${file.sha256}"`,
    });
    stream.pipe(res);
    stream.once('error', (err) => {
      log.error({ err, attachmentId: id }, 'reading an attachment failed');
      res.destroy(err);
    });
  });

  return { flowComments, attachmentFiles };
}
