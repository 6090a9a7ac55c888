/**
 * Notifications reaching people over the real protocols, from real flows: a real SMTP server and
 * local stand-ins for the WeCom, DingTalk and Feishu robots that check format and signature. A
 * channel that fails recovers by retries; one that stays down ends `failed`, visible on the flow
 * and to operators, without holding up the other channels.
 */
import pino from 'pino';
import request from 'supertest';
import { courierFrom, sendDueDeliveries } from '../activities/notifications';
import { settingsFrom } from '../domain/settings';
import { startStandIns, type StandIns } from './support/channelStandIns';
import { draftPlan, eventually, people } from './support/fixtures';
import { demoCallers } from './support/http';
import { startTestStack, type TestStack } from './support/stack';

let im: StandIns;
let stack: TestStack;
let as: Awaited<ReturnType<typeof demoCallers>>;
let notifications: ReturnType<typeof settingsFrom>['notifications'];
const api = () => request(stack.app);
const head = people.collectionHead;
const WEB = 'https://baton.example.cn';

beforeAll(async () => {
  im = await startStandIns();
  notifications = settingsFrom({
    ...im.env,
    NOTIFY_CHANNELS: 'email',
    NOTIFY_QUIET_HOURS: 'off',
    NOTIFY_RETRY_AFTER: 'PT0.2S',
    NOTIFY_MAX_ATTEMPTS: '3',
    WEB_APP_URL: WEB,
  }).notifications;
  stack = await startTestStack({ notifications });
  as = await demoCallers(stack);
  const res = await api()
    .patch(`/api/v1/employees/${head.id}/notification-preferences`)
    .set(as('collectionHead'))
    .send({ channels: ['email', 'wecom', 'dingtalk', 'feishu'], mobile: '13800138008', feishuUserId: 'ou_zhouguoqiang' });
  expect(res.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await im?.close();
});

/** Submits a new plan whose approval task reminds its approver after a second; answers the task. */
async function submitPlan(title: string): Promise<{ taskId: string; flowId: string }> {
  const plan = await draftPlan(stack.db);
  await stack.db.trainingPlan.update({ where: { id: plan.id }, data: { title } });
  const res = await api()
    .post(`/api/v1/training-plans/${plan.id}/submit`)
    .set(as('hrOfficer'))
    .send({ settings: { chasing: { plan_approval: { remindAfter: 'PT1S', remindEvery: 'PT1H', maxReminders: 1, escalateAfter: 'PT2H', escalateTo: ['manager'] } } } });
  expect(res.status).toBe(202);
  return { taskId: res.body.next[0].taskId, flowId: res.body.flowId };
}

/** The deliveries of a task's notifications to the head, once none of them is pending. */
async function settledDeliveries(taskId: string, count: number) {
  return eventually(async () => {
    const rows = await stack.db.notificationDelivery.findMany({ where: { notification: { taskId, recipientId: head.id } }, include: { notification: true }, orderBy: { channel: 'asc' } });
    return rows.length === count && rows.every((d) => d.status !== 'pending') ? rows : undefined;
  }, `${count} settled deliveries of task ${taskId}`);
}

test('a new task and its reminder reach the approver by e-mail, WeCom, DingTalk and Feishu, each in its own protocol, with the link', async () => {
  const preferences = await api().get(`/api/v1/employees/${head.id}/notification-preferences`).set(as('collectionHead'));
  expect(preferences.body).toMatchObject({ channels: ['email', 'wecom', 'dingtalk', 'feishu'], effectiveChannels: ['email', 'wecom', 'dingtalk', 'feishu'], locale: 'zh-CN', digest: false });

  const { taskId } = await submitPlan('催收话术培训');
  const deliveries = await settledDeliveries(taskId, 8); // assigned + reminder, on four channels
  expect(deliveries.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
  const link = `${WEB}/tasks/${taskId}`;

  const mails = im.mails.filter((m) => m.text?.includes(link));
  expect(mails.map((m) => m.subject!.replace(/：.*/, '')).sort()).toEqual(['催办', '新待办']);
  expect(mails.every((m) => m.subject!.includes('催收话术培训'))).toBe(true);
  for (const mail of mails) {
    expect(mail.to).toMatchObject({ value: [{ address: head.email, name: head.name }] });
    expect(mail.from).toMatchObject({ value: [{ address: 'baton@example.cn' }] });
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@baton>$/);
    expect(mail.headers.get('content-language')).toBe('zh-CN');
    expect(mail.text).toContain(`查看并处理: ${link}`);
  }

  const wecom = im.accepted.wecom.filter((b) => JSON.stringify(b).includes(link));
  expect(wecom).toHaveLength(2);
  expect(wecom[0]).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: ['13800138008'] } });
  const dingtalk = im.accepted.dingtalk.filter((b) => JSON.stringify(b).includes(link));
  expect(dingtalk).toHaveLength(2);
  expect(dingtalk[0]).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800138008'], isAtAll: false } });
  expect((dingtalk[0]!.markdown as { text: string }).text).toContain('@13800138008');
  const feishu = im.accepted.feishu.filter((b) => JSON.stringify(b).includes(link));
  expect(feishu).toHaveLength(2);
  expect((feishu[0]!.content as { text: string }).text).toContain('<at user_id="ou_zhouguoqiang">周国强</at>');
  expect([...im.refused.wecom, ...im.refused.dingtalk, ...im.refused.feishu]).toEqual([]);
});

