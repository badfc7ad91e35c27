import type { Space } from "@hpo/contracts";
import { findSamplerSpaceIssues } from "./sampler-space-issues.js";
import { describe, expect, it } from "vitest";
import { createGridSampler, enumerateGrid } from "./grid-sampler.js";
import type { HistoryTrial } from "./sampler-types.js";

const space: Space = [
  { name: "lr", type: "float", low: 1e-3, high: 1e-1, log: true },
  { name: "opt", type: "categorical", choices: ["sgd", "adam"] },
  { name: "m", type: "float", low: 0, high: 0.9, step: 0.45, when: { opt: "sgd" } },
  { name: "k", type: "int", low: 1, high: 2 },
];

describe("grid sampler", () => {
  it("enumerates active combinations only, with log-spaced float resolution", () => {
    const points = enumerateGrid(space, { resolution: 3 });
    // lr 3 × (sgd: m 3 | adam: 1) × k 2 = 24
    expect(points.length).toBe(24);
    expect([...new Set(points.map((p) => p.lr))]).toEqual([1e-3, 1e-2, 1e-1]);
    expect(points.filter((p) => p.opt === "adam").every((p) => !("m" in p))).toBe(true);
  });

  it("visits every point once in a seeded order, then reports exhaustion; resumes from history", () => {
    const sampler = createGridSampler({ resolution: 3 }, space);
    const trials: HistoryTrial[] = [];
    let exhausted = false;
    while (!exhausted) {
      const r = sampler.sample({
        space,
        direction: "minimize",
        trials,
        count: 5,
        seed: 2,
        firstNumber: trials.length,
        state: null,
      });
      exhausted = r.exhausted;
      for (const params of r.suggestions)
        trials.push({ number: trials.length, params, state: "complete", value: 0, reports: [] });
    }
    expect(trials.length).toBe(24);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(24);
    const again = createGridSampler({ resolution: 3 }, space);
    const r = again.sample({
      space,
      direction: "minimize",
      trials: trials.slice(0, 10),
      count: 2,
      seed: 2,
      firstNumber: 10,
      state: null,
    });
    expect(r.suggestions).toEqual([trials[10]?.params, trials[11]?.params]);
    const other = again.sample({
      space,
      direction: "minimize",
      trials: [],
      count: 24,
      seed: 3,
      firstNumber: 0,
      state: null,
    });
    expect(other.suggestions).not.toEqual(trials.map((t) => t.params));
  });

  it("takes explicit values and refuses floats without resolution", () => {
    expect(enumerateGrid(space, { values: { lr: [0.01] } }).length).toBe(8);
    expect(() => createGridSampler({}, space)).toThrow(/resolution/);
    expect(findSamplerSpaceIssues({ type: "grid" }, space)).toEqual([
      { path: ["resolution"], message: 'grid needs a resolution or explicit values for float param "lr"' },
    ]);
    expect(() => createGridSampler({ values: { lr: [5] } }, space)).toThrow(/outside the space/);
    expect(findSamplerSpaceIssues({ type: "grid", values: { lr: [5] } }, space)[0]?.path).toEqual(["values"]);
    const huge: Space = [
      { name: "a", type: "int", low: 0, high: 999 },
      { name: "b", type: "int", low: 0, high: 999 },
    ];
    expect(findSamplerSpaceIssues({ type: "grid" }, huge)[0]?.message).toMatch(/exceeds/);
  });
});
