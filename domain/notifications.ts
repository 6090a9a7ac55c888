import { z } from 'zod';
import { durationMs } from './durations';
import { nextWorkingDayStart, nextWorkingMoment, type WorkingTimeSettings } from './workingTime';

/** Notification templates in every supported locale. Params are plain strings. */
export type Locale = 'zh-CN' | 'en';
export const locale = z.enum(['zh-CN', 'en']);
export type Template = keyof typeof templates;

type Params = Record<string, string>;
type Render = (p: Params) => { subject: string; body: string };

const templates = {
  task_assigned: {
    'zh-CN': (p) => ({ subject: `新待办：${p.title}`, body: `您有一项新的待办「${p.title}」，请于 ${p.dueAt} 前处理。` }),
    en: (p) => ({ subject: `New task: ${p.title}`, body: `You have a new task "${p.title}", due ${p.dueAt}.` }),
  },
  task_reminder: {
    'zh-CN': (p) => ({ subject: `催办：${p.title}`, body: `待办「${p.title}」尚未处理（第 ${p.reminder} 次提醒），截止时间 ${p.dueAt}。` }),
    en: (p) => ({ subject: `Reminder: ${p.title}`, body: `Task "${p.title}" is still open (reminder ${p.reminder}); it is due ${p.dueAt}.` }),
  },
  task_transferred: {
    'zh-CN': (p) => ({ subject: `转交待办：${p.title}`, body: `${p.fromName} 将待办「${p.title}」转交给您，原因：${p.reason}。请于 ${p.dueAt} 前处理。` }),
    en: (p) => ({ subject: `Task transferred to you: ${p.title}`, body: `${p.fromName} transferred the task "${p.title}" to you: ${p.reason}. It is due ${p.dueAt}.` }),
  },
  task_signer_added: {
    'zh-CN': (p) => ({ subject: `加签：${p.title}`, body: `${p.adderName} 请您在其${p.position === 'before' ? '之前' : '同意之后'}审批「${p.title}」，原因：${p.reason}。${p.position === 'before' ? '待办已在您的收件箱。' : '轮到您时会再通知您。'}` }),
    en: (p) => ({ subject: `Added as a signer: ${p.title}`, body: `${p.adderName} asks you to decide "${p.title}" ${p.position === 'before' ? 'before them' : 'once they agree'}: ${p.reason}. ${p.position === 'before' ? 'The task is in your inbox.' : 'You will hear when it is your turn.'}` }),
  },
  task_back_with_you: {
    'zh-CN': (p) => ({ subject: `请继续审批：${p.title}`, body: `${p.signerName} 已同意，「${p.title}」回到您处，请于 ${p.dueAt} 前处理。` }),
    en: (p) => ({ subject: `Back with you: ${p.title}`, body: `${p.signerName} agreed; "${p.title}" is back with you, due ${p.dueAt}.` }),
  },
  flow_cc: {
    'zh-CN': (p) => ({ subject: `抄送：${p.subject}`, body: `${p.fromName} 将流程「${p.subject}」抄送给您${p.note ? `：${p.note}` : ''}。您可查看流程进展。` }),
    en: (p) => ({ subject: `Copied in: ${p.subject}`, body: `${p.fromName} copied you in on "${p.subject}"${p.note ? `: ${p.note}` : ''}. You may follow the flow.` }),
  },
  flow_comment: {
    'zh-CN': (p) => ({ subject: `新评论：${p.subject}`, body: `${p.authorName} 在流程「${p.subject}」中评论：${p.text}${p.attachments !== '0' ? `（附件 ${p.attachments} 个）` : ''}` }),
    en: (p) => ({ subject: `New comment: ${p.subject}`, body: `${p.authorName} commented on "${p.subject}": ${p.text}${p.attachments !== '0' ? ` (${p.attachments} attachment(s))` : ''}` }),
  },
  task_delegated: {
    'zh-CN': (p) => ({ subject: `代理待办：${p.title}`, body: `${p.fromName} 不在岗期间，待办「${p.title}」由您代为处理（${p.reason}）。请于 ${p.dueAt} 前处理。` }),
    en: (p) => ({ subject: `Acting for ${p.fromName}: ${p.title}`, body: `While ${p.fromName} is away (${p.reason}), you act for them on "${p.title}". It is due ${p.dueAt}.` }),
  },
  delegation_scheduled: {
    'zh-CN': (p) => ({ subject: `代理审批：${p.ownerName}`, body: `${p.startsAt} 至 ${p.endsAt}，${p.ownerName} 的待办由您代为处理（${p.reason}）。` }),
    en: (p) => ({ subject: `You act for ${p.ownerName}`, body: `From ${p.startsAt} to ${p.endsAt} you act for ${p.ownerName} on their tasks (${p.reason}).` }),
  },
  delegation_ended: {
    'zh-CN': (p) => ({ subject: `代理结束：${p.ownerName}`, body: `${p.ownerName} 的代理已结束${p.reason ? `（${p.reason}）` : ''}，新的待办将回到本人。` }),
    en: (p) => ({ subject: `Delegation ended: ${p.ownerName}`, body: `The delegation of ${p.ownerName}'s tasks has ended${p.reason ? ` (${p.reason})` : ''}; new tasks go to them again.` }),
  },
  staffing_started: {
    'zh-CN': (p) => ({ subject: `人员调整：${p.coveringName} 接管 ${p.coveredName} 的客户`, body: `${p.endsAt} 前，${p.coveredName} 的 ${p.accounts} 户欠费客户由 ${p.coveringName} 负责（${p.reason}）。` }),
    en: (p) => ({ subject: `Staffing adjustment: ${p.coveringName} covers ${p.coveredName}`, body: `Until ${p.endsAt}, ${p.coveringName} holds ${p.accounts} of ${p.coveredName}'s delinquent accounts (${p.reason}).` }),
  },
  staffing_ended: {
    'zh-CN': (p) => ({ subject: `人员调整结束：${p.coveringName} / ${p.coveredName}`, body: `人员调整已${p.how === 'permanent' ? '转为长期，客户留在 ' + p.coveringName + ' 名下' : '结束，客户已交回 ' + p.coveredName}${p.reason ? `（${p.reason}）` : ''}。` }),
    en: (p) => ({ subject: `Staffing adjustment over: ${p.coveringName} / ${p.coveredName}`, body: `The staffing adjustment ${p.how === 'permanent' ? `is now permanent; the accounts stay with ${p.coveringName}` : `has ended; the accounts are back with ${p.coveredName}`}${p.reason ? ` (${p.reason})` : ''}.` }),
  },
  survey_closed: {
    'zh-CN': (p) => ({ subject: `调研已结束：${p.title}`, body: `「${p.title}」已结束，${p.invited} 人中 ${p.responses} 人作答。请查看结果并指派改进行动。` }),
    en: (p) => ({ subject: `Survey closed: ${p.title}`, body: `"${p.title}" has closed with ${p.responses} of ${p.invited} answering. Review the results and assign actions.` }),
  },
  suggestion_answered: {
    'zh-CN': (p) => ({ subject: `您的意见已回复：${p.title}`, body: `您提交的意见「${p.title}」已由${p.departmentName}回复（${p.accepted === 'true' ? '已采纳' : '未采纳'}）：${p.answer}` }),
    en: (p) => ({ subject: `Your suggestion was answered: ${p.title}`, body: `${p.departmentName} answered your suggestion "${p.title}" (${p.accepted === 'true' ? 'accepted' : 'not accepted'}): ${p.answer}` }),
  },
  career_plan_reviewed: {
    'zh-CN': (p) => ({ subject: `职业规划已回顾`, body: `${p.reviewerName} 与您回顾了职业规划：${p.comment}。下次回顾：${p.nextReviewAt}。` }),
    en: (p) => ({ subject: `Your career plan was reviewed`, body: `${p.reviewerName} reviewed your career plan with you: ${p.comment}. Next review: ${p.nextReviewAt}.` }),
  },
  promotion_result: {
    'zh-CN': (p) => ({ subject: `晋升结果：${p.title}`, body: `您申请的岗位「${p.title}」已有结果：${p.selected === 'true' ? '您已获选' : '您未获选'}。您的加权得分为 ${p.score}（满分 5）。理由：${p.reason}` }),
    en: (p) => ({ subject: `Promotion result: ${p.title}`, body: `The vacancy "${p.title}" you applied for is decided: ${p.selected === 'true' ? 'you were selected' : 'you were not selected'}. Your weighted score is ${p.score} of 5. Reason: ${p.reason}` }),
  },
  vacancy_cancelled: {
    'zh-CN': (p) => ({ subject: `岗位已取消：${p.title}`, body: `您申请的岗位「${p.title}」已取消：${p.reason}` }),
    en: (p) => ({ subject: `Vacancy cancelled: ${p.title}`, body: `The vacancy "${p.title}" you applied for was cancelled: ${p.reason}` }),
  },
  onboarding_welcome: {
    'zh-CN': (p) => ({ subject: `入职安排：${p.name}`, body: `${p.name} 将于 ${p.startDate} 入职，入职培训的各项待办已发出，请按时完成。` }),
    en: (p) => ({ subject: `Onboarding: ${p.name}`, body: `${p.name} starts on ${p.startDate}; the onboarding's tasks are in the inboxes, each with its due date.` }),
  },
  onboarding_passed: {
    'zh-CN': (p) => ({ subject: `入职考核通过：${p.name}`, body: `${p.name} 以 ${p.score} 分通过入职考核，已转为正式在岗，可分配首批客户。` }),
    en: (p) => ({ subject: `Onboarding assessment passed: ${p.name}`, body: `${p.name} passed the onboarding assessment with ${p.score} and is now active; a first portfolio may be assigned.` }),
  },
  onboarding_probation_decided: {
    'zh-CN': (p) => ({ subject: `试用期决定：${p.name}`, body: `${p.name} 两次考核未通过，人力资源部与部门负责人决定：${({ extend: '延长试用期', reassign: '调整部门/上级', end: '结束试用' } as Record<string, string>)[p.decision ?? ''] ?? p.decision}。理由：${p.reason}` }),
    en: (p) => ({ subject: `Probation decided: ${p.name}`, body: `After a second failed assessment, HR and the head decided for ${p.name}: ${({ extend: 'probation extended', reassign: 'reassigned to another department or manager', end: 'probation ended' } as Record<string, string>)[p.decision ?? ''] ?? p.decision}. Reason: ${p.reason}` }),
  },
  task_escalated: {
    'zh-CN': (p) => ({ subject: `升级督办：${p.title}`, body: `${p.assigneeName} 的待办「${p.title}」已逾期，现升级给您（第 ${p.level} 级），您可代为处理。` }),
    en: (p) => ({ subject: `Escalated: ${p.title}`, body: `${p.assigneeName}'s task "${p.title}" is overdue and is escalated to you (level ${p.level}); you may act on their behalf.` }),
  },
  flow_stalled: {
    'zh-CN': (p) => ({ subject: `流程停滞：${p.subject}`, body: `流程「${p.subject}」无法继续：${p.reason}。请调整组织设置后在流程页面点击重试。` }),
    en: (p) => ({ subject: `Flow stalled: ${p.subject}`, body: `The flow "${p.subject}" cannot go on: ${p.reason}. Fix the organisation, then resume it (POST /flows/:id/resume).` }),
  },
  accounts_still_arriving: {
    'zh-CN': (p) => ({ subject: `客户仍在分配给离职人员：${p.leaverName}`, body: `${p.leaverName} 的交接已进行 ${p.rounds} 轮，仍有 ${p.count} 个客户分配给其本人。请查明是谁仍在分配客户并停止。` }),
    en: (p) => ({ subject: `Accounts still reach the leaver: ${p.leaverName}`, body: `After ${p.rounds} handover rounds, ${p.count} accounts are still assigned to ${p.leaverName}. Find out who keeps assigning them and stop it.` }),
  },
  session_invitation: {
    'zh-CN': (p) => ({ subject: `培训通知：${p.title}`, body: `培训「${p.title}」将于 ${p.startsAt} 至 ${p.endsAt} 在${p.location || '待定地点'}举行，日历邀请见附件。` }),
    en: (p) => ({ subject: `Training: ${p.title}`, body: `The training "${p.title}" runs ${p.startsAt} – ${p.endsAt}${p.location ? ` at ${p.location}` : ''}; the calendar invitation is attached.` }),
  },
  session_rescheduled: {
    'zh-CN': (p) => ({ subject: `培训改期：${p.title}`, body: `培训「${p.title}」改为 ${p.startsAt} 至 ${p.endsAt}${p.location ? `，地点${p.location}` : ''}。原因：${p.reason}` }),
    en: (p) => ({ subject: `Training moved: ${p.title}`, body: `The training "${p.title}" now runs ${p.startsAt} – ${p.endsAt}${p.location ? ` at ${p.location}` : ''}. Reason: ${p.reason}` }),
  },
  session_cancelled: {
    'zh-CN': (p) => ({ subject: `培训取消：${p.title}`, body: `原定于 ${p.startsAt} 的培训「${p.title}」已取消。原因：${p.reason}` }),
    en: (p) => ({ subject: `Training cancelled: ${p.title}`, body: `The training "${p.title}" planned for ${p.startsAt} is cancelled. Reason: ${p.reason}` }),
  },
  session_preparation_late: {
    'zh-CN': (p) => ({ subject: `培训准备未完成：${p.title}`, body: `培训「${p.title}」将于 ${p.startsAt} 开始，以下准备尚未完成：${p.open}。` }),
    en: (p) => ({ subject: `Training not ready: ${p.title}`, body: `The training "${p.title}" starts ${p.startsAt} and this preparation is still open: ${p.open}.` }),
  },
  session_absent: {
    'zh-CN': (p) => ({ subject: `培训缺席：${p.name}`, body: `${p.name} 未参加 ${p.startsAt} 的培训「${p.title}」。` }),
    en: (p) => ({ subject: `Missed training: ${p.name}`, body: `${p.name} did not attend the training "${p.title}" on ${p.startsAt}.` }),
  },
  followup_still_below: {
    'zh-CN': (p) => ({ subject: `辅导后仍未达标：${p.name}`, body: `${p.name} 在「${p.title}」的跟踪辅导（${p.reason}）后复核仍未达标，已记录。` }),
    en: (p) => ({ subject: `Still below after coaching: ${p.name}`, body: `${p.name} is still below the bar after coaching (${p.reason}) in the follow-up of "${p.title}"; this is on record.` }),
  },
  followup_recognised: {
    'zh-CN': (p) => ({ subject: `培训表彰：${p.title}`, body: `恭喜！您在「${p.title}」的培训效果评估中成绩优异（综合 ${p.overall} 分），获得表彰。` }),
    en: (p) => ({ subject: `Recognised: ${p.title}`, body: `Congratulations: your results in "${p.title}" (overall ${p.overall}) earned you a recognition.` }),
  },
  task_cancelled: {
    'zh-CN': (p) => ({ subject: `待办已取消：${p.title}`, body: `待办「${p.title}」已取消：${p.reason}。` }),
    en: (p) => ({ subject: `Task cancelled: ${p.title}`, body: `Task "${p.title}" was cancelled: ${p.reason}.` }),
  },
  plan_outcome: {
    'zh-CN': (p) => ({ subject: `培训计划「${p.title}」：${zhOutcome[p.outcome ?? ''] ?? p.outcome}`, body: `培训计划「${p.title}」${zhOutcome[p.outcome ?? ''] ?? p.outcome}。${p.comment ? `意见：${p.comment}` : ''}` }),
    en: (p) => ({ subject: `Training plan "${p.title}": ${p.outcome?.replace('_', ' ')}`, body: `Training plan "${p.title}" was ${p.outcome?.replace('_', ' ')}.${p.comment ? ` Comment: ${p.comment}` : ''}` }),
  },
  handover_items_ready: {
    'zh-CN': (p) => ({ subject: `交接事项待确认（${p.count} 项）`, body: `有 ${p.count} 项交接事项已完成，请核验。` }),
    en: (p) => ({ subject: `${p.count} handover items to verify`, body: `${p.count} handover items were completed and await your verification.` }),
  },
  handover_items_reopened: {
    'zh-CN': (p) => ({ subject: `交接事项被退回（${p.count} 项）`, body: `有 ${p.count} 项交接事项被退回：${p.comment}` }),
    en: (p) => ({ subject: `${p.count} handover items reopened`, body: `${p.count} handover items were reopened: ${p.comment}` }),
  },
  handover_items_reminder: {
    'zh-CN': (p) => ({ subject: `催办：${p.count} 项交接事项`, body: `您还有 ${p.count} 项交接事项未完成，截止时间 ${p.dueAt}。` }),
    en: (p) => ({ subject: `Reminder: ${p.count} handover items`, body: `You have ${p.count} handover items still open, due ${p.dueAt}.` }),
  },
  handover_items_escalated: {
    'zh-CN': (p) => ({ subject: `交接逾期升级：${p.ownerName}（${p.count} 项）`, body: `${p.ownerName} 有 ${p.count} 项交接事项已逾期（截止 ${p.dueAt}），现升级给您（第 ${p.level} 级）。` }),
    en: (p) => ({ subject: `Overdue handover: ${p.ownerName} (${p.count} items)`, body: `${p.ownerName} has ${p.count} handover items overdue (due ${p.dueAt}); escalated to you (level ${p.level}).` }),
  },
  handover_critical: {
    'zh-CN': (p) => ({ subject: `【紧急】最后工作日仍有 ${p.count} 项交接未完成`, body: `离职员工最后工作日已到，仍有 ${p.count} 项交接事项未核验，请立即处理。` }),
    en: (p) => ({ subject: `CRITICAL: ${p.count} handover items open on the last working day`, body: `The leaver's last working day has come with ${p.count} handover items not yet verified.` }),
  },
  handover_items_passed: {
    'zh-CN': (p) => ({ subject: `离职员工未完成的 ${p.count} 项交接转交给您`, body: `离职员工已离岗，其未完成的 ${p.count} 项交接事项现由您负责。` }),
    en: (p) => ({ subject: `${p.count} handover items passed to you`, body: `The leaver has departed; their ${p.count} unfinished handover items are now yours.` }),
  },
  reserve_pool_short: {
    'zh-CN': (p) => ({ subject: `后备人才库不足：${p.positionZh}`, body: `「${p.positionZh}」后备人才库现有 ${p.held} 人，低于最低 ${p.minimum} 人，请补充提名。` }),
    en: (p) => ({ subject: `Reserve pool short: ${p.position}`, body: `The reserve pool for ${p.position} holds ${p.held}, below its minimum of ${p.minimum}: nominate more candidates.` }),
  },
} satisfies Record<string, Record<Locale, Render>>;

