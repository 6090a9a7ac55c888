import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { documentKind, documentParams, documentRequest, documentVersionRequest, onboardingFlowId } from '../../domain/onboarding';
import { documentRevised } from '../../workflows/messages';
import { callerOf, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { idFor } from '../flows';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest } from '../problems';
import { documentPageView, documentPublishedView, documentView, reply } from '../views';

export const listDocumentsQuery = z.object({ kind: documentKind.optional(), ...pageParams() });

/**
 * The registry of documents hires read (duties, procedures, the laws governing collection), with
 * their versions. HR publishes; a new version asks again every running onboarding that has the
 * document, and no other.
 */
export function documentRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const q = parseRequest(listDocumentsQuery, req.query, 'query');
    const where = q.kind ? { kind: q.kind } : {};
    reply(res, documentPageView, await pageFrom(q, (window) => db.document.findMany({ where, orderBy: [{ title: 'asc' }, { id: 'asc' }], ...window }), () => db.document.count({ where })));
  });

  router.get('/:documentId', async (req, res) => {
    const { documentId } = parseRequest(documentParams, req.params, 'params');
    const document = await db.document.findUnique({ where: { id: documentId }, include: { versions: { orderBy: { version: 'desc' } } } });
    if (!document) throw new HttpProblem(404, 'Not found', `no document ${documentId}`);
    reply(res, documentView, document);
  });

  /** A new document at version 1; the same Idempotency-Key gives the same document. */
  router.post('/', requireRole('hr'), async (req, res) => {
    const body = parseRequest(documentRequest, req.body, 'body');
    const caller = callerOf(req);
    const key = idempotencyKeyOf(req);
    const id = key ? idFor('document', caller.id, key) : randomUUID();
    const document = await db.$transaction(async (tx) => {
      const known = await tx.document.findUnique({ where: { id }, include: { versions: true } });
      if (known) return known;
      await tx.document.create({ data: { id, title: body.title, kind: body.kind } });
      await tx.documentVersion.create({ data: { documentId: id, version: 1, summary: body.summary, publishedById: caller.id } });
      await tx.auditEvent.create({ data: { key: `document:${id}:v1`, action: 'document.published', actorId: caller.id, payload: { documentId: id, version: 1, title: body.title } } });
      return tx.document.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    });
    res.location(`/api/v1/documents/${id}`);
    reply(res, documentView, document, 201);
  });

  /** A new version: the running onboardings that have this document ask their hire to read it again. */
  router.post('/:documentId/versions', requireRole('hr'), async (req, res) => {
    const { documentId } = parseRequest(documentParams, req.params, 'params');
    const body = parseRequest(documentVersionRequest, req.body, 'body');
    const caller = callerOf(req);
    const version = await db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM document WHERE id = ${documentId} FOR UPDATE`;
      if (!locked) throw new HttpProblem(404, 'Not found', `no document ${documentId}`);
      const next = locked.version + 1;
      await tx.document.update({ where: { id: documentId }, data: { version: next } });
      await tx.documentVersion.create({ data: { documentId, version: next, summary: body.summary, publishedById: caller.id } });
      await tx.auditEvent.create({ data: { key: `document:${documentId}:v${next}`, action: 'document.published', actorId: caller.id, payload: { documentId, version: next } } });
      return next;
    });
    const concerned = await db.onboarding.findMany({ where: { status: { in: ['open', 'passed'] }, finishedAt: null, documentIds: { has: documentId } }, select: { employeeId: true } });
    const told = await flows.tellRunning(concerned.map((o) => onboardingFlowId(o.employeeId)), documentRevised, { documentId, version });
    reply(res, documentPublishedView, { id: documentId, version, onboardingsTold: told }, 201);
  });

  return router;
}
