import { z } from "zod";

/**
 * One constraint of a study on a reported metric: the trial is feasible when `metric op value` holds for
 * every constraint. The core turns constraints into Optuna-style violations (<= 0 satisfied).
 */
export const constraintSchema = z.strictObject({
  metric: z.string().min(1).max(200),
  op: z.enum(["<=", ">="]),
  value: z.number(),
});
export type Constraint = z.infer<typeof constraintSchema>;
