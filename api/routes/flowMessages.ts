import type { Request, Router } from 'express';
import type { z } from 'zod';
import type { FlowGateway } from '../flows';
import { callerOf, requireRole } from '../auth';
import type { Role } from '../../generated/prisma/enums';
import { idempotencyKeyOf, parseRequest } from '../problems';

/** An Idempotency-Key header turns into the update id, so a retried request is answered, not re-applied. */
export function updateIdOf(req: Request, what: string): string | undefined {
  const key = idempotencyKeyOf(req);
  return key ? `${what}:${callerOf(req).id}:${key}` : undefined;
}

/**
 * `POST /:id/<path>`: the validated body, plus who sends it, as one Update to the flow that
 * `flowOf` finds for the request. The flow decides whether that person may send it now; `onlyFor`
 * limits the route to these roles first.
 */
export function messageRoute<A>(
  router: Router,
  flows: FlowGateway,
  flowOf: (req: Request) => Promise<string>,
  path: string,
  request: z.ZodType<A>,
  update: Parameters<FlowGateway['send']>[1],
  onlyFor: Role[] = [],
): void {
  router.post(`/:id/${path}`, ...(onlyFor.length ? [requireRole(...onlyFor)] : []), async (req, res) => {
    const flowId = await flowOf(req);
    const body = parseRequest(request, req.body, 'body');
    res.json(await flows.send(flowId, update, { ...body, actorId: callerOf(req).id }, updateIdOf(req, path)));
  });
}
