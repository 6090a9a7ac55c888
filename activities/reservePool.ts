import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import {
  KEY_POSITIONS,
  POSITION_NAMES,
  reservePoolFlowId,
  type AssessArgs,
  type KeyPosition,
  type NominateArgs,
  type PoolCandidate,
  type PoolReviewArgs,
} from '../domain/reservePool';
import type { FlowSettings } from '../domain/settings';
import type { Db } from '../prisma/db';
import { poolReviewDue } from '../workflows/messages';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify } from './notifications';

/** Where each key position's pool stands when its flow (re)starts. */
export interface PoolOnRecord {
  minimum: number;
  short: boolean;
  candidates: PoolCandidate[];
  reviews: number;
  nominations: number;
}

const candidateOf = (c: { employeeId: string; readiness: string; panelRating: number | null; nominatedAt: Date }): PoolCandidate => ({
  employeeId: c.employeeId,
  readiness: c.readiness as PoolCandidate['readiness'],
  panelRating: c.panelRating,
  nominatedAt: c.nominatedAt.toISOString(),
});

/** One pool change on the audit trail, keyed by the flow's own count of changes, so a retry adds nothing. */
const auditPool = (tx: Tx, flowId: string, key: string, action: string, payload: Record<string, unknown>, actorId?: string) =>
  appendAudit(tx, { key: `${flowId}:${key}`, action, flowId, actorId, payload });

