import type {
  BackendPreference,
  CommandTrainerSpec,
  Params,
  TfjsTrainerSpec,
  TrainerOutcome,
} from "@hpo/contracts";

/** The trainers this package runs (the worker runs `synthetic` itself; `external` runs nowhere). */
export type TrainerSpec = TfjsTrainerSpec | CommandTrainerSpec;
export type { BackendPreference, CommandTrainerSpec, TfjsTrainerSpec, TrainerOutcome };

/** What the worker's per-trial child process hands the trainer (functions: not a wire message). */
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
