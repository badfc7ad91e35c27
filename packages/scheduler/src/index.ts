export type { SchedulerDeps } from "./scheduler-deps.js";
export { runsOnWorkers } from "./worker-trainers.js";
export { completeStudy, isPastMaxDuration, type EndReason } from "./end-study.js";
export { fillStudy, type FillResult } from "./fill-study.js";
export { reconcileStaleTrials, type StaleTrialOutcome } from "./reconcile-stale-trials.js";
export { repairTrialQueue, type QueueRepair } from "./repair-trial-queue.js";
export { cancelEndedStudies } from "./cancel-ended-studies.js";
export { StudyCoalescer } from "./study-coalescer.js";
export {
  startSchedulerService,
  type SchedulerService,
  type SchedulerServiceOptions,
} from "./scheduler-service.js";
