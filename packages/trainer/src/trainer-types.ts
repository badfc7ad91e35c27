import type { Params } from "@hpo/core";

/** Where a tfjs trial's data comes from: a built-in dataset or a CSV file (features + one label column). */
export type TfjsDatasetSpec =
  "digits" | "iris" | "spirals" | "moons" | { csv: string; labelColumn?: string | undefined };

/** `trainer` of a study definition with `type: "tfjs"` (CONTRACTS; optional fields may be absent or undefined). */
export interface TfjsTrainerSpec {
  type: "tfjs";
  dataset: TfjsDatasetSpec;
  epochs?: number | undefined;
  /** Hyperparameter values that are not searched; trial params override them. */
  fixed?: Params | undefined;
  /** Fraction of the samples held out for validation (default 0.2). */
  validationSplit?: number | undefined;
  /** Use at most this many samples (train + validation), drawn by the seeded shuffle. */
  maxSamples?: number | undefined;
}

/** `trainer` of a study definition with `type: "command"`: any program that speaks the HPO_REPORT protocol. */
export interface CommandTrainerSpec {
  type: "command";
  command: readonly string[];
  cwd?: string | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  timeoutSeconds?: number | undefined;
  gpusPerTrial?: number | undefined;
}

export type TrainerSpec = TfjsTrainerSpec | CommandTrainerSpec;

export type BackendPreference = "auto" | "gpu" | "node" | "wasm" | "cpu";

/** What the worker's per-trial child process hands the trainer (CONTRACTS). */
export interface TrainerContext {
  trialId: string;
  studyId: string;
  number: number;
  params: Params;
  seed: number;
  objectiveMetric: string;
  gpuIds: readonly string[];
  backend: BackendPreference;
  signal: AbortSignal;
  report(step: number, metrics: Record<string, number>): Promise<{ prune: boolean; stop: boolean }>;
  log(text: string): void;
}

export interface TrainerOutcome {
  state: "complete" | "pruned" | "failed";
  metrics: Record<string, number>;
  value?: number;
  backend: string;
  error?: string;
  diagnostics?: unknown;
}