/** The pools' writes: each keyed by what its flow counted, so a retried activity writes nothing twice. */
export function reservePoolActivities(db: Db, log: Logger, temporal: Client) {
  return {
    /** The pool as it stands: kept from an earlier run of its flow (ended by an operator), else opened now. */
    async openReservePool(p: { flowId: string; position: KeyPosition; minimum: number }): Promise<PoolOnRecord> {
      return db.$transaction(async (tx) => {
        await tx.flow.upsert({
          where: { id: p.flowId },
          create: { id: p.flowId, type: 'reserve_pool', businessKey: p.position, subject: `后备人才库 Reserve pool: ${POSITION_NAMES[p.position].en}` },
          update: { status: 'running', closedAt: null },
        });
        const pool = await tx.reservePool.upsert({ where: { position: p.position }, create: { position: p.position, flowId: p.flowId, minimum: p.minimum }, update: {} });
        const [candidates, reviews, nominations] = await Promise.all([
          tx.reserveCandidate.findMany({ where: { position: p.position, status: 'active' }, orderBy: { nominatedAt: 'asc' } }),
          tx.reservePoolReview.count({ where: { position: p.position } }),
          tx.reserveCandidate.count({ where: { position: p.position } }),
        ]);
        return { minimum: pool.minimum, short: pool.shortSince !== null, candidates: candidates.map(candidateOf), reviews, nominations };
      });
    },

    async recordNomination(n: NominateArgs & { flowId: string; position: KeyPosition; nominationNo: number }): Promise<PoolCandidate> {
      return db.$transaction(async (tx) => {
        const id = `${n.position}:${n.nominationNo}`;
        await tx.reserveCandidate.createMany({
          data: [{ id, position: n.position, employeeId: n.employeeId, readiness: n.readiness, reason: n.reason, nominatedById: n.actorId }],
          skipDuplicates: true,
        });
        await auditPool(tx, n.flowId, `nomination:${n.nominationNo}`, 'reserve_pool.nominated', { employeeId: n.employeeId, readiness: n.readiness, reason: n.reason }, n.actorId);
        return candidateOf(await tx.reserveCandidate.findUniqueOrThrow({ where: { id } }));
      });
    },

    async recordPoolAssessment(a: AssessArgs & { flowId: string; position: KeyPosition; change: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.reserveCandidate.updateMany({
          where: { position: a.position, employeeId: a.employeeId, status: 'active' },
          data: { panelRating: a.panelRating, readiness: a.readiness, comment: a.comment, assessedById: a.actorId, assessedAt: new Date() },
        });
        await auditPool(tx, a.flowId, `change:${a.change}`, 'reserve_pool.assessed', { employeeId: a.employeeId, panelRating: a.panelRating, readiness: a.readiness }, a.actorId);
      });
    },

    /** A candidate leaves the pool: withdrawn (by HR or a review) or placed (named a successor). */
    async endCandidacy(e: { flowId: string; position: KeyPosition; employeeId: string; status: 'withdrawn' | 'placed'; reason: string; actorId: string; change: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.reserveCandidate.updateMany({
          where: { position: e.position, employeeId: e.employeeId, status: 'active' },
          data: { status: e.status, endedReason: e.reason, endedAt: new Date() },
        });
        await auditPool(tx, e.flowId, `change:${e.change}`, `reserve_pool.${e.status}`, { employeeId: e.employeeId, reason: e.reason }, e.actorId);
      });
    },

    async setPoolMinimum(m: { flowId: string; position: KeyPosition; minimum: number; actorId: string; change: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.reservePool.update({ where: { position: m.position }, data: { minimum: m.minimum } });
        await auditPool(tx, m.flowId, `change:${m.change}`, 'reserve_pool.minimum_set', { minimum: m.minimum }, m.actorId);
      });
    },

    /** The pool fell below its minimum (every HR officer hears of it) or holds enough again. */
    async markPoolShort(s: { flowId: string; position: KeyPosition; short: boolean; held: number; minimum: number; change: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        await tx.reservePool.update({ where: { position: s.position }, data: { shortSince: s.short ? new Date() : null } });
        await auditPool(tx, s.flowId, `short:${s.change}`, s.short ? 'reserve_pool.short' : 'reserve_pool.filled', { held: s.held, minimum: s.minimum });
        if (!s.short) return;
        const hr = await tx.employee.findMany({ where: { status: 'active', roles: { has: 'hr' } }, select: { id: true }, orderBy: { employeeNo: 'asc' } });
        const names = POSITION_NAMES[s.position];
        notify(
          ...hr.map(({ id }) => ({
            key: `${s.flowId}:short:${s.change}:${id}`,
            recipientId: id,
            template: 'reserve_pool_short' as const,
            params: { position: names.en, positionZh: names.zh, held: String(s.held), minimum: String(s.minimum) },
            flowId: s.flowId,
          })),
        );
      });
    },

    /** Who reviews a pool each quarter: the first active HR officer. */
    async poolReviewer(): Promise<{ reviewerId: string }> {
      const hr = await db.employee.findFirstOrThrow({ where: { status: 'active', roles: { has: 'hr' } }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
      return { reviewerId: hr.id };
    },

    /** The quarter's review as HR recorded it, with every kept candidate's readiness and every withdrawal. */
    async recordPoolReview(r: PoolReviewArgs & { flowId: string; position: KeyPosition; reviewNo: number; onBehalfOfId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.reservePoolReview.createMany({
          data: [{ position: r.position, reviewNo: r.reviewNo, reviewedById: r.actorId, verdicts: r.verdicts, comment: r.comment }],
          skipDuplicates: true,
        });
        if (count === 0) return; // a retry
        for (const v of r.verdicts) {
          const where = { position: r.position, employeeId: v.employeeId, status: 'active' };
          if (v.withdraw) await tx.reserveCandidate.updateMany({ where, data: { status: 'withdrawn', endedReason: `quarterly review ${r.reviewNo}`, endedAt: new Date() } });
          else await tx.reserveCandidate.updateMany({ where, data: { readiness: v.readiness } });
        }
        await tx.reservePool.update({ where: { position: r.position }, data: { lastReviewedAt: new Date() } });
        await appendAudit(tx, {
          key: `${r.flowId}:review:${r.reviewNo}`,
          action: 'reserve_pool.reviewed',
          flowId: r.flowId,
          actorId: r.actorId,
          onBehalfOfId: r.onBehalfOfId,
          payload: { reviewNo: r.reviewNo, kept: r.verdicts.filter((v) => !v.withdraw).length, withdrawn: r.verdicts.filter((v) => v.withdraw).length },
        });
      });
    },

    /** The quarter has come: every key position's pool is asked for its review (its flow started if need be). */
    async askPoolsForReview(a: { settings: FlowSettings; quarter: string }): Promise<void> {
      for (const position of KEY_POSITIONS) {
        await temporal.workflow.signalWithStart('reservePool', {
          workflowId: reservePoolFlowId(position),
          taskQueue: Context.current().info.taskQueue,
          args: [{ position, settings: a.settings }],
          signal: poolReviewDue,
          signalArgs: [{ quarter: a.quarter }],
        });
      }
    },
  };
}
