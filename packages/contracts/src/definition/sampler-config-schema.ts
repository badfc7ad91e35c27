import { z } from "zod";
import { paramValueSchema } from "./space-schema.js";

/**
 * Sampler configuration (the `sampler` field of a study definition). Every variant is strict, so a typo
 * in an option is a 400 with its path rather than a silently ignored setting.
 */
const positiveInt = z.number().int().positive();

export const autoSamplerConfigSchema = z.strictObject({ type: z.literal("auto") });

export const randomSamplerConfigSchema = z.strictObject({ type: z.literal("random") });

export const sobolSamplerConfigSchema = z.strictObject({
  type: z.literal("sobol"),
  /** Owen-style scrambling (default true); false gives the raw Sobol sequence (skipping the origin). */
  scramble: z.boolean().optional(),
});

export const gridSamplerConfigSchema = z.strictObject({
  type: z.literal("grid"),
  /** Points per float param (all floats, or per name); ints and categoricals are enumerated fully. */
  resolution: z
    .union([positiveInt.min(2).max(10_000), z.record(z.string(), positiveInt.min(2).max(10_000))])
    .optional(),
  /** Explicit values per param (overrides resolution / enumeration for that param). */
  values: z.record(z.string(), z.array(paramValueSchema).min(1)).optional(),
  /** Visit the grid in a seeded random order (default true). */
  shuffle: z.boolean().optional(),
});

export const tpeSamplerConfigSchema = z.strictObject({
  type: z.literal("tpe"),
  /** Scrambled-Sobol start-up trials before the model is used (default 6). */
  nStartupTrials: z.number().int().min(0).optional(),
  /** Candidates drawn from l(x) per suggestion (default 24). */
  nEiCandidates: positiveInt.max(10_000).optional(),
  /** Joint (multivariate) Parzen estimator over all params (default true; Falkner et al. 2018). */
  multivariate: z.boolean().optional(),
  /** Fraction of trials forming the "good" group l(x), capped at 25 trials (default 0.2; Optuna uses 0.1). */
  gamma: z.number().gt(0).max(1).optional(),
  /** Weight of the prior component in each Parzen estimator (default 1). */
  priorWeight: z.number().gt(0).optional(),
  /** Treat pending trials as if they had the worst observed value (default true). */
  constantLiar: z.boolean().optional(),
});

export const gpSamplerConfigSchema = z.strictObject({
  type: z.literal("gp"),
  /** Quasi-random start-up trials before the Gaussian process is fitted. */
  nStartupTrials: z.number().int().min(0).optional(),
  /** Quasi-random candidates scored by the acquisition function per suggestion. */
  nCandidates: positiveInt.max(100_000).optional(),
  /** Most recent/best trials kept in the model above which the fit is subsampled. */
  maxTrainingTrials: positiveInt.optional(),
});

export const nsga2SamplerConfigSchema = z.strictObject({
  type: z.literal("nsga2"),
  /** Individuals per generation (default 20 below 300 trials' budget, else 50). */
  populationSize: positiveInt.min(2).max(10_000).optional(),
  /** Probability of crossover for a child (default 0.9). */
  crossoverProb: z.number().min(0).max(1).optional(),
  /** Probability of mutating each param (default 1 / number of params). */
  mutationProb: z.number().min(0).max(1).optional(),
});

export const samplerConfigSchema = z.discriminatedUnion("type", [
  autoSamplerConfigSchema,
  gridSamplerConfigSchema,
  randomSamplerConfigSchema,
  sobolSamplerConfigSchema,
  tpeSamplerConfigSchema,
  gpSamplerConfigSchema,
  nsga2SamplerConfigSchema,
]);
export type SamplerConfig = z.infer<typeof samplerConfigSchema>;
export type SamplerType = SamplerConfig["type"];
export type GridSamplerConfig = z.infer<typeof gridSamplerConfigSchema>;
export type TpeSamplerConfig = z.infer<typeof tpeSamplerConfigSchema>;
export type SobolSamplerConfig = z.infer<typeof sobolSamplerConfigSchema>;
export type GpSamplerConfig = z.infer<typeof gpSamplerConfigSchema>;
export type Nsga2SamplerConfig = z.infer<typeof nsga2SamplerConfigSchema>;
