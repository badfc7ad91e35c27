import { z } from "zod";
import { trialRequirementsSchema } from "../fleet/requirements.js";

/**
 * The prefix of every trial queue: trials travel in one queue per project and pool,
 * `trials.<pool>.<projectId>` (see `trialQueueName`), never in one queue shared by all projects.
 */
export const TRIAL_QUEUE_NAME = "trials";

/**
 * The data of one trial job. The job only names the trial: the worker claims it through the API, which
 * decides (from Postgres) whether it may run and hands out the params and the lease.
 */
export const trialJobDataSchema = z.object({
  trialId: z.string().min(1).max(100),
  studyId: z.string().min(1).max(100),
  /** What the trial needs; a worker that cannot offer it hands the job back before claiming. */
  requirements: trialRequirementsSchema.optional(),
});
export type TrialJobData = z.infer<typeof trialJobDataSchema>;

export function parseTrialJobData(value: unknown): TrialJobData | null {
  const parsed = trialJobDataSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
