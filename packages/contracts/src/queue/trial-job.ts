import { z } from "zod";

/** The BullMQ queue that carries trials to workers. */
export const TRIAL_QUEUE_NAME = "trials";

/**
 * The data of one trial job. The job only names the trial: the worker claims it through the API, which
 * decides (from Postgres) whether it may run and hands out the params and the lease.
 */
export const trialJobDataSchema = z.object({
  trialId: z.string().min(1).max(100),
  studyId: z.string().min(1).max(100),
});
export type TrialJobData = z.infer<typeof trialJobDataSchema>;

export function parseTrialJobData(value: unknown): TrialJobData | null {
  const parsed = trialJobDataSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
