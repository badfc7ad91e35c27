import { z } from "zod";

/**
 * A constraint on a reported metric (e.g. `{ metric: "memory_mb", op: "<=", value: 4096 }`): a trial is
 * feasible when every constraint holds on its final metrics. Samplers read the amount of violation
 * (Optuna's convention: <= 0 satisfied, > 0 violated by that much), so they can prefer nearly feasible points.
 */
export const constraintOps = ["<=", ">="] as const;
export const constraintSchema = z.strictObject({
  metric: z.string().min(1).max(200),
  op: z.enum(constraintOps),
  value: z.number(),
});
export type Constraint = z.infer<typeof constraintSchema>;
