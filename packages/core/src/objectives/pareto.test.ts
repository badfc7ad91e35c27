import { describe, expect, it } from "vitest";
import { createRng } from "../rng/create-rng.js";
import { dominates, paretoFrontIndices } from "./pareto.js";

/** The definition itself, O(n²): a point is on the front when no other feasible point dominates it. */
function bruteForceFront(
  points: { values: number[]; feasible: boolean }[],
  directions: ("minimize" | "maximize")[],
): number[] {
  return points
    .map((point, index) => ({ point, index }))
    .filter(
      ({ point }) =>
        point.feasible &&
        !points.some((other) => other.feasible && dominates(other.values, point.values, directions)),
    )
    .map(({ index }) => index);
}

describe("Pareto dominance", () => {
  it("reads each objective in its own direction", () => {
    expect(dominates([1, 5], [2, 4], ["minimize", "maximize"])).toBe(true);
    expect(dominates([1, 4], [2, 5], ["minimize", "maximize"])).toBe(false);
    expect(dominates([1, 1], [1, 1], ["minimize", "minimize"])).toBe(false);
  });

  it("finds the same front as the definition on random points, infeasible ones left out", () => {
    const rng = createRng(7);
    for (const directions of [
      ["minimize", "minimize"],
      ["minimize", "maximize", "minimize"],
      ["maximize", "maximize", "maximize", "minimize"],
    ] as ("minimize" | "maximize")[][]) {
      const points = Array.from({ length: 400 }, () => ({
        // Rounded so that ties and duplicates occur.
        values: directions.map(() => Math.round(rng.next() * 20) / 2),
        feasible: rng.next() > 0.2,
      }));
      expect(paretoFrontIndices(points, directions)).toEqual(bruteForceFront(points, directions));
    }
  });

  it("is empty when no point is feasible", () => {
    expect(paretoFrontIndices([{ values: [1, 2], feasible: false }], ["minimize", "minimize"])).toEqual([]);
  });
});
