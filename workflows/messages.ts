import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AddSignerArgs, CancelFlowArgs, CcArgs, DecideTaskArgs, NextTask, OpenTaskView, TaskResult, TransferTaskArgs } from '../domain/tasks';
import type { PlanStatus, SubmitPlanArgs, WithdrawPlanArgs } from '../domain/trainingPlan';
import type {
  AssessmentArgs,
  AssignHandoverArgs,
  CompleteItemsArgs,
  MentoringSessionArgs,
  RatingArgs,
  SubmitArticleArgs,
  SuccessorReviewArgs,
  VerifyItemsArgs,
} from '../domain/handover';
import type { ExitInterviewArgs } from '../domain/exitInterview';
import type { ApplicationArgs, AttendeesJoined, BaselineArgs, BehaviourArgs, CoachingSessionArgs, MentorArgs, ResultsArgs, ScoresArgs } from '../domain/followUp';
import type { DelegateTaskArgs, DelegationStatus, EndDelegationArgs } from '../domain/delegation';
import type { AnswerSurveyArgs, SurveyActionArgs } from '../domain/surveys';
import type { CommentArgs } from '../domain/comments';
import type { AnswerSuggestionArgs } from '../domain/suggestion';
import type { CareerPlanReviewArgs, ReviseCareerPlanArgs } from '../domain/careerPlan';
import type { RecordTeamTalkArgs } from '../domain/teamRebuilding';
import type { StaffingChangeArgs, StaffingReassignArgs, StaffingStatus } from '../domain/staffingAdjustment';
import type { AssessArgs, NominateArgs, PlaceCandidateArgs, PoolMinimumArgs, PoolReviewArgs, WithdrawArgs as WithdrawCandidateArgs } from '../domain/reservePool';
import type { ActionCheckArgs, RetentionCloseArgs, RetentionEnd, RetentionReviewArgs, StayInterviewArgs } from '../domain/risk';
import type { AssessmentArgs as HireAssessmentArgs, CheckInArgs, CoachingArgs, ConfirmDocumentArgs, CultureArgs, DocumentRevised, DrillArgs, EnrolArgs, PortfolioArgs, ProbationArgs, PulseArgs } from '../domain/onboarding';
import type { ApplyArgs, DecideArgs, EvaluateArgs, ExtendArgs, VacancyStatus, WithdrawArgs } from '../domain/promotion';
import type { AdjustmentArgs, LowResponseArgs, ObservationArgs, SurveyArgs } from '../domain/needsCycle';
import type { Attendance, AttendanceArgs, CloseSignInArgs, FeedbackArgs, MonitorArgs, NoteArgs, ParticipantsArgs, ReportArgs, RescheduleArgs, SignInArgs, TrainerArgs } from '../domain/trainingSession';

/** What every flow answers about itself while it runs. */
export interface FlowLiveState {
  type: string;
  status: string;
  step: string;
  openTasks: OpenTaskView[];
  details: Record<string, unknown>;
}
export const flowState = defineQuery<FlowLiveState>('flowState');

/** HR cancels a flow started by mistake (a resignation filed in error, a needs cycle not wanted). */
export const cancelFlow = defineUpdate<{ status: 'cancelled' } & Answer, [CancelFlowArgs]>('cancelFlow');

/** An operator has fixed what a stalled flow was missing: try again now rather than at the next timer. */
export const resumeFlow = defineUpdate<{ resumed: boolean }>('resumeFlow');

/** Every message's answer lists the tasks it led to (already in their assignees' inboxes). */
export interface Answer {
  next: NextTask[];
}

export interface DecideTaskResult extends Partial<TaskResult>, Answer {
  taskId: string;
  status: 'done' | 'cancelled';
}
/** A person decides one of the flow's open tasks (any procedure). */
export const decideTask = defineUpdate<DecideTaskResult, [DecideTaskArgs]>('decideTask');
/** The holder of an open task hands it to another person (转交); `next` is the task in its new inbox. */
export const transferTask = defineUpdate<Answer & { taskId: string; assigneeId: string }, [TransferTaskArgs]>('transferTask');
/** 加签: the holder adds a signer before (`signerTaskId`, in `next`) or after themselves. */
export type AddSignerResult = Answer & { taskId: string; signerTaskId?: string };
export const addSigner = defineUpdate<AddSignerResult, [AddSignerArgs]>('addSigner');
/** 抄送: the holder copies people in on the flow; `added` are those not copied in before. */
export type CopyInResult = Answer & { flowId: string; added: string[] };
export const copyIn = defineUpdate<CopyInResult, [CcArgs]>('copyIn');
/** Anyone who may read the flow comments on it (the API checked that); its participants are told. */
export const commentOnFlow = defineUpdate<{ commentId: string; createdAt: string }, [CommentArgs]>('commentOnFlow');

