import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { textOf, type ChannelName, type Message } from '../domain/notifications';
import type { NotificationSettings } from '../domain/settings';

/** Whom a message goes to, with what each channel needs to reach them. */
export interface Addressee {
  id: string;
  name: string;
  locale: string;
  email: string | null;
  mobile: string | null;
  feishuUserId: string | null;
}

export interface Outgoing {
  /** Stable across retries: the e-mail's Message-ID, so a resent mail is recognised as the same one. */
  dedupKey: string;
  to: Addressee;
  message: Message;
}

/** A send no retry can help (say, nobody has an e-mail address on file): the delivery fails at once. */
export class Undeliverable extends Error {}

export interface Channel {
  send(out: Outgoing): Promise<void>;
}

/** How long one send may take before it counts as failed (and is tried again later). */
export const SEND_TIMEOUT_MS = 10_000;

/** The channels a deployment has configured, the log always among them. */
export function channelsFrom(settings: NotificationSettings, log: Logger): Partial<Record<ChannelName, Channel>> {
  const { email, wecom, dingtalk, feishu } = settings.channels;
  return {
    log: logChannel(log),
    ...(email && { email: emailChannel(email.smtpUrl, email.from) }),
    ...(wecom && { wecom: wecomChannel(wecom.webhookUrl) }),
    ...(dingtalk && { dingtalk: dingTalkChannel(dingtalk.webhookUrl, dingtalk.secret) }),
    ...(feishu && { feishu: feishuChannel(feishu.webhookUrl, feishu.secret) }),
  };
}

export function logChannel(log: Logger): Channel {
  return {
    send: async ({ dedupKey, to, message }) => {
      log.info({ notification: dedupKey, to: to.id, toName: to.name, subject: message.subject, body: message.body, link: message.link }, 'notification');
    },
  };
}

function emailChannel(smtpUrl: string, from: string): Channel {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async ({ dedupKey, to, message }) => {
      if (!to.email) throw new Undeliverable(`${to.name} has no e-mail address`);
      try {
        await withTimeout(
          transport.sendMail({
            from,
            to: { name: to.name, address: to.email },
            subject: message.subject,
            text: textOf(message, to.locale),
            messageId: `<${dedupKey}@baton>`,
            headers: { 'Content-Language': to.locale },
          }),
        );
      } catch (err) {
        // 5xx: the server refuses this mail for good (no such mailbox, say).
        const code = (err as { responseCode?: number }).responseCode;
        if (code && code >= 500) throw new Undeliverable(`the mail server refused it: ${(err as Error).message}`);
        throw err;
      }
    },
  };
}

/** WeCom group robot (企业微信群机器人): a text message @-mentioning the person by mobile. */
function wecomChannel(webhookUrl: string): Channel {
  return {
    send: async ({ to, message }) => {
      const reply = await postJson(webhookUrl, {
        msgtype: 'text',
        text: { content: `${message.subject}\n${textOf(message, to.locale)}`, mentioned_mobile_list: to.mobile ? [to.mobile] : [] },
      });
      if (reply.errcode !== 0) throw new Error(`WeCom answered errcode ${String(reply.errcode)}: ${String(reply.errmsg)}`);
    },
  };
}

/** DingTalk's signature of a robot call: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, Base64. */
export function dingTalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** DingTalk group robot (钉钉群机器人): markdown @-mentioning the person, signed when a secret is set. */
function dingTalkChannel(webhookUrl: string, secret?: string): Channel {
  return {
    send: async ({ to, message }) => {
      const url = new URL(webhookUrl);
      if (secret) {
        const timestamp = Date.now();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingTalkSign(timestamp, secret));
      }
      const mention = to.mobile ? `\n\n@${to.mobile}` : '';
      const reply = await postJson(url.toString(), {
        msgtype: 'markdown',
        markdown: { title: message.subject, text: `#### ${message.subject}\n\n${message.body}\n\n[${to.locale === 'en' ? 'Open' : '查看并处理'}](${message.link})${mention}` },
        at: { atMobiles: to.mobile ? [to.mobile] : [], isAtAll: false },
      });
      if (reply.errcode !== 0) throw new Error(`DingTalk answered errcode ${String(reply.errcode)}: ${String(reply.errmsg)}`);
    },
  };
}

/** Feishu's signature of a bot call: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing, Base64. */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Feishu custom bot (飞书自定义机器人): text @-mentioning the person, signed when a secret is set. */
function feishuChannel(webhookUrl: string, secret?: string): Channel {
  return {
    send: async ({ to, message }) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const mention = to.feishuUserId ? `<at user_id="${to.feishuUserId}">${to.name}</at> ` : '';
      const reply = await postJson(webhookUrl, {
        ...(secret && { timestamp: String(timestamp), sign: feishuSign(timestamp, secret) }),
        msg_type: 'text',
        content: { text: `${mention}${message.subject}\n${textOf(message, to.locale)}` },
      });
      if (reply.code !== 0) throw new Error(`Feishu answered code ${String(reply.code)}: ${String(reply.msg)}`);
    },
  };
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status} from the webhook`);
  return (await res.json()) as Record<string, unknown>;
}

function withTimeout<T>(sending: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS)));
  return Promise.race([sending, timeout]).finally(() => clearTimeout(timer));
}
