import type { Logger } from 'pino';
import type { ChaseStep } from '../domain/chasing';
import { durationMs } from '../domain/durations';
import { checklistFor, type ChecklistLayout, type ResignationRecord } from '../domain/handover';
import { TRANSACTION_TIMEOUT_MS } from '../domain/activityLimits';
import { organisationIncomplete } from '../domain/stalls';
import type { Db } from '../prisma/db';
import { moveAccounts } from './accounts';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify } from './notifications';
import { escalationTargetFor } from './tasks';
import { insertOnce } from './insertOnce';


const OPEN = ['open', 'reopened'] as const;

/** The handover's writes. Each is keyed (resignation, item numbers, the flow's batch number), so
 *  a retry changes nothing twice; verification moves accounts in the same transaction. */
export function handoverActivities(db: Db, log: Logger) {
  return {
    /** Records the resignation, marks the leaver `leaving` and names the flow's HR officer (the
     *  starter if they are HR and not the leaver, else the first other HR officer). */
    async openResignation(r: ResignationRecord & { flowId: string }): Promise<{ hrId: string; managerId: string | null; leaverName: string }> {
      return changeAndNotify(db, log, async (tx) => {
        const leaver = await tx.employee.findUniqueOrThrow({ where: { id: r.employeeId } });
        const starter = await tx.employee.findUniqueOrThrow({ where: { id: r.startedById } });
        // Never the leaver: an HR officer who resigns does not oversee their own handover.
        const hr = starter.roles.includes('hr') && starter.id !== r.employeeId
          ? starter
          : await tx.employee.findFirst({ where: { roles: { has: 'hr' }, status: 'active', id: { not: r.employeeId } }, orderBy: { employeeNo: 'asc' } });
        if (!hr) throw organisationIncomplete(`no active HR officer other than ${leaver.name} can oversee this handover`);
        await insertOnce(tx, 'resignation', [{
          id: r.resignationId,
          flowId: r.flowId,
          employeeId: r.employeeId,
          resignationDate: new Date(`${r.resignationDate}T00:00:00Z`),
          lastWorkingDay: new Date(`${r.lastWorkingDay}T00:00:00Z`),
          lastDayStartsAt: new Date(r.lastDayStartsAt),
          departsAt: new Date(r.departsAt),
          reason: r.reason,
          startedById: r.startedById,
          hrId: hr.id,
          successorId: r.successorId,
          supervisorId: r.supervisorId,
          mentorId: r.mentorId,
        }]);
        await tx.employee.updateMany({ where: { id: r.employeeId, status: 'active' }, data: { status: 'leaving' } });
        await appendAudit(tx, { key: `${r.flowId}:resigned`, action: 'handover.resigned', flowId: r.flowId, actorId: r.startedById, payload: { employeeId: r.employeeId, lastWorkingDay: r.lastWorkingDay, reason: r.reason } });
        return { hrId: hr.id, managerId: leaver.managerId, leaverName: leaver.name };
      });
    },

    async setHandoverPhase(p: { flowId: string; resignationId: string; phase: string; successorId?: string; successorReason?: string; supervisorId?: string; mentorId?: string; actorId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const named = { successorId: p.successorId, supervisorId: p.supervisorId, mentorId: p.mentorId };
        await tx.resignation.update({ where: { id: p.resignationId }, data: { phase: p.phase, ...named } });
        await tx.flow.update({ where: { id: p.flowId }, data: { currentStep: p.phase } });
        await appendAudit(tx, { key: `${p.flowId}:phase:${p.phase}:${p.successorId ?? ''}`, action: 'handover.phase', flowId: p.flowId, actorId: p.actorId, payload: { phase: p.phase, ...named, successorReason: p.successorReason } });
      });
    },

    /**
     * Writes the checklist of one round: the full list by role on the first round; on every round
     * a line for each account still with the leaver. An account whose earlier line was verified
     * while it stayed with the leaver has that line reopened into this round, so a round never
     * comes out empty while the leaver still owns an account.
     */
    async generateChecklist(c: { resignationId: string; checklistFlowId: string; leaverId: string; supervisorId: string; ownerId?: string; lastDayStartsAt: string; lead: string; accountsOnly: boolean }): Promise<ChecklistLayout> {
      const ownerId = c.ownerId ?? c.leaverId;
      await db.$transaction(
        async (tx) => {
          if (await tx.handoverItem.count({ where: { checklistFlowId: c.checklistFlowId } })) return; // a retry
          const portfolio = await tx.account.findMany({
            where: { assigneeId: c.leaverId },
            select: { id: true, accountNo: true, unit: true, ownerName: true, arrearsFen: true, promisedPaymentOn: true },
          });
          const earlier = await tx.handoverItem.findMany({ where: { resignationId: c.resignationId, accountId: { in: portfolio.map((a) => a.id) } }, select: { id: true, accountId: true } });
          const covered = new Set(earlier.map((i) => i.accountId));
          const last = await tx.handoverItem.aggregate({ where: { resignationId: c.resignationId }, _max: { itemNo: true } });
          const lines = checklistFor(
            portfolio.filter((a) => !covered.has(a.id)).map((a) => ({ ...a, promisedPaymentOn: a.promisedPaymentOn?.toISOString().slice(0, 10) ?? null })),
            { lastDayStartsAt: c.lastDayStartsAt, lead: c.lead },
            (last._max.itemNo ?? 0) + 1,
          ).filter((l) => !c.accountsOnly || l.category === 'account');
          await insertOnce(tx, 'handoverItem', lines.map((l) => ({ ...l, dueAt: new Date(l.dueAt), resignationId: c.resignationId, checklistFlowId: c.checklistFlowId, ownerId, verifierId: c.supervisorId })));
          const accountDue = new Date(Date.parse(c.lastDayStartsAt) - durationMs(c.lead));
          const { count: reopened } = await tx.handoverItem.updateMany({
            where: { id: { in: earlier.map((i) => i.id) } },
            data: { checklistFlowId: c.checklistFlowId, status: 'reopened', reopenCount: { increment: 1 }, ownerId, verifierId: c.supervisorId, dueAt: accountDue, lastComment: 'the account is still with the leaver' },
          });
          await appendAudit(tx, { key: `${c.checklistFlowId}:generated`, action: 'handover.checklist_generated', flowId: c.checklistFlowId, payload: { items: lines.length + reopened, accounts: lines.filter((l) => l.category === 'account').length + reopened, reopened } });
        },
        { timeout: TRANSACTION_TIMEOUT_MS },
      );
      return checklistLayout(db, c.checklistFlowId);
    },

    /** The owner completes lines. Answers which lines this batch changed, the same on a retry. */
    async recordItemsCompleted(b: { checklistFlowId: string; resignationId: string; batch: number; itemNos: number[]; actorId: string; note?: string }): Promise<{ applied: number; itemNos: number[] }> {
      const key = `${b.checklistFlowId}:batch:${b.batch}`;
      return changeAndNotify(db, log, async (tx, notify) => {
        const earlier = await batchRecorded(tx, key);
        if (earlier) return { applied: earlier.itemNos.length, itemNos: earlier.itemNos };
        const items = await tx.handoverItem.findMany({ where: { resignationId: b.resignationId, itemNo: { in: b.itemNos }, status: { in: [...OPEN] } }, select: { id: true, itemNo: true, verifierId: true } });
        await tx.handoverItem.updateMany({
          where: { id: { in: items.map((i) => i.id) } },
          data: { status: 'done', completedById: b.actorId, completedAt: new Date(), note: b.note },
        });
        const itemNos = items.map((i) => i.itemNo);
        await appendAudit(tx, { key, action: 'handover.items_completed', flowId: b.checklistFlowId, actorId: b.actorId, payload: { itemNos, applied: items.length, note: b.note } });
        for (const verifierId of new Set(items.map((i) => i.verifierId))) {
          notify({ key: `${key}:${verifierId}`, recipientId: verifierId, template: 'handover_items_ready', params: { count: String(items.filter((i) => i.verifierId === verifierId).length) }, flowId: b.checklistFlowId });
        }
        return { applied: items.length, itemNos };
      });
    },

    /** Accepts or reopens done lines. An accepted account line hands the account to the successor
     *  in the same transaction, and only if it is still the leaver's. */
    async recordItemsVerified(b: { checklistFlowId: string; resignationId: string; batch: number; itemNos: number[]; actorId: string; verdict: 'accept' | 'reopen'; comment?: string; leaverId: string; successorId: string }): Promise<{ applied: number; accountsMoved: number; itemNos: number[] }> {
      const key = `${b.checklistFlowId}:batch:${b.batch}`;
      return changeAndNotify(db, log, async (tx, notify) => {
        const earlier = await batchRecorded(tx, key);
        if (earlier) return { applied: earlier.itemNos.length, accountsMoved: earlier.accountsMoved ?? 0, itemNos: earlier.itemNos };
        const items = await tx.handoverItem.findMany({ where: { resignationId: b.resignationId, itemNo: { in: b.itemNos }, status: 'done' }, select: { id: true, itemNo: true, accountId: true, ownerId: true } });
        const ids = items.map((i) => i.id);
        let accountsMoved = 0;
        if (b.verdict === 'accept') {
          await tx.handoverItem.updateMany({ where: { id: { in: ids } }, data: { status: 'verified', verifiedById: b.actorId, verifiedAt: new Date(), lastComment: b.comment } });
          const accountIds = items.flatMap((i) => (i.accountId ? [i.accountId] : []));
          accountsMoved = await moveAccounts(tx, { accountIds, fromId: b.leaverId, toId: b.successorId, key: `${key}:accounts`, flowId: b.checklistFlowId, actorId: b.actorId });
        } else {
          await tx.handoverItem.updateMany({ where: { id: { in: ids } }, data: { status: 'reopened', reopenCount: { increment: 1 }, lastComment: b.comment, verifiedById: b.actorId } });
        }
        const itemNos = items.map((i) => i.itemNo);
        await appendAudit(tx, { key, action: b.verdict === 'accept' ? 'handover.items_verified' : 'handover.items_reopened', flowId: b.checklistFlowId, actorId: b.actorId, payload: { itemNos, applied: items.length, accountsMoved, comment: b.comment } });
        if (b.verdict === 'reopen') {
          for (const owner of new Set(items.map((i) => i.ownerId))) {
            notify({ key: `${key}:${owner}`, recipientId: owner, template: 'handover_items_reopened', params: { count: String(items.filter((i) => i.ownerId === owner).length), comment: b.comment ?? '' }, flowId: b.checklistFlowId });
          }
        }
        return { applied: items.length, accountsMoved, itemNos };
      });
    },

    /** One chasing step for the lines due at `dueAt` that their owner has not done yet. */
    async chaseChecklistGroup(g: { checklistFlowId: string; resignationId: string; dueAt: string; step: ChaseStep; named: { supervisor?: string; hr?: string } }): Promise<{ chased: number; targetId?: string }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const where = { checklistFlowId: g.checklistFlowId, dueAt: new Date(g.dueAt), status: { in: [...OPEN] } };
        const items = await tx.handoverItem.findMany({ where, select: { itemNo: true, ownerId: true } });
        if (items.length === 0) return { chased: 0 };
        const owner = await tx.employee.findUniqueOrThrow({ where: { id: items[0]!.ownerId } });
        const key = `${g.checklistFlowId}:${g.dueAt}:${g.step.kind}:${g.step.kind === 'remind' ? g.step.reminder : g.step.level}`;
        const params = { count: String(items.length), dueAt: g.dueAt, ownerName: owner.name };
        if (g.step.kind === 'remind') {
          await tx.handoverItem.updateMany({ where, data: { reminderCount: g.step.reminder, lastChasedAt: new Date() } });
          await appendAudit(tx, { key, action: 'handover.items_reminded', flowId: g.checklistFlowId, payload: { dueAt: g.dueAt, reminder: g.step.reminder, to: owner.id, itemNos: items.map((i) => i.itemNo) } });
          notify({ key, recipientId: owner.id, template: 'handover_items_reminder', params, flowId: g.checklistFlowId });
          return { chased: items.length };
        }
        const targetId = await escalationTargetFor(tx, owner, g.step.to, [], g.named[g.step.to as 'supervisor' | 'hr']);
        await tx.handoverItem.updateMany({ where, data: { escalationLevel: g.step.level, lastChasedAt: new Date() } });
        await appendAudit(tx, { key, action: targetId ? 'handover.items_escalated' : 'handover.escalation_skipped', flowId: g.checklistFlowId, payload: { dueAt: g.dueAt, level: g.step.level, to: g.step.to, targetId, itemNos: items.map((i) => i.itemNo) } });
        if (targetId) notify({ key, recipientId: targetId, template: 'handover_items_escalated', params: { ...params, level: String(g.step.level) }, critical: g.step.to === 'hr', flowId: g.checklistFlowId });
        return { chased: items.length, targetId };
      });
    },

    /** The last working day has come: everything not verified goes to HR as critical. */
    async escalateChecklistCritical(c: { checklistFlowId: string; hrId: string }): Promise<{ open: number }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const where = { checklistFlowId: c.checklistFlowId, status: { not: 'verified' as const } };
        const { count } = await tx.handoverItem.updateMany({ where, data: { critical: true, lastChasedAt: new Date() } });
        const key = `${c.checklistFlowId}:critical`;
        await appendAudit(tx, { key, action: 'handover.critical_escalation', flowId: c.checklistFlowId, payload: { open: count, to: c.hrId } });
        if (count) notify({ key, recipientId: c.hrId, template: 'handover_critical', params: { count: String(count) }, critical: true, flowId: c.checklistFlowId });
        return { open: count };
      });
    },

    /** The leaver has gone: lines they had not done pass to the supervisor. */
    async handItemsToSupervisor(c: { checklistFlowId: string; leaverId: string; supervisorId: string }): Promise<{ moved: number }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.handoverItem.updateMany({ where: { checklistFlowId: c.checklistFlowId, ownerId: c.leaverId, status: { in: [...OPEN] } }, data: { ownerId: c.supervisorId } });
        const key = `${c.checklistFlowId}:departed`;
        await appendAudit(tx, { key, action: 'handover.items_reassigned', flowId: c.checklistFlowId, payload: { from: c.leaverId, to: c.supervisorId, items: count } });
        if (count) notify({ key, recipientId: c.supervisorId, template: 'handover_items_passed', params: { count: String(count) }, critical: true, flowId: c.checklistFlowId });
        return { moved: count };
      });
    },

    async accountsStillWith({ employeeId }: { employeeId: string }): Promise<number> {
      return db.account.count({ where: { assigneeId: employeeId } });
    },

    /** Accounts keep reaching the leaver round after round: the flow's HR officer and the admins
     *  hear of it as critical, once per round. */
    async reportAccountsStillArriving(a: { flowId: string; resignationId: string; leaverId: string; hrId: string; round: number; remaining: number }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const key = `${a.flowId}:still-arriving:${a.round}`;
        await appendAudit(tx, { key, action: 'handover.accounts_still_arriving', flowId: a.flowId, payload: { round: a.round, accountsStillWithLeaver: a.remaining } });
        const leaver = await tx.employee.findUniqueOrThrow({ where: { id: a.leaverId }, select: { name: true } });
        const admins = await tx.employee.findMany({ where: { status: 'active', roles: { has: 'admin' } }, select: { id: true } });
        for (const recipientId of new Set([a.hrId, ...admins.map((e) => e.id)])) {
          notify({ key: `${key}:${recipientId}`, recipientId, template: 'accounts_still_arriving', params: { leaverName: leaver.name, rounds: String(a.round), count: String(a.remaining) }, critical: true, flowId: a.flowId });
        }
      });
    },

    async recordArticle(a: { flowId: string; id: string; resignationId: string; authorId: string; kind: 'procedure' | 'lesson' | 'key_customer'; title: string; body: string; revision: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { id, flowId, ...fields } = a;
        await tx.knowledgeArticle.upsert({ where: { id }, create: { id, ...fields }, update: { title: a.title, body: a.body, kind: a.kind, revision: a.revision, status: 'submitted' } });
        await appendAudit(tx, { key: `${flowId}:article:${id}:r${a.revision}`, action: 'knowledge.submitted', flowId, actorId: a.authorId, payload: { articleId: id, kind: a.kind, title: a.title, revision: a.revision } });
      });
    },

    async recordArticleReview(r: { flowId: string; articleId: string; revision: number; approved: boolean; reviewerId: string; comment?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.knowledgeArticle.update({
          where: { id: r.articleId },
          data: r.approved ? { status: 'published', publishedAt: new Date(), reviewedById: r.reviewerId, reviewerComment: r.comment } : { status: 'changes_requested', reviewedById: r.reviewerId, reviewerComment: r.comment },
        });
        await appendAudit(tx, { key: `${r.flowId}:article:${r.articleId}:r${r.revision}:reviewed`, action: r.approved ? 'knowledge.published' : 'knowledge.changes_requested', flowId: r.flowId, actorId: r.reviewerId, payload: { articleId: r.articleId, comment: r.comment } });
      });
    },

    async recordMentoringSession(s: { flowId: string; id: string; resignationId: string; mentorId: string; successorId: string; round: number; heldAt: string; durationMinutes: number; topic: string; notes?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = s;
        await insertOnce(tx, 'mentoringSession', [{ ...row, heldAt: new Date(s.heldAt) }]);
        await appendAudit(tx, { key: `${flowId}:mentoring:${s.id}`, action: 'mentoring.session_logged', flowId, actorId: s.mentorId, payload: { round: s.round, heldAt: s.heldAt, topic: s.topic } });
      });
    },

    async recordAssessment(a: { flowId: string; id: string; resignationId: string; successorId: string; assessorId: string; attempt: number; passed: boolean; score: number; comment?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = a;
        await insertOnce(tx, 'successorAssessment', [row]);
        await appendAudit(tx, { key: `${flowId}:assessment:${a.attempt}`, action: a.passed ? 'successor.passed' : 'successor.failed', flowId, actorId: a.assessorId, payload: { attempt: a.attempt, score: a.score, comment: a.comment } });
      });
    },

    /** HR names another successor: the accounts this handover gave the old one move to the new one. */
    async replaceSuccessor(r: { flowId: string; resignationId: string; fromId: string; toId: string; actorId: string }): Promise<{ accountsMoved: number }> {
      return db.$transaction(async (tx) => {
        const handed = await tx.handoverItem.findMany({ where: { resignationId: r.resignationId, status: 'verified', accountId: { not: null } }, select: { accountId: true } });
        const count = await moveAccounts(tx, { accountIds: handed.map((h) => h.accountId!), fromId: r.fromId, toId: r.toId, key: `${r.flowId}:successor:${r.toId}:accounts`, flowId: r.flowId, actorId: r.actorId });
        await tx.resignation.update({ where: { id: r.resignationId }, data: { successorId: r.toId } });
        await appendAudit(tx, { key: `${r.flowId}:successor:${r.toId}`, action: 'handover.successor_replaced', flowId: r.flowId, actorId: r.actorId, payload: { from: r.fromId, to: r.toId, accountsMoved: count } });
        return { accountsMoved: count };
      });
    },

    /** Signs the handover off: the leaver becomes `left`, but only if no account is still theirs. */
    async completeHandover(c: { flowId: string; resignationId: string; leaverId: string }): Promise<{ remaining: number }> {
      return db.$transaction(async (tx) => {
        const remaining = await tx.account.count({ where: { assigneeId: c.leaverId } });
        if (remaining > 0) {
          await appendAudit(tx, { key: `${c.flowId}:signoff-blocked:${remaining}`, action: 'handover.sign_off_blocked', flowId: c.flowId, payload: { accountsStillWithLeaver: remaining } });
          return { remaining };
        }
        await tx.employee.update({ where: { id: c.leaverId }, data: { status: 'left' } });
        await tx.resignation.update({ where: { id: c.resignationId }, data: { status: 'completed', completedAt: new Date() } });
        await appendAudit(tx, { key: `${c.flowId}:signed-off`, action: 'handover.signed_off', flowId: c.flowId, payload: { leaverId: c.leaverId } });
        return { remaining: 0 };
      });
    },

    async finishHandover(f: { flowId: string; resignationId: string; rating?: { score: number; comment?: string; actorId: string } }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.resignation.update({ where: { id: f.resignationId }, data: { phase: 'completed', ratingScore: f.rating?.score, ratingComment: f.rating?.comment } });
        await tx.flow.update({ where: { id: f.flowId }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        await appendAudit(tx, { key: `${f.flowId}:completed`, action: 'handover.completed', flowId: f.flowId, actorId: f.rating?.actorId, payload: { rating: f.rating?.score } });
      });
    },
  };
}

async function checklistLayout(db: Db, checklistFlowId: string): Promise<ChecklistLayout> {
  const items = await db.handoverItem.findMany({ where: { checklistFlowId }, orderBy: { itemNo: 'asc' }, select: { itemNo: true, dueAt: true, status: true } });
  const dueTimes = [...new Set(items.map((i) => i.dueAt.toISOString()))].sort();
  return {
    itemNos: items.map((i) => i.itemNo),
    statuses: items.map((i) => i.status),
    dueGroups: items.map((i) => dueTimes.indexOf(i.dueAt.toISOString())),
    dueTimes,
  };
}

/** What an earlier attempt of the same batch recorded, if one committed. */
async function batchRecorded(tx: Tx, key: string): Promise<{ itemNos: number[]; accountsMoved?: number } | undefined> {
  const event = await tx.auditEvent.findUnique({ where: { key } });
  return event ? (event.payload as { itemNos: number[]; accountsMoved?: number }) : undefined;
}
