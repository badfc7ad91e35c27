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
  /** In the USER's direction (not negated). With several objectives: values[0]. */
  value?: number;
  /** One value per objective, in the USER's directions; absent with a single objective. */
  values?: number[];
  /**
   * Optuna's convention: one number per constraint, <= 0 satisfied, > 0 violated by that much. Absent:
   * feasible (or unknown, which samplers treat as feasible). See constraints/constraint-violations.ts.
   */
  constraintViolations?: number[];
  /** Intermediate values; `values` (one per objective) with several objectives. */
  reports: ReadonlyArray<{ step: number; value: number; values?: number[] }>;
}

export interface SampleRequest {
  space: Space;
  direction: Direction;
  /** One direction per objective; length >= 2 means several objectives. Absent: [direction]. */
  directions?: readonly Direction[];
  /** Number of constraints of the study (0 or absent: none). */
  constraintCount?: number;
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

/** The request's objective directions: `directions` when given, else `[direction]`. */
export function requestDirections(
  req: Pick<SampleRequest, "direction" | "directions">,
): readonly Direction[] {
  return req.directions !== undefined && req.directions.length > 0 ? req.directions : [req.direction];
}

/**
 * A trial's objective values in the user's directions (`values`, else `[value]`), or undefined when it has
 * none or the count does not match the study's objectives.
 */
export function trialValues(t: HistoryTrial, objectives: number): number[] | undefined {
  const v = t.values ?? (t.value === undefined ? undefined : [t.value]);
  if (v === undefined || v.length !== objectives) return undefined;
  return v;
}
