import type { Queue } from "bullmq";
import type { PrismaClient } from "@hpo/db";
import type { StudyEventInput, TrialJobData } from "@hpo/contracts";
import type { Logger } from "@hpo/queue";

/** What every scheduler step works with: Postgres (the truth), the trial queue, a log, an event sink. */
export interface SchedulerDeps {
  prisma: PrismaClient;
  queue: Queue<TrialJobData>;
  logger: Logger;
  /** Announces a change the scheduler made (study completed, trials cancelled) on `<prefix>:events`. */
  publish(event: StudyEventInput): Promise<void>;
  /** The clock; tests pass a fixed one. */
  now(): Date;
}
