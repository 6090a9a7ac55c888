import { Router } from 'express';
import { z } from 'zod';
import { channelName, channelsFor, locale, type ChannelName, type Locale } from '../../domain/notifications';
import { Role } from '../../generated/prisma/enums';
import { Prisma } from '../../prisma/db';
import { callerOf, hasRole } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { employeePageView, notificationPreferencesView, reply } from '../views';
import { HttpProblem, parseRequest, refuseFields } from '../problems';

export const listEmployeesQuery = z.object({
  role: z.enum(Role).optional(),
  department: z.string().optional().meta({ description: 'department id, e.g. dept-collection' }),
  status: z.enum(['active', 'leaving', 'left', 'onboarding']).optional(),
  ...pageParams(),
});

export const employeeIdParams = z.object({ id: z.string().min(1).max(100) });

/** How someone wants to be reached; every field optional, what is left out stays as it was. */
export const notificationPreferences = z
  .object({
    channels: z
      .array(channelName)
      .max(5)
      .refine((c) => new Set(c).size === c.length, 'names a channel twice')
      .meta({ description: 'in order of preference; empty: the deployment’s default channels' }),
    locale,
    digest: z.boolean().meta({ description: 'reminders as one message at the start of each working day' }),
    email: z.email().max(200),
    mobile: z
      .string()
      .regex(/^1\d{10}$/, 'must be a mainland mobile number of 11 digits')
      .nullable()
      .meta({ description: 'for @-mentions by the WeCom and DingTalk robots' }),
    feishuUserId: z.string().trim().min(1).max(100).nullable().meta({ description: 'open_id for @-mentions by the Feishu bot' }),
  })
  .partial()
  .strict();

const PREFERENCES = { id: true, locale: true, email: true, mobile: true, feishuUserId: true, notifyChannels: true, reminderDigest: true } as const;

export function employeeRoutes({ db, notificationChannels }: ApiContext): Router {
  const router = Router();
  const asShown = (e: Prisma.EmployeeGetPayload<{ select: typeof PREFERENCES }>) => ({
    employeeId: e.id,
    channels: e.notifyChannels as ChannelName[],
    effectiveChannels: channelsFor(e.notifyChannels, notificationChannels),
    availableChannels: notificationChannels.configured,
    locale: e.locale as Locale,
    digest: e.reminderDigest,
    email: e.email,
    mobile: e.mobile,
    feishuUserId: e.feishuUserId,
  });
  /** People manage their own preferences; HR and admins anyone's. */
  const preferencesOf = async (req: Parameters<typeof callerOf>[0]) => {
    const { id } = parseRequest(employeeIdParams, req.params, 'params');
    const caller = callerOf(req);
    if (caller.id !== id && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'only the employee, HR or an admin may see or change how they are notified');
    const found = await db.employee.findUnique({ where: { id }, select: PREFERENCES });
    if (!found) throw new HttpProblem(404, 'Not found', `no employee ${id}`);
    return found;
  };

  router.get('/:id/notification-preferences', async (req, res) => {
    reply(res, notificationPreferencesView, asShown(await preferencesOf(req)));
  });

  router.patch('/:id/notification-preferences', async (req, res) => {
    const { id } = await preferencesOf(req);
    const p = parseRequest(notificationPreferences, req.body, 'body');
    refuseFields(
      (p.channels ?? [])
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => !notificationChannels.configured.includes(c))
        .map(({ c, i }) => ({ field: `channels.${i}`, reason: `${c} is not set up on this deployment (it has ${notificationChannels.configured.join(', ')})` })),
    );
    try {
      const updated = await db.employee.update({
        where: { id },
        data: { notifyChannels: p.channels, locale: p.locale, reminderDigest: p.digest, email: p.email, mobile: p.mobile, feishuUserId: p.feishuUserId },
        select: PREFERENCES,
      });
      reply(res, notificationPreferencesView, asShown(updated));
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') refuseFields([{ field: 'email', reason: 'belongs to another employee' }]);
      throw err;
    }
  });

  router.get('/', async (req, res) => {
    const q = parseRequest(listEmployeesQuery, req.query, 'query');
    const where = { roles: q.role ? { has: q.role } : undefined, departmentId: q.department, status: q.status };
    reply(
      res,
      employeePageView,
      await pageFrom(
        q,
        (window) =>
          db.employee.findMany({
            where,
            orderBy: { employeeNo: 'asc' },
            select: { id: true, employeeNo: true, name: true, email: true, departmentId: true, managerId: true, roles: true, status: true, locale: true },
            ...window,
          }),
        () => db.employee.count({ where }),
      ),
    );
  });
  return router;
}
