import { Router } from 'express';
import { z } from 'zod';
import { channelName, PRIVATE_NOTICE } from '../../domain/notifications';
import { requireRole } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest } from '../problems';
import { deliveryPageView, deliveryView, reply } from '../views';

export const listDeliveriesQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  channel: channelName.optional(),
  recipient: z.string().max(100).optional().meta({ description: 'employee id' }),
  flow: z.string().max(300).optional().meta({ description: 'flow id' }),
  ...pageParams(),
});
export const deliveryIdParams = z.object({ id: z.uuid('must be a delivery id (a UUID)') });

const SHOWN = {
  id: true,
  channel: true,
  status: true,
  digest: true,
  attempts: true,
  lastError: true,
  notBefore: true,
  sentAt: true,
  createdAt: true,
  notification: { select: { key: true, template: true, recipientId: true, flowId: true, taskId: true, critical: true } },
} as const;

/** What operators may see: never a notification private to its recipient (it would name them). */
const notPrivate = { NOT: { key: { startsWith: PRIVATE_NOTICE } } };

/** Operators see every delivery, above all the failed ones, and send a failed one again. */
export function notificationRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.use(requireRole('hr', 'admin'));

  router.get('/deliveries', async (req, res) => {
    const q = parseRequest(listDeliveriesQuery, req.query, 'query');
    const where = { status: q.status, channel: q.channel, notification: { recipientId: q.recipient, flowId: q.flow, ...notPrivate } };
    reply(
      res,
      deliveryPageView,
      await pageFrom(
        q,
        (window) => db.notificationDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], select: SHOWN, ...window }),
        () => db.notificationDelivery.count({ where }),
      ),
    );
  });

  /** A failed delivery goes again with fresh attempts; the worker's next sweep (within a minute) sends it. */
  router.post('/deliveries/:id/retry', async (req, res) => {
    const { id } = parseRequest(deliveryIdParams, req.params, 'params');
    const retried = await db.$transaction(async (tx) => {
      const { count } = await tx.notificationDelivery.updateMany({
        where: { id, status: 'failed', notification: notPrivate },
        data: { status: 'pending', attempts: 0, notBefore: new Date(), lastError: null },
      });
      if (count === 0) return undefined;
      const delivery = await tx.notificationDelivery.findUniqueOrThrow({ where: { id }, select: SHOWN });
      await tx.notification.updateMany({ where: { key: delivery.notification.key, status: 'failed' }, data: { status: 'pending' } });
      return delivery;
    });
    if (!retried) {
      const found = await db.notificationDelivery.findFirst({ where: { id, notification: notPrivate }, select: { status: true } });
      if (!found) throw new HttpProblem(404, 'Not found', `no delivery ${id}`);
      throw new HttpProblem(409, 'Conflict', `the delivery is ${found.status}; only a failed one is sent again`);
    }
    reply(res, deliveryView, retried);
  });

  return router;
}
