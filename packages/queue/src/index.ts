export {
  DEFAULT_QUEUE_PREFIX,
  type TrialQueueOptions,
  trialJobId,
  createTrialQueue,
  TrialQueues,
  listTrialQueueNames,
  poolOfTrialQueue,
  obliterateTrialQueues,
  enqueueTrialJob,
  ensureTrialJob,
  removeWaitingTrialJob,
  listPendingTrialJobs,
} from "./trial-queue.js";
export {
  DEFAULT_REDIS_PREFIX,
  type StudyEventSubscription,
  subscribeStudyEvents,
  publishStudyEvent,
} from "./study-events.js";
export { createLogger, type Logger, type LogLevel } from "./logger.js";
