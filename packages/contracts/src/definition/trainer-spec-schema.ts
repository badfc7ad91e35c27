import { z } from "zod";
import { paramValueSchema } from "./space-schema.js";

/**
 * The `trainer` field of a study definition: who evaluates a trial. Every variant is strict and has its
 * defaults applied by parsing, so the stored definition shows the values in force.
 */

/** The service only proposes points; the user's code evaluates them through ask / tell. */
export const externalTrainerSpecSchema = z.strictObject({ type: z.literal("external") });

export const syntheticProblemNames = ["branin", "hartmann3", "rosenbrock4", "mlp-surrogate-a"] as const;
export type SyntheticProblemName = (typeof syntheticProblemNames)[number];

/** Defaults applied by parsing, named once so no reader of a spec repeats them. */
export const trainerDefaults = {
  syntheticSteps: 5,
  tfjsEpochs: 10,
  /** The command trainer's wall-clock limit per trial. */
  commandTimeoutSeconds: 3600,
  commandGpusPerTrial: 0,
} as const;

/** A benchmark function with intermediate steps converging to its value (tests and benchmarks). */
export const syntheticTrainerSpecSchema = z.strictObject({
  type: z.literal("synthetic"),
  problem: z.enum(syntheticProblemNames),
  steps: z.number().int().min(1).max(10_000).default(trainerDefaults.syntheticSteps),
  stepDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  /** Standard deviation of Gaussian noise added to reported values. */
  noise: z.number().min(0).optional(),
});

export const tfjsDatasetNames = ["digits", "iris", "spirals", "moons"] as const;

export const tfjsDatasetSchema = z.union([
  z.enum(tfjsDatasetNames),
  z.strictObject({ csv: z.string().min(1), labelColumn: z.string().min(1).optional() }),
]);

/** The built-in TensorFlow.js trainer. */
export const tfjsTrainerSpecSchema = z.strictObject({
  type: z.literal("tfjs"),
  dataset: tfjsDatasetSchema,
  epochs: z.number().int().min(1).max(100_000).default(trainerDefaults.tfjsEpochs),
  /** Hyperparameters held constant for every trial (known tfjs hyperparameter names only). */
  fixed: z.record(z.string().min(1), paramValueSchema).optional(),
  validationSplit: z.number().gt(0).lt(1).optional(),
  maxSamples: z.number().int().min(1).optional(),
});

/** Any program: params as {name} placeholders, HPO_PARAM_<NAME> variables and a JSON file. */
export const commandTrainerSpecSchema = z.strictObject({
  type: z.literal("command"),
  command: z.array(z.string().min(1)).min(1),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string().min(1), z.string()).optional(),
  timeoutSeconds: z
    .number()
    .positive()
    .max(30 * 24 * 3600)
    .default(trainerDefaults.commandTimeoutSeconds),
  gpusPerTrial: z.number().int().min(0).max(64).default(trainerDefaults.commandGpusPerTrial),
});

export const trainerSpecSchema = z.discriminatedUnion("type", [
  externalTrainerSpecSchema,
  syntheticTrainerSpecSchema,
  tfjsTrainerSpecSchema,
  commandTrainerSpecSchema,
]);

export type ExternalTrainerSpec = z.output<typeof externalTrainerSpecSchema>;
export type SyntheticTrainerSpec = z.output<typeof syntheticTrainerSpecSchema>;
export type TfjsTrainerSpec = z.output<typeof tfjsTrainerSpecSchema>;
export type TfjsDataset = z.output<typeof tfjsDatasetSchema>;
export type CommandTrainerSpec = z.output<typeof commandTrainerSpecSchema>;
export type TrainerSpec = z.output<typeof trainerSpecSchema>;
export type TrainerType = TrainerSpec["type"];

/** Which TensorFlow.js backend a worker asks for: CUDA, native CPU, WebAssembly, plain JS, or the fastest installed. */
export const backendPreferences = ["auto", "gpu", "node", "wasm", "cpu"] as const;
export const backendPreferenceSchema = z.enum(backendPreferences);
export type BackendPreference = (typeof backendPreferences)[number];
