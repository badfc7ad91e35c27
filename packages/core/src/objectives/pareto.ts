import type { Direction } from "@hpo/contracts";

/** A point in objective space, values in the user's directions. */
export interface ObjectivePointInput {
  values: readonly number[];
  feasible: boolean;
}

/**
 * Whether `a` Pareto-dominates `b`: no worse in every objective (in each objective's own direction) and
 * strictly better in at least one.
 */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly Direction[],
): boolean {
  let strictly = false;
  for (let i = 0; i < directions.length; i++) {
    const sign = directions[i] === "maximize" ? -1 : 1;
    const left = sign * (a[i] ?? Number.POSITIVE_INFINITY);
    const right = sign * (b[i] ?? Number.POSITIVE_INFINITY);
    if (left > right) return false;
    if (left < right) strictly = true;
  }
  return strictly;
}

/**
 * Indices of the non-dominated feasible points (the Pareto front), in ascending index order. Points are
 * visited in order of their first objective, so a point can only be dominated by one visited before it or
 * by an equal first value: each point is compared with the current front only, O(n · |front|), which stays
 * fast on 100,000 trials because fronts are small. Duplicated value vectors all stay on the front.
 */
export function paretoFrontIndices(
  points: readonly ObjectivePointInput[],
  directions: readonly Direction[],
): number[] {
  const sign = directions[0] === "maximize" ? -1 : 1;
  const order = points
    .map((point, index) => ({ point, index }))
    .filter(({ point }) => point.feasible && point.values.length === directions.length)
    .sort((a, b) => sign * ((a.point.values[0] ?? 0) - (b.point.values[0] ?? 0)) || a.index - b.index);
  let front: { point: ObjectivePointInput; index: number }[] = [];
  for (const candidate of order) {
    if (front.some((member) => dominates(member.point.values, candidate.point.values, directions))) continue;
    front = front.filter((member) => !dominates(candidate.point.values, member.point.values, directions));
    front.push(candidate);
  }
  return front.map((member) => member.index).sort((a, b) => a - b);
}