test('a channel that fails twice is tried again with backoff and delivers once; the others are not held up', async () => {
  im.failNext('wecom', 2, 'errcode');
  const { taskId } = await submitPlan('收费系统操作培训');
  const deliveries = await settledDeliveries(taskId, 8);
  const wecom = deliveries.filter((d) => d.channel === 'wecom');
  expect(wecom.map((d) => [d.status, d.lastError])).toEqual([
    ['sent', null],
    ['sent', null],
  ]);
  // Two failed calls spread over two deliveries: four attempts in all.
  expect(wecom.reduce((sum, d) => sum + d.attempts, 0)).toBe(4);
  expect(deliveries.filter((d) => d.channel !== 'wecom').every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
  expect(im.accepted.wecom.filter((b) => JSON.stringify(b).includes(taskId))).toHaveLength(2);
});

test('a channel that stays down ends failed after its attempts, shown on the flow and to operators, and can be sent again', async () => {
  im.failNext('feishu', 1000);
  const { taskId, flowId } = await submitPlan('客户沟通技巧培训');
  const deliveries = await settledDeliveries(taskId, 8);
  const failed = deliveries.filter((d) => d.status === 'failed');
  expect(failed.map((d) => [d.channel, d.attempts, d.lastError])).toEqual([
    ['feishu', 3, 'HTTP 500 from the webhook'],
    ['feishu', 3, 'HTTP 500 from the webhook'],
  ]);
  expect(failed.every((d) => d.notification.status === 'failed')).toBe(true);
  expect(deliveries.filter((d) => d.channel !== 'feishu').every((d) => d.status === 'sent')).toBe(true);

  const flow = await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}`).set(as('hrOfficer'));
  expect(flow.body.notifications).toMatchObject({ failed: 2, pending: 0 });
  expect(flow.body.notifications.sent).toBeGreaterThanOrEqual(6);
  expect(flow.body.notifications.failures[0]).toMatchObject({ channel: 'feishu', attempts: 3, lastError: 'HTTP 500 from the webhook', notification: { recipientId: head.id, taskId } });

  const listed = await api().get(`/api/v1/notifications/deliveries?status=failed&channel=feishu&flow=${encodeURIComponent(flowId)}`).set(as('hrOfficer'));
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((d: { id: string }) => d.id).sort()).toEqual(failed.map((d) => d.id).sort());
  expect((await api().get('/api/v1/notifications/deliveries').set(as('collectorA'))).status).toBe(403);

  im.failNext('feishu', 0);
  const again = await api().post(`/api/v1/notifications/deliveries/${failed[0]!.id}/retry`).set(as('hrOfficer'));
  expect(again.body).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  expect((await api().post(`/api/v1/notifications/deliveries/${failed[0]!.id}/retry`).set(as('hrOfficer'))).status).toBe(409);
  // The worker's sweep sends it within a minute; here the same pass runs at once.
  expect(await sendDueDeliveries(stack.db, courierFrom(notifications, pino({ level: 'silent' })), 'feishu')).toMatchObject({ sent: 1 });
  const notification = await stack.db.notification.findUniqueOrThrow({ where: { id: failed[0]!.notificationId } });
  expect(notification.status).toBe('sent');
});

test('preferences are the employee’s own, or HR’s to change, and name only channels this deployment has', async () => {
  expect((await api().get(`/api/v1/employees/${head.id}/notification-preferences`).set(as('collectorA'))).status).toBe(403);
  const bad = await api()
    .patch(`/api/v1/employees/${people.collectorA.id}/notification-preferences`)
    .set(as('collectorA'))
    .send({ channels: ['email', 'email'], mobile: '12345', locale: 'fr', digest: 'yes' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channels', 'digest', 'locale', 'mobile']);
  const taken = await api().patch(`/api/v1/employees/${people.collectorA.id}/notification-preferences`).set(as('hrOfficer')).send({ email: head.email });
  expect(taken.status).toBe(422);
  expect(taken.body.errors).toEqual([{ field: 'email', reason: 'belongs to another employee' }]);
  const ok = await api().patch(`/api/v1/employees/${people.collectorA.id}/notification-preferences`).set(as('hrOfficer')).send({ digest: true, locale: 'en' });
  expect(ok.body).toMatchObject({ digest: true, locale: 'en', channels: [], effectiveChannels: ['email'] });
});
