// The workflow bundle's entry point: every workflow type the worker runs.
//
// Each flow evaluates its own copy of every module it loads (the SDK keeps flows apart), so a
// type's module is loaded when a flow of that type first runs: a plan's flow does not build the
// handover's or the follow-up's schemas. Measured with `npm run bench:modules`.
import type * as plans from './trainingPlan';
import type * as checklists from './handoverChecklist';
import type * as handovers from './resignationHandover';
import type * as needs from './needsAnalysisCycle';
import type * as watches from './flowEndWatch';
import type * as sessions from './trainingSession';
import type * as followUps from './trainingFollowUp';
import type * as participants from './participantFollowUp';
import type * as delegations from './delegation';
import type * as surveys from './surveyRun';
import type * as scheduledNeeds from './scheduledNeedsCycle';
import type * as suggestions from './suggestion';
import type * as careerPlans from './careerPlan';
import type * as promotions from './promotion';
import type * as teams from './teamRebuilding';
import type * as pools from './reservePool';
import type * as retentions from './retention';
import type * as riskIntakes from './riskIntake';
import type * as onboardings from './onboarding';
import type * as staffing from './staffingAdjustment';

/** A workflow function that loads its module on its flow's first run. */
function loadedOnRun<A extends unknown[], R>(load: () => (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => load()(...args);
}

export const trainingPlanApproval = loadedOnRun((): typeof plans.trainingPlanApproval => require('./trainingPlan').trainingPlanApproval);
export const handoverChecklist = loadedOnRun((): typeof checklists.handoverChecklist => require('./handoverChecklist').handoverChecklist);
export const resignationHandover = loadedOnRun((): typeof handovers.resignationHandover => require('./resignationHandover').resignationHandover);
export const needsAnalysisCycle = loadedOnRun((): typeof needs.needsAnalysisCycle => require('./needsAnalysisCycle').needsAnalysisCycle);
export const flowEndWatch = loadedOnRun((): typeof watches.flowEndWatch => require('./flowEndWatch').flowEndWatch);
export const trainingSession = loadedOnRun((): typeof sessions.trainingSession => require('./trainingSession').trainingSession);
export const trainingFollowUp = loadedOnRun((): typeof followUps.trainingFollowUp => require('./trainingFollowUp').trainingFollowUp);
export const participantFollowUp = loadedOnRun((): typeof participants.participantFollowUp => require('./participantFollowUp').participantFollowUp);
export const delegationPeriod = loadedOnRun((): typeof delegations.delegationPeriod => require('./delegation').delegationPeriod);
export const surveyRun = loadedOnRun((): typeof surveys.surveyRun => require('./surveyRun').surveyRun);
export const scheduledNeedsCycle = loadedOnRun((): typeof scheduledNeeds.scheduledNeedsCycle => require('./scheduledNeedsCycle').scheduledNeedsCycle);
export const suggestion = loadedOnRun((): typeof suggestions.suggestion => require('./suggestion').suggestion);
export const careerPlan = loadedOnRun((): typeof careerPlans.careerPlan => require('./careerPlan').careerPlan);
export const promotion = loadedOnRun((): typeof promotions.promotion => require('./promotion').promotion);
export const teamRebuilding = loadedOnRun((): typeof teams.teamRebuilding => require('./teamRebuilding').teamRebuilding);
export const reservePool = loadedOnRun((): typeof pools.reservePool => require('./reservePool').reservePool);
export const reservePoolReviews = loadedOnRun((): typeof pools.reservePoolReviews => require('./reservePool').reservePoolReviews);
export const retention = loadedOnRun((): typeof retentions.retention => require('./retention').retention);
export const riskIntake = loadedOnRun((): typeof riskIntakes.riskIntake => require('./riskIntake').riskIntake);
export const onboarding = loadedOnRun((): typeof onboardings.onboarding => require('./onboarding').onboarding);
export const staffingAdjustment = loadedOnRun((): typeof staffing.staffingAdjustment => require('./staffingAdjustment').staffingAdjustment);