const zhOutcome: Record<string, string> = {
  approved: '已审批通过',
  rejected: '已被驳回',
  changes_requested: '需要修改',
  withdrawn: '已撤回',
};

export function renderNotification(template: Template, locale: string, params: Params): { subject: string; body: string } {
  const byLocale: Record<Locale, Render> = templates[template];
  return (byLocale[locale as Locale] ?? byLocale['zh-CN'])(params);
}

export function isTemplate(name: string): name is Template {
  return name in templates;
}

/** Where a notification can reach someone: the log (always there), e-mail, or a group robot of
 *  WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书) that @-mentions them. */
export const channelName = z.enum(['log', 'email', 'wecom', 'dingtalk', 'feishu']);
export type ChannelName = z.infer<typeof channelName>;

/** What a person reads: the rendered text and the page where they act. */
export interface Message {
  subject: string;
  body: string;
  link: string;
}

/** The page behind a notification: its task, else its flow, in the web app when there is one,
 *  else the API's resource. */
/** A notification whose key starts so is read by its recipient alone: operators' lists of
 *  deliveries leave it out (an anonymous submitter's answer). */
export const PRIVATE_NOTICE = 'private:';

export function linkFor(n: { taskId?: string | null; flowId?: string | null }, links: { webAppUrl?: string; apiUrl: string }): string {
  const path = n.taskId ? `/tasks/${n.taskId}` : n.flowId ? `/flows/${encodeURIComponent(n.flowId)}` : '/tasks';
  return `${(links.webAppUrl ?? links.apiUrl).replace(/\/+$/, '')}${path}`;
}

