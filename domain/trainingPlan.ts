import { z } from 'zod';
import { calendarDate } from './durations';

/** Calendar dates of a plan are the company's (China Standard Time, no DST). */
const COMPANY_UTC_OFFSET = '+08:00';

const text = (max = 500) => z.string().trim().min(1, 'must not be empty').max(max);

export const trainingMethod = z.enum(['classroom', 'online', 'workshop', 'simulation', 'role_play']);
export const budgetCategory = z.enum(['fees', 'travel', 'materials', 'venue', 'equipment', 'other']);

export const measurableTarget = z.object({
  description: text(),
  metric: text(100),
  target: z.number().finite(),
  unit: z.string().trim().max(20).optional(),
  /** Whether a higher actual value is better (a collection rate) or a lower one (complaints). */
  better: z.enum(['higher', 'lower']).optional(),
});

export const planModule = z.object({ title: text(200), content: text(4000), hours: z.number().positive().max(1000) });

export const planSession = z.object({
  title: text(200),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  location: z.string().trim().max(200).optional(),
  /** The employee who trains this session (HR reviews their qualifications before it). */
  trainerId: z.string().min(1).optional(),
  /** The plan's modules (numbered from 1) this session covers; unset, all of them. */
  modules: z.array(z.int().min(1)).max(50).optional(),
  /** Who prepares this session's venue, equipment and materials (unset: the plan's administrative owner). */
  adminOwnerId: z.string().min(1).optional(),
});

export const budgetLine = z.object({ category: budgetCategory, description: text(200), amountFen: z.int().min(0) });

const trainer = z.object({ name: text(100), employeeId: z.string().optional(), qualification: z.string().max(500).optional() });
const objectives = z.object({ general: text(2000), targets: z.array(measurableTarget).min(1, 'at least one measurable target is required') });
const resources = z.object({
  trainers: z.array(trainer).min(1, 'at least one trainer is required'),
  venue: text(200),
  materials: z.array(text(200)).default([]),
  equipment: z.array(text(200)).default([]),
  /** Who prepares venue, equipment and materials for every session (unset: the department's
   *  administrative owner). */
  adminOwnerId: z.string().min(1).optional(),
});
const cycle = z.object({ startsOn: calendarDate, endsOn: calendarDate });
const budget = z.object({ lines: z.array(budgetLine).min(1, 'at least one budget line is required'), totalFen: z.int().min(0) });

const planSections = {
  objectives,
  modules: z.array(planModule).min(1, 'at least one module is required'),
  methods: z.array(trainingMethod).min(1, 'at least one method is required'),
  resources,
  cycle,
  sessions: z.array(planSession).min(1, 'at least one session is required'),
  /** Who attends every session (HR names them, or takes the needs assessment's participants). */
  participantIds: z.array(z.string().min(1)).max(500).default([]),
  /** The knowledge test's pass mark, 0–100 (unset: the deployment's default). */
  passMark: z.number().min(0).max(100).optional(),
  budget,
};

/**
 * A plan as it may be saved while being drafted: whatever is filled, down to half a line (a module
 * with a title and no hours yet); each value given well-formed. Completeness is checked at submit.
 */
export const planDraftContent = z
  .object({
    objectives: objectives.extend({ targets: z.array(measurableTarget.partial()) }).partial(),
    modules: z.array(planModule.partial()),
    methods: z.array(trainingMethod),
    resources: resources.extend({ trainers: z.array(trainer.partial()) }).partial(),
    cycle: cycle.partial(),
    sessions: z.array(planSession.partial()),
    participantIds: planSections.participantIds,
    passMark: planSections.passMark,
    budget: budget.extend({ lines: z.array(budgetLine.partial()) }).partial(),
  })
  .partial();
export type PlanDraftContent = z.infer<typeof planDraftContent>;

/** A plan ready for approval: complete and consistent. */
export const planContent = z.object(planSections).superRefine((plan, ctx) => {
  for (const problem of planInconsistencies(plan)) ctx.addIssue({ code: 'custom', ...problem });
});
export type PlanContent = z.infer<typeof planContent>;

/** A rule a complete plan breaks, with its field, its English reason, and what a reader's language
 *  words it from (`rule` and its figures). */
type Inconsistency = { path: (string | number)[]; message: string; params: { rule: string } & Record<string, string | number> };

