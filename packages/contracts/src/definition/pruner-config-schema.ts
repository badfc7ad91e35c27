import { z } from "zod";

/**
 * Pruner configs, the `pruner` field of the study definition. Every object is strict (unknown fields are
 * rejected) and defaults are applied by parsing, so a stored definition always shows the values in force.
 */
const stepCount = z.number().int().min(0);
const reductionFactor = (fallback: number) => z.number().int().min(2).max(100).default(fallback);
const minResource = z.number().positive().default(1);

export const nonePrunerConfigSchema = z.strictObject({ type: z.literal("none") });

/**
 * Optuna's MedianPruner: prune when the trial's best value so far is worse than the median of the values
 * completed trials reported at the same step. `minTrials` completed trials must have reported that step
 * (Optuna's n_startup_trials, default 5), `warmupSteps` steps are never pruned, and only the first report in
 * each window of `intervalSteps` steps after the warm-up is checked.
 */
export const medianPrunerConfigSchema = z.strictObject({
  type: z.literal("median"),
  warmupSteps: stepCount.default(0),
  minTrials: z.number().int().min(1).default(5),
  intervalSteps: z.number().int().min(1).default(1),
});

/** Optuna's PercentilePruner: like median, but keeps only trials better than the given percentile (0..100). */
export const percentilePrunerConfigSchema = z.strictObject({
  type: z.literal("percentile"),
  percentile: z.number().min(0).max(100),
  warmupSteps: stepCount.default(0),
  minTrials: z.number().int().min(1).default(5),
  intervalSteps: z.number().int().min(1).default(1),
});

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020, "A System for Massively Parallel Hyperparameter
 * Tuning", Algorithm 2): rung k sits at step minResource · η^(minEarlyStoppingRate + k); a trial reaching a
 * rung continues only if it is in the top 1/η of all trials that reached that rung.
 */
export const successiveHalvingPrunerConfigSchema = z.strictObject({
  type: z.literal("successive-halving"),
  minResource,
  reductionFactor: reductionFactor(4),
  minEarlyStoppingRate: z.number().int().min(0).max(30).default(0),
});

/**
 * Hyperband (Li et al. 2018, "Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization",
 * Algorithm 1) run asynchronously: brackets s = 0..s_max, s_max = ⌊log_η(maxResource / minResource)⌋, each
 * an ASHA with its own early-stopping rate. `maxResource` omitted: the largest step a completed trial reported.
 */
export const hyperbandPrunerConfigSchema = z
  .strictObject({
    type: z.literal("hyperband"),
    minResource,
    maxResource: z.number().positive().optional(),
    reductionFactor: reductionFactor(3),
  })
  .superRefine((config, ctx) => {
    if (config.maxResource !== undefined && !(config.maxResource > config.minResource)) {
      ctx.addIssue({
        code: "custom",
        path: ["maxResource"],
        message: "maxResource must be greater than minResource",
      });
    }
  });

/**
 * Pruning with several objectives (packages/core/src/pruners/dominance-pruner.ts): at a checked step, prune
 * the trial when at least `dominatedFraction` of the completed trials that reported that step (and at least
 * `minTrials` of them must have) reported intermediate values that Pareto-dominate the trial's.
 */
export const dominancePrunerConfigSchema = z.strictObject({
  type: z.literal("dominance"),
  warmupSteps: stepCount.default(0),
  minTrials: z.number().int().min(1).default(5),
  dominatedFraction: z.number().gt(0).max(1).default(0.5),
});

export const prunerConfigSchema = z.discriminatedUnion("type", [
  nonePrunerConfigSchema,
  medianPrunerConfigSchema,
  percentilePrunerConfigSchema,
  successiveHalvingPrunerConfigSchema,
  hyperbandPrunerConfigSchema,
  dominancePrunerConfigSchema,
]);

/** A parsed pruner config, every default filled in. */
export type PrunerConfig = z.output<typeof prunerConfigSchema>;
/** What a user may write: defaults may be omitted. */
export type PrunerConfigInput = z.input<typeof prunerConfigSchema>;
export type MedianPrunerConfig = z.output<typeof medianPrunerConfigSchema>;
export type PercentilePrunerConfig = z.output<typeof percentilePrunerConfigSchema>;
export type SuccessiveHalvingPrunerConfig = z.output<typeof successiveHalvingPrunerConfigSchema>;
export type HyperbandPrunerConfig = z.output<typeof hyperbandPrunerConfigSchema>;
export type DominancePrunerConfig = z.output<typeof dominancePrunerConfigSchema>;
