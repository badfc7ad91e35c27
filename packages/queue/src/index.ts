export {
  TRIAL_QUEUE_NAME,
  DEFAULT_QUEUE_PREFIX,
  type TrialJobData,
  type TrialQueueOptions,
  trialJobId,
  createTrialQueue,
  enqueueTrialJob,
  ensureTrialJob,
  removeWaitingTrialJob,
  listPendingTrialJobs,
  isTrialJobData,
} from "./trial-queue.js";
export {
  DEFAULT_REDIS_PREFIX,
  type StudyEvent,
  type StudyEventSubscription,
  studyEventsChannel,
  parseStudyEvent,
  subscribeStudyEvents,
  publishStudyEvent,
} from "./study-events.js";
export { createLogger, type Logger, type LogLevel } from "./logger.js";
