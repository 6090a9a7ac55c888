/**
 * Early warning's writes: imported figures, flags and rule versions (each keyed by its intake), the
 * recompute of employees' levels, and the retention flow's records. A recompute locks the employee's
 * risk row, so concurrent imports agree on one rise to high and open one retention flow.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import {
  assessRisk,
  DEFAULT_RISK_RULES,
  retentionFlowId,
  type ActionCheckArgs,
  type RetentionCloseArgs,
  type RecomputedLevel,
  type RetentionEnd,
  type RetentionPeople,
  type RiskIntake,
  type RetentionReviewArgs,
  type RiskIndicators,
  type RiskLevel,
  type RiskRules,
  type StayInterviewArgs,
  teamExitsOf,
  lowestOfPulse,
} from '../domain/risk';
import type { FlowSettings } from '../domain/settings';
import type { Db, Prisma } from '../prisma/db';
import { riskLevelFell } from '../workflows/messages';
import { appendAudit, type Tx } from './audit';
import { signalIfRunning } from './signals';

const json = (v: unknown) => v as Prisma.InputJsonValue;
const DAY_MS = 86_400_000;

/** The rule set in force: the newest version; version 1 (the defaults) is written on first use. */
export async function currentRuleSet(db: Db | Tx): Promise<{ version: number; rules: RiskRules }> {
  const latest = await db.riskRuleSet.findFirst({ orderBy: { version: 'desc' } });
  if (latest) return { version: latest.version, rules: latest.rules as unknown as RiskRules };
  await db.riskRuleSet.createMany({ data: [{ version: 1, rules: json(DEFAULT_RISK_RULES) }], skipDuplicates: true });
  return { version: 1, rules: DEFAULT_RISK_RULES };
}

