import { z } from "zod";

/**
 * Every state a trial can be in, and the groups the API, the scheduler, the trial store and the samplers
 * count by. One list: a state added here reaches every count, filter and enum at once.
 *
 * waiting → queued → running → complete | pruned | failed; a running trial whose worker vanished becomes
 * abandoned (its point is retried as a new trial); a trial that never started when its study ended becomes
 * cancelled.
 */
export const trialStates = [
  "waiting",
  "queued",
  "running",
  "complete",
  "pruned",
  "failed",
  "abandoned",
  "cancelled",
] as const;
export const trialStateSchema = z.enum(trialStates);
export type TrialState = (typeof trialStates)[number];

/** Created and not finished: samplers treat these points as pending (constant liar, fantasies). */
export const pendingTrialStates = ["waiting", "queued", "running"] as const satisfies readonly TrialState[];
/** Holding a slot of the study's `parallelism`. */
export const activeTrialStates = ["queued", "running"] as const satisfies readonly TrialState[];
/** Not yet given to a worker or an ask: cancelled when the study ends. */
export const unstartedTrialStates = ["waiting", "queued"] as const satisfies readonly TrialState[];
/** Ran to an end and spent the study's budget. */
export const finishedTrialStates = ["complete", "pruned", "failed"] as const satisfies readonly TrialState[];
/**
 * Trials that do not count against `maxTrials`: an abandoned attempt is retried as a new trial (which counts),
 * a cancelled one never ran.
 */
export const uncountedTrialStates = ["abandoned", "cancelled"] as const satisfies readonly TrialState[];
/** States a trial's own lifecycle writes end in (tell / report bodies). */
export const finalTrialStates = finishedTrialStates;
export const finalTrialStateSchema = z.enum(finalTrialStates);
export type FinalTrialState = (typeof finalTrialStates)[number];

const pending: ReadonlySet<TrialState> = new Set(pendingTrialStates);
const active: ReadonlySet<TrialState> = new Set(activeTrialStates);
const finished: ReadonlySet<TrialState> = new Set(finishedTrialStates);
const uncounted: ReadonlySet<TrialState> = new Set(uncountedTrialStates);

export function isPendingTrialState(state: TrialState): boolean {
  return pending.has(state);
}
export function isActiveTrialState(state: TrialState): boolean {
  return active.has(state);
}
export function isFinishedTrialState(state: TrialState): boolean {
  return finished.has(state);
}
export function countsAgainstBudget(state: TrialState): boolean {
  return !uncounted.has(state);
}

/** Counts of a study's trials by the groups above, from rows of (state, count). */
export interface TrialStateCounts {
  /** queued + running: slots of `parallelism` in use. */
  active: number;
  waiting: number;
  /** Every trial that spends the `maxTrials` budget. */
  counted: number;
  /** complete + pruned + failed. */
  finished: number;
}

export function countTrialStates(groups: Iterable<{ state: TrialState; count: number }>): TrialStateCounts {
  const counts: TrialStateCounts = { active: 0, waiting: 0, counted: 0, finished: 0 };
  for (const { state, count } of groups) {
    if (isActiveTrialState(state)) counts.active += count;
    if (state === "waiting") counts.waiting += count;
    if (isFinishedTrialState(state)) counts.finished += count;
    if (countsAgainstBudget(state)) counts.counted += count;
  }
  return counts;
}
