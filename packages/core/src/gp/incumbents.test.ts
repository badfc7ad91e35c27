import { describe, expect, it } from "vitest";
import type { Observation, TrainingSet } from "./gp-fit-steps.js";
import { rankIncumbents } from "./incumbents.js";

/** A training set over 1-D observations, model rows in observation order. */
function setOf(observed: readonly Observation[]): TrainingSet {
  const values = observed.map((o) => o.value);
  const order = values.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0) || a - b);
  const x = Float64Array.from(observed.map((o) => o.row[0] ?? 0));
  const selected = observed.map((_, i) => i);
  const n = observed.length;
  return { rawValues: values, order, selected, x, n, nFit: n, bestRow: observed[order[0] ?? 0]?.row ?? x };
}

const obs = (x: number, value: number, prior = false): Observation => ({
  row: Float64Array.of(x),
  value,
  ...(prior ? { prior: true } : {}),
});

describe("rankIncumbents", () => {
  it("takes the best value and the best rows first without priors", () => {
    const observed = [obs(0.1, 3), obs(0.5, 1), obs(0.9, 2)];
    const r = rankIncumbents(setOf(observed), Float64Array.of(3, 1, 2), observed, false);
    expect(r.best).toBe(1);
    expect(r.centerOrder).toEqual([1, 2, 0]);
    expect(r.feasibilityOnly).toBe(false);
  });

  it("with warm-start priors: the incumbent and the first centers are the study's own trials", () => {
    // The priors' mapped values lie below every own value: they must not become the incumbent.
    const observed = [obs(0.1, -5, true), obs(0.2, -4, true), obs(0.6, 2), obs(0.7, 1)];
    const r = rankIncumbents(setOf(observed), Float64Array.of(-5, -4, 2, 1), observed, false);
    expect(r.best).toBe(1);
    expect(r.centerOrder).toEqual([3, 2, 0, 1]);
  });

  it("with priors only (a study's first ask): the priors count", () => {
    const observed = [obs(0.1, -5, true), obs(0.2, -4, true)];
    const r = rankIncumbents(setOf(observed), Float64Array.of(-5, -4), observed, false);
    expect(r.best).toBe(-5);
    expect(r.centerOrder).toEqual([0, 1]);
  });

  it("with constraints: feasible own trials first, then the least violating", () => {
    const observed: Observation[] = [
      { ...obs(0.1, 0), violations: [2] },
      { ...obs(0.2, 3), violations: [0] },
      { ...obs(0.3, -1), violations: [1] },
      { ...obs(0.4, -9, true), violations: [0] },
    ];
    const r = rankIncumbents(setOf(observed), Float64Array.of(0, 3, -1, -9), observed, true);
    expect(r.best).toBe(3);
    expect(r.centerOrder).toEqual([1, 2, 0, 3]);
  });
});
