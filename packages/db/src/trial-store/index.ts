export { withStudyLock, lockStudy, nextTrialNumber, type Db } from "./study-lock.js";
export { readStudyDefinition, maxRetriesOf } from "./study-config.js";
export { loadHistory, loadHistoryWindow } from "./load-history.js";
export {
  proposeTrials,
  sampleInline,
  historyFreeSamplers,
  type SampleCall,
  type SampleFunction,
  type ProposeOptions,
  type ProposeResult,
  type ProposeLimit,
} from "./propose-trials.js";
export { claimTrial, type ClaimInput, type ClaimedTrial } from "./claim-trial.js";
export { firstAttemptId } from "./first-attempt.js";
export { heartbeatTrial } from "./heartbeat-trial.js";
export { reportTrial, type ReportInput, type ReportOutcome } from "./report-trial.js";
export { finishTrial, type FinishInput, type FinishOutcome, type FinalTrialState } from "./finish-trial.js";
export { abandonTrial, releaseTrial, type AbandonInput, type AbandonOutcome } from "./abandon-trial.js";
export { appendTrialLog, trialLogLimit } from "./append-trial-log.js";
export { enqueueManualTrial } from "./enqueue-manual-trial.js";
export { cancelPendingTrials } from "./cancel-pending-trials.js";
export { settleStudyAfterFinish, type SettleReason } from "./settle-study.js";
export { isStopRequested, throwFenceFailure } from "./lease-fence.js";
export { databaseNow } from "./database-clock.js";
export { studyInScope, type TrialScope } from "./trial-scope.js";
export { findScopedTrial, type ScopedTrial } from "./find-scoped-trial.js";
export { readParams, readMetrics, readStringList } from "./stored-json.js";
export { readStudyOccupancy, type StudyOccupancy } from "./study-occupancy.js";
export { readTrialCountsByStudy, readStudyTrialCounts, readAllTrialCounts } from "./study-trial-counts.js";
