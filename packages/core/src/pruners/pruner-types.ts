import type { Direction } from "@hpo/contracts";
import type { HistoryTrial, JsonValue } from "../samplers/sampler-types.js";

/** One intermediate value a trial reported (e.g. val_loss after an epoch), in the user's direction. */
export interface StepReport {
  step: number;
  value: number;
  /** With several objectives: one intermediate value per objective (value = values[0]). */
  values?: number[];
}

/**
 * What a pruner decides on. `trial.reports` must already contain the report being decided (the latest
 * step); `trials` is the whole study history, any state, and may contain the trial itself (it is ignored).
 */
export interface PruneRequest {
  direction: Direction;
  /** One direction per objective when the study has several (absent: [direction]). */
  directions?: readonly Direction[];
  trial: { number: number; reports: ReadonlyArray<StepReport> };
  trials: readonly HistoryTrial[];
  /** The pruner's previous state, exactly as returned by the last decision (after a JSON round-trip), or null. */
  state: JsonValue | null;
}

export interface PruneDecision {
  prune: boolean;
  /** Plain sentence for logs and the API (why it was pruned, or why pruning was not possible yet). */
  reason?: string;
  state: JsonValue | null;
}

/** Pure: the same request gives the same decision in any process. */
export interface Pruner {
  readonly type: string;
  decide(req: PruneRequest): PruneDecision;
}