/** Delegation while away: a delegation's flow answers its start once it is on record; ends early on request. */
export const delegationStarted = defineUpdate<{ delegationId: string; flowId: string; status: DelegationStatus }>('delegationStarted');
export const endDelegation = defineUpdate<{ status: DelegationStatus }, [EndDelegationArgs]>('endDelegation');
/** The owner's open task goes to their delegate, who acts for them (sent by the delegation's start). */
export const delegateTask = defineUpdate<{ taskId: string; assigneeId: string }, [DelegateTaskArgs]>('delegateTask');

/** Staffing adjustment: its flow answers its start once it is on record (or refused: an overlap);
 *  HR makes it permanent or ends it early. */
export const staffingAdjustmentStarted = defineUpdate<{ adjustmentId: string; flowId: string; status: StaffingStatus }>('staffingAdjustmentStarted');
export const makeStaffingPermanent = defineUpdate<{ status: StaffingStatus }, [StaffingChangeArgs]>('makeStaffingPermanent');
export const endStaffingEarly = defineUpdate<{ status: StaffingStatus }, [StaffingChangeArgs]>('endStaffingEarly');
/** The owner left during the cover: whoever holds HR's reassignment task names who keeps the accounts. */
export const reassignCoveredAccounts = defineUpdate<{ holderId: string; moved: number } & Answer, [StaffingReassignArgs]>('reassignCoveredAccounts');

export interface SubmitPlanResult extends Answer {
  flowId: string;
  version: number;
}
export const submitPlan = defineUpdate<SubmitPlanResult, [SubmitPlanArgs]>('submitPlan');
export const withdrawPlan = defineUpdate<{ status: PlanStatus }, [WithdrawPlanArgs]>('withdrawPlan');

/** The handover flow has recorded its resignation (the answer to a start, repeated or not). */
export const handoverStarted = defineUpdate<{ resignationId: string; flowId: string; stalledReason?: string }>('handoverStarted');
export const assignHandover = defineUpdate<{ phase: string }, [AssignHandoverArgs]>('assignHandover');
export const submitArticle = defineUpdate<{ articleId: string; revision: number }, [SubmitArticleArgs]>('submitArticle');
export const logMentoringSession = defineUpdate<{ sessionId: string; sessions: number; required: number }, [MentoringSessionArgs]>('logMentoringSession');
export const assessSuccessor = defineUpdate<{ attempt: number; passed: boolean }, [AssessmentArgs]>('assessSuccessor');
export const reviewSuccessor = defineUpdate<{ decision: 'keep' | 'replace' }, [SuccessorReviewArgs]>('reviewSuccessor');
export const rateHandover = defineUpdate<{ score: number }, [RatingArgs]>('rateHandover');
/** HR records the exit interview (离职面谈) of a handover. */
export const recordExitInterview = defineUpdate<{ causes: string[] } & Answer, [ExitInterviewArgs]>('recordExitInterview');

/** Checklist lines, sent to the checklist's own workflow in batches. */
export interface ItemsResult {
  applied: number;
  accountsMoved?: number;
}
export const completeItems = defineUpdate<ItemsResult, [CompleteItemsArgs]>('completeItems');
export const verifyItems = defineUpdate<ItemsResult, [VerifyItemsArgs]>('verifyItems');

/** A training needs cycle's messages. `needsCycleStarted` answers once the cycle is on record. */
export const needsCycleStarted = defineUpdate<{ cycleId: string; flowId: string }>('needsCycleStarted');
export const submitSurvey = defineUpdate<{ responded: number; participants: number }, [SurveyArgs]>('submitSurvey');
export const submitObservation = defineUpdate<{ observed: number; participants: number }, [ObservationArgs]>('submitObservation');
export const decideLowResponse = defineUpdate<{ choice: 'extend' | 'proceed' }, [LowResponseArgs]>('decideLowResponse');
export const adjustAssessment = defineUpdate<{ version: number }, [AdjustmentArgs]>('adjustAssessment');