function planInconsistencies(plan: z.infer<z.ZodObject<typeof planSections>>): Inconsistency[] {
  const problems: Inconsistency[] = [];
  const { cycle, sessions, budget } = plan;
  const cycleStart = Date.parse(`${cycle.startsOn}T00:00:00${COMPANY_UTC_OFFSET}`);
  const cycleEnd = Date.parse(`${cycle.endsOn}T24:00:00${COMPANY_UTC_OFFSET}`);
  if (cycleEnd <= cycleStart) problems.push({ path: ['cycle', 'endsOn'], message: 'the cycle must end on or after its start', params: { rule: 'cycle_order' } });
  sessions.forEach((s, i) => {
    const start = Date.parse(s.startsAt);
    const end = Date.parse(s.endsAt);
    if (end <= start) problems.push({ path: ['sessions', i, 'endsAt'], message: 'a session must end after it starts', params: { rule: 'session_order' } });
    if (start < cycleStart || end > cycleEnd) {
      problems.push({
        path: ['sessions', i],
        message: `the session lies outside the cycle ${cycle.startsOn} – ${cycle.endsOn}`,
        params: { rule: 'session_outside_cycle', from: cycle.startsOn, to: cycle.endsOn },
      });
    }
    const unknown = (s.modules ?? []).filter((m) => m > plan.modules.length);
    if (unknown.length) {
      problems.push({
        path: ['sessions', i, 'modules'],
        message: `the plan has ${plan.modules.length} module(s); there is no module ${unknown.join(', ')}`,
        params: { rule: 'unknown_module', count: plan.modules.length, modules: unknown.join(', ') },
      });
    }
  });
  const sum = budget.lines.reduce((acc, l) => acc + l.amountFen, 0);
  if (sum !== budget.totalFen) {
    problems.push({ path: ['budget', 'totalFen'], message: `the budget lines add up to ${sum} fen, not the total of ${budget.totalFen} fen`, params: { rule: 'budget_sum', sumFen: sum, totalFen: budget.totalFen } });
  }
  return problems;
}

/** The administrative owners a plan names, by their field in the plan's content. */
export function adminOwnersNamed(content: PlanDraftContent): Record<string, string | undefined> {
  return Object.fromEntries([
    ['resources.adminOwnerId', content.resources?.adminOwnerId],
    ...(content.sessions ?? []).map((s, i) => [`sessions.${i}.adminOwnerId`, s.adminOwnerId]),
  ]);
}

export const planStatus = z.enum(['draft', 'in_approval', 'changes_requested', 'approved', 'rejected', 'withdrawn']);
export type PlanStatus = z.infer<typeof planStatus>;

export const approvalLevel = z.enum(['department_head', 'hr_director', 'executive']);
export type ApprovalLevel = z.infer<typeof approvalLevel>;

/** The sequential chain a plan goes through: the executive signs only above the threshold. */
export function approvalChainFor(plan: Pick<PlanContent, 'budget'>, executiveThresholdFen: number): ApprovalLevel[] {
  const chain: ApprovalLevel[] = ['department_head', 'hr_director'];
  if (plan.budget.totalFen > executiveThresholdFen) chain.push('executive');
  return chain;
}

/** The API's request bodies. */
export const createPlanRequest = z.object({
  title: text(200),
  departmentId: z.string().min(1),
  content: planDraftContent.default({}),
  /** A confirmed needs assessment (its cycle's id): the draft's objectives start from its ranked needs. */
  needsAssessmentId: z.uuid().optional(),
});
export type CreatePlanRequest = z.infer<typeof createPlanRequest>;

export const updatePlanRequest = z.object({
  title: text(200).optional(),
  content: planDraftContent.optional(),
});
export type UpdatePlanRequest = z.infer<typeof updatePlanRequest>;

export const withdrawPlanRequest = z.object({ reason: z.string().trim().max(2000).optional() });

/** Messages to the plan flow. */
export const submitPlanArgs = z.object({
  actorId: z.string().min(1),
  title: text(200),
  content: planContent,
  draftRevision: z.int().min(1),
});
export type SubmitPlanArgs = z.infer<typeof submitPlanArgs>;

export const withdrawPlanArgs = z.object({ actorId: z.string().min(1), reason: z.string().optional() });
export type WithdrawPlanArgs = z.infer<typeof withdrawPlanArgs>;
