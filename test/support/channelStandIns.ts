/**
 * Local servers standing in for the services notifications go to: a real SMTP server (the
 * `smtp-server` package) whose mails are parsed, and HTTP servers that check WeCom, DingTalk and
 * Feishu robot calls as those services document them (payload shape, signature, timestamp) and
 * answer as they do. Each can be told to fail its next calls, or to hold a call until released.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Robot = 'wecom' | 'dingtalk' | 'feishu';

const WECOM_KEY = 'wecom-robot-key';
const DINGTALK_TOKEN = 'dingtalk-access-token';
const DINGTALK_SECRET = 'SECdingtalk-signing-secret';
const FEISHU_HOOK = 'feishu-hook-id';
const FEISHU_SECRET = 'feishu-signing-secret';
const HOUR_MS = 3_600_000;

export interface StandIns {
  /** The environment variables that point Baton at these servers. */
  env: Record<string, string>;
  mails: ParsedMail[];
  /** Every call each robot accepted (its JSON body). */
  accepted: Record<Robot, Record<string, unknown>[]>;
  /** Calls each robot refused, with the reason it gave. */
  refused: Record<Robot, string[]>;
  /** The next `count` calls of a robot fail: an HTTP 500, or the service's own error code. */
  failNext(robot: Robot, count: number, how?: 'http' | 'errcode'): void;
  /** Holds the robot's next call unanswered until `release()`; `arrived` resolves when it comes. */
  hold(robot: Robot): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

export async function startStandIns(): Promise<StandIns> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const accepted: StandIns['accepted'] = { wecom: [], dingtalk: [], feishu: [] };
  const refused: StandIns['refused'] = { wecom: [], dingtalk: [], feishu: [] };
  const failing: Record<Robot, { count: number; how: 'http' | 'errcode' }> = { wecom: { count: 0, how: 'http' }, dingtalk: { count: 0, how: 'http' }, feishu: { count: 0, how: 'http' } };
  const held: Partial<Record<Robot, { arrive(): void; released: Promise<void> }>> = {};

  const http: Server = createServer((req, res) => {
    void answer(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  async function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, 'http://stand-in');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const robot: Robot | undefined = url.pathname === '/cgi-bin/webhook/send' ? 'wecom' : url.pathname === '/robot/send' ? 'dingtalk' : url.pathname.startsWith('/open-apis/bot/v2/hook/') ? 'feishu' : undefined;
    if (!robot) return void res.writeHead(404).end();
    const hold = held[robot];
    if (hold) {
      delete held[robot];
      hold.arrive();
      await hold.released;
    }
    const reply = (json: object) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (failing[robot].count > 0) {
      failing[robot].count--;
      if (failing[robot].how === 'http') return void res.writeHead(500).end('stand-in failure');
      return reply(robot === 'feishu' ? { code: 9499, msg: 'too many requests' } : { errcode: 45009, errmsg: 'api freq out of limit' });
    }
    const problem = robot === 'wecom' ? checkWecom(url, body) : robot === 'dingtalk' ? checkDingTalk(url, body) : checkFeishu(url, body);
    if (problem) {
      refused[robot].push(problem.reason);
      return reply(problem.reply);
    }
    accepted[robot].push(body);
    reply(robot === 'feishu' ? { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' } : { errcode: 0, errmsg: 'ok' });
  }
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    env: {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Baton 通知 <baton@example.cn>',
      WECOM_WEBHOOK_URL: `${base}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
      DINGTALK_WEBHOOK_URL: `${base}/robot/send?access_token=${DINGTALK_TOKEN}`,
      DINGTALK_SECRET,
      FEISHU_WEBHOOK_URL: `${base}/open-apis/bot/v2/hook/${FEISHU_HOOK}`,
      FEISHU_SECRET,
    },
    mails,
    accepted,
    refused,
    failNext: (robot, count, how = 'http') => void (failing[robot] = { count, how }),
    hold(robot) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => (arrive = r));
      held[robot] = { arrive, released: new Promise<void>((r) => (release = r)) };
      return { arrived, release };
    },
    close: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

type Check = { reason: string; reply: object } | undefined;

/** WeCom group robot: the key in the URL; a text message of at most 2,048 bytes. */
function checkWecom(url: URL, body: Record<string, unknown>): Check {
  if (url.searchParams.get('key') !== WECOM_KEY) return { reason: 'bad key', reply: { errcode: 93000, errmsg: 'invalid webhook url' } };
  const text = body.text as { content?: unknown; mentioned_mobile_list?: unknown } | undefined;
  if (body.msgtype !== 'text' || typeof text?.content !== 'string' || Buffer.byteLength(text.content) > 2048) return { reason: 'bad text', reply: { errcode: 40008, errmsg: 'invalid message type' } };
  if (text.mentioned_mobile_list !== undefined && !Array.isArray(text.mentioned_mobile_list)) return { reason: 'bad mentions', reply: { errcode: 40058, errmsg: 'invalid parameter' } };
  return undefined;
}

/** DingTalk robot: access_token, and with a secret `timestamp` (ms, within an hour) and `sign`,
 *  Base64 of HMAC-SHA256 over "timestamp\nsecret" keyed by the secret. */
function checkDingTalk(url: URL, body: Record<string, unknown>): Check {
  if (url.searchParams.get('access_token') !== DINGTALK_TOKEN) return { reason: 'bad token', reply: { errcode: 300001, errmsg: 'token is not exist' } };
  const timestamp = Number(url.searchParams.get('timestamp'));
  const expected = createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64');
  if (!timestamp || Math.abs(Date.now() - timestamp) > HOUR_MS || url.searchParams.get('sign') !== expected) return { reason: 'sign not match', reply: { errcode: 310000, errmsg: 'sign not match' } };
  const markdown = body.markdown as { title?: unknown; text?: unknown } | undefined;
  if (body.msgtype !== 'markdown' || typeof markdown?.title !== 'string' || typeof markdown.text !== 'string') return { reason: 'bad markdown', reply: { errcode: 40035, errmsg: 'missing parameter' } };
  return undefined;
}

/** Feishu custom bot: `timestamp` (seconds, within an hour) and `sign` in the body, Base64 of
 *  HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message. */
function checkFeishu(url: URL, body: Record<string, unknown>): Check {
  if (!url.pathname.endsWith(`/${FEISHU_HOOK}`)) return { reason: 'bad hook', reply: { code: 19001, msg: 'param invalid: incoming webhook access token invalid' } };
  const timestamp = Number(body.timestamp);
  const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
  if (!timestamp || Math.abs(Date.now() / 1000 - timestamp) > 3600 || body.sign !== expected) return { reason: 'sign match fail', reply: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } };
  const content = body.content as { text?: unknown } | undefined;
  if (body.msg_type !== 'text' || typeof content?.text !== 'string') return { reason: 'bad content', reply: { code: 9499, msg: 'Bad Request' } };
  return undefined;
}
