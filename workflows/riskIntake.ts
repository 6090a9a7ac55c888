/**
 * Early warning's intake (DOMAIN.md §7): a month's imported figures, a manager's flag or a new rule
 * version is written, then the employees it concerns are scored again, in the same short flow, so
 * levels follow the data as it arrives (never by polling). A rise to high starts a retention flow.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { RecomputedLevel, RiskIntake } from '../domain/risk';
import type { FlowSettings } from '../domain/settings';
import { records } from './records';

export async function riskIntake(intake: RiskIntake, settings: FlowSettings): Promise<{ version?: number; levels: RecomputedLevel[] }> {
  const flowId = workflowInfo().workflowId;
  const { employeeIds, version } = await records.takeRiskIntake({ ...intake, flowId });
  const levels = await records.recomputeRisk({ key: flowId, employeeIds, cause: intake.kind, settings });
  return { version, levels };
}