export function messageFor(template: Template, locale: string, params: Params, link: string): Message {
  return { ...renderNotification(template, locale, params), link };
}

/** The plain text of a message, link last. */
export function textOf(m: Message, locale: string): string {
  return `${m.body}\n${locale === 'en' ? 'Open' : '查看并处理'}: ${m.link}`;
}

/** One message for a day's reminders, each with its link. */
export function digestOf(items: Message[], locale: string, inboxLink: string): Message {
  const lines = items.map((m) => `• ${m.subject}\n  ${m.link}`).join('\n');
  return locale === 'en'
    ? { subject: `Your reminders today (${items.length})`, body: `These tasks are still open:\n${lines}`, link: inboxLink }
    : { subject: `今日待办提醒（${items.length} 项）`, body: `以下待办尚未处理：\n${lines}`, link: inboxLink };
}

/** Chasing notices, which wait out nights, weekends and holidays under quiet hours. */
const CHASING: readonly string[] = ['task_reminder', 'task_escalated', 'handover_items_reminder', 'handover_items_escalated'] satisfies Template[];
/** Reminders, which a person may take as one daily digest. */
const REMINDERS: readonly string[] = ['task_reminder', 'handover_items_reminder'] satisfies Template[];

export interface DeliveryRules {
  /** Channels this deployment can send on (the log always). */
  configured: ChannelName[];
  /** Channels of a person who chose none (or only ones not configured here). */
  defaults: ChannelName[];
  quietHours: boolean;
  workingTime: WorkingTimeSettings;
}

