/** Checks every e2e test makes over the trials Postgres holds (the invariants of docs/design.md). */

export interface TrialRow {
  number: number;
  state: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Numbers are 0..n-1, each exactly once. Returns the problems found (empty when fine). */
export function findNumberingProblems(trials: readonly TrialRow[]): string[] {
  const problems: string[] = [];
  const numbers = trials.map((trial) => trial.number).sort((a, b) => a - b);
  const seen = new Set<number>();
  for (const number of numbers) {
    if (seen.has(number)) problems.push(`duplicate number ${number}`);
    seen.add(number);
  }
  const unique = [...seen].sort((a, b) => a - b);
  const firstGap = unique.findIndex((number, index) => number !== index);
  if (firstGap >= 0) problems.push(`numbers are not dense: ${firstGap} is missing`);
  return problems;
}

/**
 * The largest number of trials that were running at the same moment, from their start and finish times
 * (a finish and a start at the same millisecond do not overlap). Trials still running count until now.
 */
export function maxConcurrentTrials(trials: readonly TrialRow[]): number {
  const events: { at: number; delta: number }[] = [];
  for (const trial of trials) {
    if (!trial.startedAt) continue;
    events.push({ at: trial.startedAt.getTime(), delta: 1 });
    events.push({ at: trial.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY, delta: -1 });
  }
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const event of events) {
    current += event.delta;
    max = Math.max(max, current);
  }
  return max;
}

export function countByState(trials: readonly { state: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const trial of trials) counts[trial.state] = (counts[trial.state] ?? 0) + 1;
  return counts;
}
