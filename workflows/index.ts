// The workflow bundle's entry point: every workflow type the worker runs.
export { trainingPlanApproval } from './trainingPlan';
export { handoverChecklist } from './handoverChecklist';
export { resignationHandover } from './resignationHandover';
export { needsAnalysisCycle } from './needsAnalysisCycle';
export { flowEndWatch } from './flowEndWatch';
export { trainingSession } from './trainingSession';
export { trainingFollowUp } from './trainingFollowUp';
export { participantFollowUp } from './participantFollowUp';