/** A training session's messages. `sessionStarted` answers once the session is on record. */
export const sessionStarted = defineUpdate<{ sessionId: string; flowId: string; sessionNo: number }>('sessionStarted');
export const rescheduleSession = defineUpdate<{ version: number; startsAt: string; endsAt: string; location?: string } & Answer, [RescheduleArgs]>('rescheduleSession');
export const changeSessionParticipants = defineUpdate<{ participants: string[] } & Answer, [ParticipantsArgs]>('changeSessionParticipants');
export const nameSessionMonitor = defineUpdate<{ monitorId: string }, [MonitorArgs]>('nameSessionMonitor');
export const nameSessionTrainer = defineUpdate<{ trainerId: string } & Answer, [TrainerArgs]>('nameSessionTrainer');
export const signInToSession = defineUpdate<{ attendance: Attendance; signedInAt?: string | null; counted: boolean }, [SignInArgs]>('signInToSession');
export const closeSessionSignIn = defineUpdate<{ absent: number }, [CloseSignInArgs]>('closeSessionSignIn');
export const recordSessionAttendance = defineUpdate<{ attendance: Attendance; signedInAt: string | null }, [AttendanceArgs]>('recordSessionAttendance');
export const logSessionNote = defineUpdate<{ noteId: string }, [NoteArgs]>('logSessionNote');
export const submitSessionFeedback = defineUpdate<{ received: number } & Answer, [FeedbackArgs]>('submitSessionFeedback');
export const submitSessionReport = defineUpdate<{ reported: boolean } & Answer, [ReportArgs]>('submitSessionReport');

/** A training programme's follow-up: the sessions hand over their attendees; scores and results
 *  go to the programme, everything about one participant to their own flow. */
export const attendeesJoined = defineSignal<[AttendeesJoined]>('attendeesJoined');
export const participantFinished = defineSignal<[{ employeeId: string }]>('participantFinished');
/** A session of the plan was cancelled: the programme counts the sessions still ahead again. */
export const sessionsChanged = defineSignal('sessionsChanged');
export const scoreRecorded = defineSignal<[{ attempt: number; score: number; passed: boolean }]>('scoreRecorded');
export const recordScores = defineUpdate<{ recorded: number; retests: string[] } & Answer, [ScoresArgs]>('recordScores');
export const recordResults = defineUpdate<{ recorded: number } & Answer, [ResultsArgs]>('recordResults');
export const giveBaseline = defineUpdate<{ baseline: Record<string, number> } & Answer, [BaselineArgs]>('giveBaseline');
export const reportApplication = defineUpdate<{ checkpointNo: number } & Answer, [ApplicationArgs]>('reportApplication');
export const rateBehaviour = defineUpdate<{ checkpointNo: number; change: number | null } & Answer, [BehaviourArgs]>('rateBehaviour');
export const logCoachingSession = defineUpdate<{ sessions: number; required: number } & Answer, [CoachingSessionArgs]>('logCoachingSession');
export const nameMentor = defineUpdate<{ mentorId: string }, [MentorArgs]>('nameMentor');

/** A survey run's messages: an answer cast (its ballot filed by the API), an action assigned by HR. */
export const answerSurvey = defineUpdate<{ answered: number; invited: number } & Answer, [AnswerSurveyArgs]>('answerSurvey');
export const assignSurveyAction = defineUpdate<{ actionNo: number } & Answer, [SurveyActionArgs]>('assignSurveyAction');

/** A suggestion's messages: its flow answers the submission once it is on record; the head answers. */
export const suggestionSubmitted = defineUpdate<{ suggestionId: string; flowId: string }>('suggestionSubmitted');
export const answerSuggestion = defineUpdate<{ status: 'answered' } & Answer, [AnswerSuggestionArgs]>('answerSuggestion');

/** A career plan's messages: a revision (by the employee, their manager or HR; it starts the flow
 *  the first time), and the yearly review by whoever holds its task. */
export const reviseCareerPlan = defineUpdate<{ revision: number; nextReviewAt: string }, [ReviseCareerPlanArgs]>('reviseCareerPlan');
export const reviewCareerPlan = defineUpdate<{ reviewNo: number; revision: number; nextReviewAt: string } & Answer, [CareerPlanReviewArgs]>('reviewCareerPlan');
/** Team rebuilding: the head (or whoever a talk's task went to) records a talk once it is held. */
export const recordTeamTalk = defineUpdate<{ step: string; remaining: number } & Answer, [RecordTeamTalkArgs]>('recordTeamTalk');

/** A reserve pool's messages: managers nominate, HR assesses, withdraws and sets the minimum, a
 *  handover places a candidate it names successor; each quarter the pool is asked for its review. */
