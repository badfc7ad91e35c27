import { describe, expect, it } from "vitest";
import type { Direction, Params, Space } from "@hpo/contracts";
import { createSampler } from "../samplers/create-sampler.js";
import type { HistoryTrial, SampleRequest } from "../samplers/sampler-types.js";
import { multiObjectivePriorsAgree } from "./multi-objective-priors.js";

/** Two objectives whose Pareto set is the segment b = 0.8 (a in [0, 1]): a trade-off along a only. */
const box: Space = [
  { name: "a", type: "float", low: 0, high: 1 },
  { name: "b", type: "float", low: 0, high: 1 },
];
const directions: Direction[] = ["minimize", "minimize"];
const objectives = (p: Params): number[] => {
  const a = Number(p.a);
  const g = 1 + 9 * (Number(p.b) - 0.8) ** 2;
  return [a, g * (1 - Math.sqrt(a / g))];
};

function grid(f: (p: Params) => number[], n: number): HistoryTrial[] {
  const out: HistoryTrial[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const params = { a: (i + 0.5) / n, b: (j + 0.5) / n };
      const values = f(params);
      out.push({
        number: out.length - n * n,
        params,
        state: "complete",
        value: values[0] ?? 0,
        values,
        reports: [],
      });
    }
  return out;
}

function run(type: "gp" | "tpe" | "nsga2", priors: HistoryTrial[] | undefined, n: number, seed: number) {
  const sampler = createSampler({ type }, box);
  const trials: HistoryTrial[] = [];
  let state: SampleRequest["state"] = null;
  for (let k = 0; k < n; k++) {
    const result = sampler.sample({
      space: box,
      direction: "minimize",
      directions,
      trials,
      count: 1,
      seed,
      firstNumber: k,
      state,
      budget: { maxTrials: 100, parallelism: 1 },
      ...(priors === undefined ? {} : { priorTrials: priors }),
    });
    state = result.state;
    const params = result.suggestions[0] ?? {};
    const values = objectives(params);
    trials.push({ number: k, params, state: "complete", value: values[0] ?? 0, values, reports: [] });
  }
  return trials;
}

/** Mean distance of the suggestions to the Pareto set (b = 0.8), over a few seeds. */
const offFront = (runs: HistoryTrial[][]): number => {
  const d = runs.flat().map((t) => Math.abs(Number(t.params.b) - 0.8));
  return d.reduce((x, y) => x + y, 0) / d.length;
};

describe("multi-objective samplers with priorTrials", () => {
  const related = grid(objectives, 6);
  const seeds = [1, 2, 3, 4, 5, 6];

  // The first suggestion of a fresh study: cold, a space-filling or random point; warm, one bred or modelled
  // from the priors, whose best trials lie on the front.
  it.each(["tpe", "nsga2", "gp"] as const)(
    "%s starts next to a related prior's Pareto set",
    (type) => {
      const cold = offFront(seeds.map((s) => run(type, undefined, 1, s)));
      const warm = offFront(seeds.map((s) => run(type, related, 1, s)));
      expect(warm).toBeLessThan(Math.min(0.2, 0.6 * cold));
    },
    120_000,
  );

  it.each(["tpe", "nsga2", "gp"] as const)("%s is unchanged by an empty prior list", (type) => {
    expect(run(type, [], 3, 5)).toEqual(run(type, undefined, 3, 5));
  });

  it("tpe keeps using related priors after its start-up turns", () => {
    // Turns 1 and 3 explore (prior-agreement.ts); turns 0, 2 and 4 are drawn with the priors.
    const warm = seeds.map((s) => run("tpe", related, 5, s).filter((_, k) => k % 2 === 0));
    const cold = seeds.map((s) => run("tpe", undefined, 5, s).filter((_, k) => k % 2 === 0));
    expect(offFront(warm)).toBeLessThan(offFront(cold) / 2);
  });

  it("the agreement gate checks every objective", () => {
    const own = grid(objectives, 3).map((t, i) => ({ ...t, number: i }));
    expect(multiObjectivePriorsAgree(box, related, own, directions)).toBe(true);
    // The same first objective, the second one reversed: misleading on one objective is enough to drop it.
    const flipped = related.map((t) => {
      const values = [t.values?.[0] ?? 0, -(t.values?.[1] ?? 0)];
      return { ...t, values, value: values[0] ?? 0 };
    });
    expect(multiObjectivePriorsAgree(box, flipped, own, directions)).toBe(false);
    // Too few own trials to judge: the priors are used.
    expect(multiObjectivePriorsAgree(box, flipped, own.slice(0, 4), directions)).toBe(true);
  });
});