export function riskActivities(db: Db, log: Logger, temporal: Client) {
  /** Everything Baton knows of one employee within the rules' window. */
  async function indicatorsOf(tx: Tx, employeeId: string, rules: RiskRules): Promise<RiskIndicators> {
    const since = new Date(Date.now() - rules.lookbackDays * DAY_MS);
    const exitsSince = new Date(Date.now() - rules.sameCauseExits.withinDays * DAY_MS);
    const { managerId } = await tx.employee.findUniqueOrThrow({ where: { id: employeeId }, select: { managerId: true } });
    const [performance, absences, lateSessions, knowledgeFailed, coached, flags, exits, pulse] = await Promise.all([
      tx.performanceFigure.findFirst({ where: { employeeId }, orderBy: { month: 'desc' } }),
      tx.sessionParticipant.count({ where: { employeeId, attendance: 'absent', session: { startsAt: { gte: since } } } }),
      tx.sessionParticipant.count({ where: { employeeId, attendance: 'late', session: { startsAt: { gte: since } } } }),
      tx.knowledgeScore.count({ where: { employeeId, passed: false, recordedAt: { gte: since } } }),
      tx.followUpParticipant.count({ where: { employeeId, coachingReason: { not: null }, finishedAt: null } }),
      tx.riskFlag.findMany({ where: { employeeId, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' }, select: { reason: true } }),
      // The team is the employee's manager's: leavers who had the same manager.
      managerId ? tx.exitInterview.findMany({ where: { teamManagerId: managerId, employeeId: { not: employeeId }, leftOn: { gte: exitsSince } }, select: { causes: true } }) : [],
      tx.onboardingPulse.findFirst({ where: { employeeId, answeredAt: { gte: since } }, orderBy: { checkpoint: 'desc' } }),
    ]);
    return {
      performance: performance ?? undefined,
      absences,
      lateSessions,
      knowledgeFailed,
      inCoaching: coached > 0,
      flags: flags.map((f) => f.reason),
      teamExits: teamExitsOf(exits.map((e) => e.causes)),
      pulse: pulse ? lowestOfPulse(pulse) : undefined,
    };
  }

  /** Scores one employee under a lock on their risk row; a rise to high opens their retention case. */
  async function rescore(key: string, employeeId: string, cause: string): Promise<RecomputedLevel & { toStart?: string; fell?: string }> {
    return db.$transaction(async (tx) => {
      const { version, rules } = await currentRuleSet(tx);
      const assessed = assessRisk(rules, await indicatorsOf(tx, employeeId, rules));
      const fresh = await tx.$executeRaw`INSERT INTO employee_risk (employee_id, level, score, reasons, rule_set_version, computed_at)
        VALUES (${employeeId}, 'low', 0, '[]'::jsonb, ${version}, now()) ON CONFLICT (employee_id) DO NOTHING`;
      const [row] = await tx.$queryRaw<{ level: RiskLevel; retention_count: number; retention_flow_id: string | null }[]>`
        SELECT level, retention_count, retention_flow_id FROM employee_risk WHERE employee_id = ${employeeId} FOR UPDATE`;
      const previous = row!.level;
      await tx.riskScore.createMany({
        data: [{ id: `${key}:${employeeId}`, employeeId, ruleSetVersion: version, score: assessed.score, level: assessed.level, reasons: json(assessed.reasons), cause }],
        skipDuplicates: true,
      });
      let openFlowId = row!.retention_flow_id ?? undefined;
      let toStart: string | undefined;
      // A rise (not staying high after a flow closed) opens a case; the lock makes it one.
      if (assessed.level === 'high' && previous !== 'high' && !openFlowId) {
        const caseNo = row!.retention_count + 1;
        openFlowId = toStart = retentionFlowId(employeeId, caseNo);
        const employee = await tx.employee.findUniqueOrThrow({ where: { id: employeeId }, select: { departmentId: true, managerId: true } });
        await tx.retentionCase.create({ data: { flowId: openFlowId, employeeId, caseNo, departmentId: employee.departmentId, managerId: employee.managerId } });
        await appendAudit(tx, { key: `${openFlowId}:opened`, action: 'risk.retention_opened', flowId: openFlowId, payload: { employeeId, caseNo, score: assessed.score } });
      }
      await tx.employeeRisk.update({
        where: { employeeId },
        data: {
          level: assessed.level,
          score: assessed.score,
          reasons: json(assessed.reasons),
          ruleSetVersion: version,
          computedAt: new Date(),
          ...(toStart ? { retentionCount: { increment: 1 }, retentionFlowId: toStart } : {}),
        },
      });
      if (assessed.level !== previous || fresh) {
        await appendAudit(tx, { key: `${key}:level:${employeeId}`, action: 'risk.level_changed', payload: { employeeId, from: previous, to: assessed.level, score: assessed.score, ruleSetVersion: version, cause } });
      }
      // A case whose flow a crashed attempt did not start is started now.
      if (!toStart && openFlowId) toStart = (await tx.retentionCase.findFirst({ where: { flowId: openFlowId, started: false }, select: { flowId: true } }))?.flowId;
      // The open flow hears of any level below high (again, should it still be closing).
      const fell = assessed.level !== 'high' ? row!.retention_flow_id ?? undefined : undefined;
      return { employeeId, level: assessed.level, previous, ruleSetVersion: version, retentionFlowId: openFlowId, toStart, fell };
    });
  }

  return {
    /** Writes what came in: a month's figures (replacing that month's earlier import), a flag, or a
     *  new rule version. Answers whom to score again. */
    async takeRiskIntake(i: RiskIntake & { flowId: string }): Promise<{ employeeIds: string[]; version?: number }> {
      return db.$transaction(async (tx) => {
        if (i.kind === 'performance') {
          // Imports of the same month, one at a time: each replaces what the one before left.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`performance:${i.month}`}))`;
          const replaced = await tx.performanceFigure.findMany({ where: { month: i.month }, select: { employeeId: true, importId: true } });
          if (!replaced.some((r) => r.importId === i.importId)) {
            await tx.performanceFigure.deleteMany({ where: { month: i.month } });
            await tx.performanceFigure.createMany({ data: i.rows.map((r) => ({ ...r, month: i.month, importId: i.importId })) });
          }
          await appendAudit(tx, {
            key: `${i.flowId}:imported`,
            action: 'risk.performance_imported',
            flowId: i.flowId,
            actorId: i.actorId,
            payload: { importId: i.importId, month: i.month, rows: i.rows.length, replaced: replaced.filter((r) => r.importId !== i.importId).length },
          });
          return { employeeIds: [...new Set([...replaced.map((r) => r.employeeId), ...i.rows.map((r) => r.employeeId)])] };
        }
        if (i.kind === 'flag') {
          await tx.riskFlag.createMany({ data: [{ id: i.flagId, employeeId: i.employeeId, reason: i.reason, flaggedById: i.actorId }], skipDuplicates: true });
          await appendAudit(tx, { key: `${i.flowId}:flagged`, action: 'risk.flagged', flowId: i.flowId, actorId: i.actorId, payload: { employeeId: i.employeeId, reason: i.reason } });
          return { employeeIds: [i.employeeId] };
        }
        await currentRuleSet(tx);
        // Versions are numbered in order; a retry finds the version its first attempt wrote.
        const known = await tx.auditEvent.findUnique({ where: { key: `${i.flowId}:rules` } });
        let version = (known?.payload as { version?: number } | undefined)?.version;
        if (!version) {
          await tx.$executeRaw`LOCK TABLE risk_rule_set IN EXCLUSIVE MODE`;
          version = ((await tx.riskRuleSet.aggregate({ _max: { version: true } }))._max.version ?? 1) + 1;
          await tx.riskRuleSet.create({ data: { version, rules: json(i.rules), createdById: i.actorId } });
          await appendAudit(tx, { key: `${i.flowId}:rules`, action: 'risk.rules_changed', flowId: i.flowId, actorId: i.actorId, payload: { version } });
        }
        const everyone = await tx.employee.findMany({ where: { status: 'active' }, select: { id: true } });
        return { employeeIds: everyone.map((e) => e.id), version };
      });
    },

    /**
     * Scores each employee again (`key`: the calling flow and step, so a retry scores once). A rise
     * to high starts the employee's retention flow (its id from the case number, so a second start
     * finds it); a fall below high tells the open one.
     */
    async recomputeRisk(r: { key: string; employeeIds: string[]; cause: string; settings: FlowSettings }): Promise<RecomputedLevel[]> {
      const results: RecomputedLevel[] = [];
      for (const employeeId of r.employeeIds) {
        const { toStart, fell, ...level } = await rescore(r.key, employeeId, r.cause);
        if (toStart) {
          const caseNo = Number(toStart.split(':').at(-1));
          await temporal.workflow
            .start('retention', { workflowId: toStart, taskQueue: Context.current().info.taskQueue, args: [{ employeeId, caseNo, settings: r.settings }], workflowIdReusePolicy: 'REJECT_DUPLICATE' })
            .catch((err: unknown) => {
              if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
            });
          await db.retentionCase.update({ where: { flowId: toStart }, data: { started: true } });
          log.info({ employeeId, flowId: toStart }, 'risk rose to high: retention flow started');
        }
        if (fell) await signalIfRunning(temporal, fell, riskLevelFell, { level: level.level });
        results.push(level);
      }
      return results;
    },

    /** The retention flow on record: who holds the stay interview (the manager, else the department's
     *  head, else HR) and which HR officer reviews it. */
    async openRetention(o: { flowId: string; employeeId: string; caseNo: number }): Promise<RetentionPeople> {
      return db.$transaction(async (tx) => {
        const employee = await tx.employee.findUniqueOrThrow({
          where: { id: o.employeeId },
          select: { name: true, manager: { select: { id: true, status: true } }, department: { select: { head: { select: { id: true, status: true } } } } },
        });
        const hr = await tx.employee.findFirstOrThrow({ where: { status: 'active', roles: { has: 'hr' }, id: { not: o.employeeId } }, orderBy: { employeeNo: 'asc' } });
        const active = (p: { id: string; status: string } | null) => (p?.status === 'active' && p.id !== o.employeeId ? p.id : undefined);
        const managerId = active(employee.manager) ?? active(employee.department.head) ?? hr.id;
        await tx.flow.upsert({
          where: { id: o.flowId },
          create: { id: o.flowId, type: 'retention', businessKey: `${o.employeeId}:${o.caseNo}`, subject: `留任 Retention of ${employee.name}` },
          update: {},
        });
        await tx.retentionCase.update({ where: { flowId: o.flowId }, data: { managerId } });
        await appendAudit(tx, { key: `${o.flowId}:started`, action: 'flow.started', flowId: o.flowId, payload: { type: 'retention', businessKey: `${o.employeeId}:${o.caseNo}` } });
        return { employeeName: employee.name, managerId, hrId: hr.id };
      });
    },

    async recordStayInterview(s: StayInterviewArgs & { flowId: string; onBehalfOfId?: string }): Promise<void> {
      const { flowId, actorId, onBehalfOfId, ...interview } = s;
      await db.$transaction(async (tx) => {
        const actions = interview.actions.map((a, n) => ({ actionNo: n + 1, ...a }));
        await tx.retentionCase.updateMany({ where: { flowId, stage: 'stay_interview' }, data: { stayInterview: json({ ...interview, actions, recordedById: actorId }), stage: 'hr_review' } });
        await appendAudit(tx, { key: `${flowId}:stay-interview`, action: 'retention.stay_interview_held', flowId, actorId, onBehalfOfId, payload: { heldOn: s.heldOn, causes: s.causes, actions: actions.length } });
      });
    },

    async recordRetentionReview(r: RetentionReviewArgs & { flowId: string; onBehalfOfId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.retentionCase.update({ where: { flowId: r.flowId }, data: { review: json({ comment: r.comment, reviewedById: r.actorId, at: new Date().toISOString() }), stage: 'action_wait' } });
        await appendAudit(tx, { key: `${r.flowId}:hr-review`, action: 'retention.reviewed', flowId: r.flowId, actorId: r.actorId, onBehalfOfId: r.onBehalfOfId, payload: { comment: r.comment } });
      });
    },

    async retentionStage(s: { flowId: string; stage: string }): Promise<void> {
      await db.retentionCase.updateMany({ where: { flowId: s.flowId, status: 'open' }, data: { stage: s.stage } });
    },

    async recordActionCheck(c: ActionCheckArgs & { flowId: string; onBehalfOfId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<{ action_checks: { actionNo: number }[] }[]>`SELECT action_checks FROM retention_case WHERE flow_id = ${c.flowId} FOR UPDATE`;
        if (row!.action_checks.some((a) => a.actionNo === c.actionNo)) return; // a retry
        const check = { actionNo: c.actionNo, done: c.done, notes: c.notes, checkedById: c.actorId, at: new Date().toISOString() };
        await tx.retentionCase.update({ where: { flowId: c.flowId }, data: { actionChecks: json([...row!.action_checks, check]) } });
        await appendAudit(tx, { key: `${c.flowId}:action-check/${c.actionNo}`, action: 'retention.action_checked', flowId: c.flowId, actorId: c.actorId, onBehalfOfId: c.onBehalfOfId, payload: { actionNo: c.actionNo, done: c.done } });
      });
    },

    /** The flow ends: the case closes and the employee may get a new one at their next rise. */
    async closeRetention(c: { flowId: string; employeeId: string; how: RetentionEnd; reason?: string } & Partial<Pick<RetentionCloseArgs, 'actorId'>>): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.retentionCase.updateMany({ where: { flowId: c.flowId, status: 'open' }, data: { status: c.how, stage: 'closed', closedReason: c.reason, closedAt: new Date() } });
        if (!count) return;
        await tx.employeeRisk.updateMany({ where: { employeeId: c.employeeId, retentionFlowId: c.flowId }, data: { retentionFlowId: null } });
        await tx.flow.updateMany({ where: { id: c.flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        await appendAudit(tx, { key: `${c.flowId}:closed`, action: 'retention.closed', flowId: c.flowId, actorId: c.actorId, payload: { how: c.how, reason: c.reason } });
      });
    },
  };
}