export interface PoolChange {
  held: number;
  short: boolean;
}
export const nominateCandidate = defineUpdate<PoolChange, [NominateArgs]>('nominateCandidate');
export const assessCandidate = defineUpdate<PoolChange, [AssessArgs]>('assessCandidate');
export const withdrawCandidate = defineUpdate<PoolChange, [WithdrawCandidateArgs]>('withdrawCandidate');
export const placeCandidate = defineUpdate<PoolChange & { placed: boolean }, [PlaceCandidateArgs]>('placeCandidate');
export const setPoolMinimum = defineUpdate<PoolChange, [PoolMinimumArgs]>('setPoolMinimum');
export const reviewPool = defineUpdate<PoolChange & { reviewNo: number } & Answer, [PoolReviewArgs]>('reviewPool');
export const poolReviewDue = defineSignal<[{ quarter: string }]>('poolReviewDue');

/** A vacancy's messages: its flow answers the opening once the vacancy is on record; employees apply
 *  (and withdraw) while the window is open; each panelist sends their scores; HR decides; HR opens
 *  the window again when nobody applied. */
export const vacancyOpened = defineUpdate<{ vacancyId: string; flowId: string }>('vacancyOpened');
export const applyForVacancy = defineUpdate<{ status: 'applied' } & Answer, [ApplyArgs]>('applyForVacancy');
export const withdrawApplication = defineUpdate<{ status: 'withdrawn' } & Answer, [WithdrawArgs]>('withdrawApplication');
export const evaluateApplicants = defineUpdate<{ evaluated: number } & Answer, [EvaluateArgs]>('evaluateApplicants');
export const decidePromotion = defineUpdate<{ status: VacancyStatus; selectedId: string | null } & Answer, [DecideArgs]>('decidePromotion');
export const extendVacancy = defineUpdate<{ applyUntil: string } & Answer, [ExtendArgs]>('extendVacancy');

/** A retention flow's messages (留任): the manager's stay interview, HR's review, each action's
 *  check by its owner, HR closing it; a recompute tells it the employee's level fell below high. */
export const recordStayInterview = defineUpdate<{ actions: number } & Answer, [StayInterviewArgs]>('recordStayInterview');
export const reviewRetention = defineUpdate<{ stage: string } & Answer, [RetentionReviewArgs]>('reviewRetention');
export const checkRetentionAction = defineUpdate<{ actionNo: number; remaining: number } & Answer, [ActionCheckArgs]>('checkRetentionAction');
export const closeRetention = defineUpdate<{ status: RetentionEnd }, [RetentionCloseArgs]>('closeRetention');
export const riskLevelFell = defineSignal<[{ level: string }]>('riskLevelFell');
/** A hire's onboarding (DOMAIN.md §6): `onboardingStarted` answers once the hire is on record; each
 *  step's form comes from whoever its task is for; the document registry tells of new versions. */
export const onboardingStarted = defineUpdate<{ employeeId: string; flowId: string }>('onboardingStarted');
export const attestCulture = defineUpdate<{ attested: true } & Answer, [CultureArgs]>('attestCulture');
export const confirmDocument = defineUpdate<{ documentId: string; version: number } & Answer, [ConfirmDocumentArgs]>('confirmDocument');
export const enrolHire = defineUpdate<{ sessionId: string } & Answer, [EnrolArgs]>('enrolHire');
export const scoreDrill = defineUpdate<{ drillNo: number; mean: number; passed: boolean } & Answer, [DrillArgs]>('scoreDrill');
export const logHireCoaching = defineUpdate<{ sessions: number; required: number } & Answer, [CoachingArgs]>('logHireCoaching');
export const assessHire = defineUpdate<{ round: number; attempt: number; passed: boolean } & Answer, [HireAssessmentArgs]>('assessHire');
export const decideProbation = defineUpdate<{ decision: ProbationArgs['decision'] } & Answer, [ProbationArgs]>('decideProbation');
export const checkInHire = defineUpdate<{ checkpoint: number } & Answer, [CheckInArgs]>('checkInHire');
export const answerPulse = defineUpdate<{ checkpoint: number } & Answer, [PulseArgs]>('answerPulse');
export const assignPortfolio = defineUpdate<{ moved: number } & Answer, [PortfolioArgs]>('assignPortfolio');
export const documentRevised = defineSignal<[DocumentRevised]>('documentRevised');
/** The session the hire is enrolled in has final attendance (sign-in closed): look now, not at its end. */
export const sessionAttendanceFinal = defineSignal<[{ sessionId: string }]>('sessionAttendanceFinal');
