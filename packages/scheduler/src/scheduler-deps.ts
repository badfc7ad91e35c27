import type { PrismaClient } from "@hpo/db";
import type { StudyEventInput } from "@hpo/contracts";
import type { Logger, TrialQueues } from "@hpo/queue";

/** What every scheduler step works with: Postgres (the truth), the trial queues, a log, an event sink. */
export interface SchedulerDeps {
  prisma: PrismaClient;
  /** One queue per project and pool (`trials.<pool>.<projectId>`). */
  queues: TrialQueues;
  logger: Logger;
  /** Announces a change the scheduler made (study completed, trials cancelled) on `<prefix>:events`. */
  publish(event: StudyEventInput): Promise<void>;
  /** The clock; tests pass a fixed one. */
  now(): Date;
}