/** The channels that reach someone: theirs that this deployment has, else its defaults. */
export function channelsFor(chosen: string[], rules: Pick<DeliveryRules, 'configured' | 'defaults'>): ChannelName[] {
  const usable = chosen.filter((c): c is ChannelName => rules.configured.includes(c as ChannelName));
  return usable.length ? usable : rules.defaults;
}

export interface PlannedDelivery {
  channel: ChannelName;
  digest: boolean;
  notBefore: number;
}

/**
 * Where and when a notification goes: once on each of the recipient's channels. A reminder to
 * someone who takes a digest waits for the next working day's start; under quiet hours a chasing
 * notice waits for the next working period. Critical notices go at once. Pure.
 */
export function deliveryPlan(
  n: { template: string; critical: boolean },
  recipient: { channels: string[]; digest: boolean } | undefined,
  rules: DeliveryRules,
  now: number,
): PlannedDelivery[] {
  const digest = !!recipient?.digest && !n.critical && REMINDERS.includes(n.template);
  const held = rules.quietHours && !n.critical && CHASING.includes(n.template);
  const notBefore = digest ? nextWorkingDayStart(now, rules.workingTime) : held ? nextWorkingMoment(now, rules.workingTime) : now;
  return channelsFor(recipient?.channels ?? [], rules).map((channel) => ({ channel, digest, notBefore }));
}

/** How long a delivery waits after its `attempt`-th failure: `retryAfter`, doubling, at most an hour. */
export function retryDelay(attempt: number, retryAfter: string): number {
  return Math.min(durationMs(retryAfter) * 2 ** (attempt - 1), 3_600_000);
}
