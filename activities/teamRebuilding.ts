import type { Logger } from 'pino';
import type { RecordTeamTalkArgs, TeamRebuildingTeam } from '../domain/teamRebuilding';
import type { Db } from '../prisma/db';
import { appendAudit } from './audit';

/** The writes of a team's rebuilding after a departure; each keyed by the resignation (and the
 *  talk's step), so a retry writes nothing twice and answers what the first attempt decided. */
export function teamRebuildingActivities(db: Db, _log: Logger) {
  return {
    /**
     * Who rebuilds the team and with whom: the leaver's manager (else their department's head, else
     * the first HR officer), and every other active member of the leaver's department but the head.
     */
    async openTeamRebuilding(r: { flowId: string; resignationId: string; leaverId: string; dueAt: string }): Promise<TeamRebuildingTeam> {
      return db.$transaction(async (tx) => {
        const leaver = await tx.employee.findUniqueOrThrow({
          where: { id: r.leaverId },
          select: { name: true, departmentId: true, manager: { select: { id: true, status: true } }, department: { select: { head: { select: { id: true, status: true } } } } },
        });
        const known = await tx.teamRebuilding.findUnique({ where: { resignationId: r.resignationId } });
        if (known) return { headId: known.headId, memberIds: known.memberIds, leaverName: leaver.name };
        const active = (p: { id: string; status: string } | null) => (p?.status === 'active' && p.id !== r.leaverId ? p.id : undefined);
        const headId =
          active(leaver.manager) ??
          active(leaver.department.head) ??
          (await tx.employee.findFirstOrThrow({ where: { status: 'active', roles: { has: 'hr' }, id: { not: r.leaverId } }, orderBy: { employeeNo: 'asc' } })).id;
        const members = await tx.employee.findMany({
          where: { departmentId: leaver.departmentId, status: 'active', id: { notIn: [r.leaverId, headId] } },
          orderBy: { employeeNo: 'asc' },
          select: { id: true },
        });
        const memberIds = members.map((m) => m.id);
        await tx.flow.upsert({
          where: { id: r.flowId },
          create: { id: r.flowId, type: 'team_rebuilding', businessKey: r.resignationId, subject: `团队重建 Team rebuilding after ${leaver.name}` },
          update: {},
        });
        await tx.teamRebuilding.create({
          data: { resignationId: r.resignationId, flowId: r.flowId, leaverId: r.leaverId, departmentId: leaver.departmentId, headId, memberIds, dueAt: new Date(r.dueAt) },
        });
        await appendAudit(
          tx,
          { key: `${r.flowId}:started`, action: 'flow.started', flowId: r.flowId, payload: { type: 'team_rebuilding', businessKey: r.resignationId } },
          { key: `${r.flowId}:opened`, action: 'team.rebuilding_opened', flowId: r.flowId, payload: { leaverId: r.leaverId, headId, memberIds, dueAt: r.dueAt } },
        );
        return { headId, memberIds, leaverName: leaver.name };
      });
    },

    /** A talk on record; `onBehalfOfId` as the talk's task says (its holder, when someone it was escalated to records it). */
    async recordTeamTalk(t: RecordTeamTalkArgs & { flowId: string; resignationId: string; step: string; onBehalfOfId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.teamTalk.createMany({
          data: [{
            resignationId: t.resignationId,
            step: t.step,
            memberId: t.memberId ?? null,
            heldOn: new Date(`${t.heldOn}T00:00:00Z`),
            notes: t.notes,
            recordedById: t.actorId,
            onBehalfOfId: t.onBehalfOfId,
          }],
          skipDuplicates: true,
        });
        if (count === 0) return; // a retry
        await appendAudit(tx, {
          key: `${t.flowId}:talk:${t.step}`,
          action: t.memberId ? 'team.one_to_one_held' : 'team.meeting_held',
          flowId: t.flowId,
          actorId: t.actorId,
          onBehalfOfId: t.onBehalfOfId,
          payload: { memberId: t.memberId, heldOn: t.heldOn },
        });
      });
    },

    async finishTeamRebuilding(f: { flowId: string; resignationId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.teamRebuilding.updateMany({ where: { resignationId: f.resignationId, status: 'open' }, data: { status: 'done', finishedAt: new Date() } });
        if (count) await appendAudit(tx, { key: `${f.flowId}:done`, action: 'team.rebuilding_done', flowId: f.flowId, payload: {} });
      });
    },
  };
}
