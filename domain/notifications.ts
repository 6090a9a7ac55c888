/** Notification templates in every supported locale. Params are plain strings. */
export type Locale = 'zh-CN' | 'en';
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
  task_escalated: {
    'zh-CN': (p) => ({ subject: `升级督办：${p.title}`, body: `${p.assigneeName} 的待办「${p.title}」已逾期，现升级给您（第 ${p.level} 级），您可代为处理。` }),
    en: (p) => ({ subject: `Escalated: ${p.title}`, body: `${p.assigneeName}'s task "${p.title}" is overdue and is escalated to you (level ${p.level}); you may act on their behalf.` }),
  },
  task_cancelled: {
    'zh-CN': (p) => ({ subject: `待办已取消：${p.title}`, body: `待办「${p.title}」已取消：${p.reason}。` }),
    en: (p) => ({ subject: `Task cancelled: ${p.title}`, body: `Task "${p.title}" was cancelled: ${p.reason}.` }),
  },
  plan_outcome: {
    'zh-CN': (p) => ({ subject: `培训计划「${p.title}」：${zhOutcome[p.outcome ?? ''] ?? p.outcome}`, body: `培训计划「${p.title}」${zhOutcome[p.outcome ?? ''] ?? p.outcome}。${p.comment ? `意见：${p.comment}` : ''}` }),
    en: (p) => ({ subject: `Training plan "${p.title}": ${p.outcome?.replace('_', ' ')}`, body: `Training plan "${p.title}" was ${p.outcome?.replace('_', ' ')}.${p.comment ? ` Comment: ${p.comment}` : ''}` }),
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
