/** The exit interview's write (离职面谈): once per resignation, so a retried attempt writes nothing twice. */
import type { Logger } from 'pino';
import type { ExitInterviewArgs } from '../domain/exitInterview';
import type { Db } from '../prisma/db';
import { auditFlowStep } from './audit';

export function exitInterviewActivities(db: Db, _log: Logger) {
  return {
    /** Records the interview with the leaver's department, team and last working day as they are
     *  now; answers the leaver's active teammates (same manager), whose risk it may change. */
    async recordExitInterview(i: ExitInterviewArgs & { flowId: string; resignationId: string; onBehalfOfId?: string }): Promise<{ teamIds: string[] }> {
      return db.$transaction(async (tx) => {
        const resignation = await tx.resignation.findUniqueOrThrow({
          where: { id: i.resignationId },
          select: { employeeId: true, lastWorkingDay: true, employee: { select: { departmentId: true, managerId: true } } },
        });
        const { departmentId, managerId } = resignation.employee;
        await tx.exitInterview.createMany({
          data: [{
            resignationId: i.resignationId,
            flowId: i.flowId,
            employeeId: resignation.employeeId,
            departmentId,
            teamManagerId: managerId,
            leftOn: resignation.lastWorkingDay,
            heldOn: new Date(i.heldOn),
            causes: i.causes,
            notes: i.notes,
            wouldReturn: i.wouldReturn,
            wouldRecommend: i.wouldRecommend,
            recordedById: i.actorId,
          }],
          skipDuplicates: true,
        });
        // The notes stay in the record: the trail says who held it and what was chosen.
        await auditFlowStep(tx, i.flowId, 'exit-interview', 'handover.exit_interview_held', { heldOn: i.heldOn, causes: i.causes, wouldReturn: i.wouldReturn, wouldRecommend: i.wouldRecommend }, i.actorId, i.onBehalfOfId);
        const team = managerId ? await tx.employee.findMany({ where: { managerId, status: 'active', id: { not: resignation.employeeId } }, select: { id: true } }) : [];
        return { teamIds: team.map((e) => e.id) };
      });
    },
  };
}
