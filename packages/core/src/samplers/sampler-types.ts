import {
  isPendingTrialState,
  type Direction,
  type Params,
  type Space,
  type TrialState,
} from "@hpo/contracts";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A trial's state as samplers see it: the contracts' trial states. */
export type TrialStateForSampler = TrialState;

export interface HistoryTrial {
  number: number;
  params: Params;
  state: TrialStateForSampler;
  /** In the USER's direction (not negated). */
  value?: number;
  /** One per objective, in the user's directions (several objectives); value is values[0]. */
  values?: number[];
  /** One per constraint: <= 0 satisfied, > 0 violated by that much; absent = no constraints. */
  constraintViolations?: number[];
  reports: ReadonlyArray<{ step: number; value: number }>;
}

export interface SampleRequest {
  space: Space;
  direction: Direction;
  /** All trials so far, any state; waiting | queued | running = pending. */
  trials: readonly HistoryTrial[];
  count: number;
  seed: number;
  /** Numbers the new trials will get: firstNumber .. firstNumber + count - 1. */
  firstNumber: number;
  state: JsonValue | null;
  budget?: { maxTrials: number; parallelism: number };
  /**
   * Warm start: completed trials of earlier studies (prepareWarmStart, numbered −N … −1). GP and TPE use
   * them as extra, down-weighted observations; they never count toward the budget or the start-up count
   * of `trials`; random, Sobol and grid ignore them.
   */
  priorTrials?: readonly HistoryTrial[];
}

export interface SampleResult {
  suggestions: Params[];
  state: JsonValue | null;
  /** True when the sampler has nothing new left to propose (grid); suggestions may then be short. */
  exhausted: boolean;
  origin: string;
}

/** Pure: the same request gives the same result, byte for byte, in any process. */
export interface Sampler {
  readonly type: string;
  sample(req: SampleRequest): SampleResult;
}

export function isPendingState(state: TrialStateForSampler): boolean {
  return isPendingTrialState(state);
}
