import type { MessageKey } from './i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The lists of a plan whose rows the editor numbers ("预算第1行"), by their path. */
const ROWS: Record<string, MessageKey> = {
  'content.objectives.targets': 'editor.target',
  'content.modules': 'editor.module',
  'content.resources.trainers': 'editor.trainer',
  'content.sessions': 'editor.session',
  'content.budget.lines': 'editor.budget',
};

/** The plan editor's fields, by their path with list positions as N, each with its label. */
const FIELDS: Record<string, MessageKey> = {
  title: 'plans.planTitle',
  departmentId: 'plans.department',
  'content.objectives.general': 'editor.general',
  'content.objectives.targets.N.description': 'editor.description',
  'content.objectives.targets.N.metric': 'editor.metric',
  'content.objectives.targets.N.target': 'editor.targetValue',
  'content.objectives.targets.N.unit': 'editor.unit',
  'content.objectives.targets.N.better': 'editor.better',
  'content.modules.N.title': 'editor.moduleTitle',
  'content.modules.N.content': 'editor.moduleContent',
  'content.modules.N.hours': 'editor.hours',
  'content.methods': 'editor.methods',
  'content.resources.trainers.N.name': 'editor.trainerName',
  'content.resources.trainers.N.employeeId': 'editor.employee',
  'content.resources.trainers.N.qualification': 'editor.qualification',
  'content.resources.venue': 'editor.venue',
  'content.resources.materials': 'field.materials',
  'content.resources.equipment': 'field.equipment',
  'content.resources.adminOwnerId': 'editor.adminOwner',
  'content.cycle.startsOn': 'editor.startsOn',
  'content.cycle.endsOn': 'editor.endsOn',
  'content.sessions.N.title': 'editor.sessionTitle',
  'content.sessions.N.startsAt': 'editor.startsAt',
  'content.sessions.N.endsAt': 'editor.endsAt',
  'content.sessions.N.location': 'editor.location',
  'content.sessions.N.trainerId': 'editor.trainer',
  'content.sessions.N.modules': 'editor.sessionModules',
  'content.sessions.N.adminOwnerId': 'editor.adminOwner',
  'content.participantIds': 'editor.participants',
  'content.passMark': 'editor.passMark',
  'content.budget.lines.N.category': 'editor.category',
  'content.budget.lines.N.description': 'editor.description',
  'content.budget.lines.N.amountFen': 'editor.amount',
  'content.budget.totalFen': 'editor.budgetTotal',
};

/** Parts of a plan the editor shows as a whole (a card, a list) rather than as one field. */
const SECTIONS: Record<string, MessageKey> = {
  content: 'plan.content',
  'content.objectives': 'editor.objectives',
  'content.objectives.targets': 'editor.targets',
  'content.modules': 'editor.modules',
  'content.resources': 'editor.resources',
  'content.resources.trainers': 'editor.trainers',
  'content.cycle': 'editor.cycle',
  'content.sessions': 'editor.sessions',
  'content.budget': 'editor.budget',
  'content.budget.lines': 'editor.budgetLine',
};

const isIndex = (part: string) => /^\d+$/.test(part);
const partsOf = (field: string) => field.replace(/^body\./, '').replace(/\[(\d+)\]/g, '.$1').split('.');
const patternOf = (parts: string[]) => parts.map((p) => (isIndex(p) ? 'N' : p)).join('.');

/** Whether the editor has a field of its own for an API error's field (`body.content.modules.0.title`). */
export const isPlanField = (field: string) => patternOf(partsOf(field)) in FIELDS;

/**
 * A plan's field (an API error's `content.budget.lines.0.amountFen`, or a diff's
 * `content.budget.lines[0].amountFen`) in the editor's own words: "预算第1行 金额".
 */
export function planFieldLabel(t: Translate, field: string): string | undefined {
  const parts = partsOf(field);
  const last = parts.at(-1)!;
  if (isIndex(last)) {
    const parent = parts.slice(0, -1);
    const row = ROWS[patternOf(parent)];
    if (row) return t('field.rowOnly', { list: t(row), n: Number(last) + 1 });
    const of = planFieldLabel(t, parent.join('.'));
    return of && t('field.item', { list: of, n: Number(last) + 1 });
  }
  const pattern = patternOf(parts);
  const label = FIELDS[pattern] ?? SECTIONS[pattern];
  if (!label) return undefined;
  const at = parts.findIndex(isIndex);
  return at < 0 ? t(label) : t('field.row', { list: t(ROWS[patternOf(parts.slice(0, at))]!), n: Number(parts[at]) + 1, field: t(label) });
}
