import type { Params, Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { createTpeSampler } from "./tpe-sampler.js";
import { createRandomSampler } from "../random-sampler.js";
import type { HistoryTrial, Sampler } from "../sampler-types.js";
import { chooseAutoSampler } from "../auto-sampler.js";

const space: Space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "y", type: "float", low: 1e-3, high: 1e3, log: true },
  { name: "c", type: "categorical", choices: ["bad", "good", "worse"] },
];
const f = (p: Params): number =>
  (Number(p.x) - 1.3) ** 2 + Math.log10(Number(p.y)) ** 2 + (p.c === "good" ? 0 : p.c === "bad" ? 2 : 4);

function optimize(sampler: Sampler, seed: number, n: number, batch = 1): HistoryTrial[] {
  const trials: HistoryTrial[] = [];
  while (trials.length < n) {
    const r = sampler.sample({
      space,
      direction: "minimize",
      trials,
      count: batch,
      seed,
      firstNumber: trials.length,
      state: null,
    });
    for (const params of r.suggestions)
      trials.push({ number: trials.length, params, state: "complete", value: f(params), reports: [] });
  }
  return trials;
}
const SPREAD_SEEDS = 8;
const bestOf = (t: HistoryTrial[]): number => Math.min(...t.map((x) => x.value ?? Infinity));

describe("tpe sampler", () => {
  it("finds a clearly better optimum than random search on a mixed space", () => {
    let tpeWins = 0;
    for (let seed = 0; seed < 5; seed++) {
      const tpe = bestOf(optimize(createTpeSampler({}, space), seed, 50));
      const rnd = bestOf(optimize(createRandomSampler(space), seed, 50));
      if (tpe < rnd) tpeWins++;
    }
    expect(tpeWins).toBeGreaterThanOrEqual(4);
  });

  it("learns the good category", () => {
    const trials = optimize(createTpeSampler({}, space), 1, 60);
    const late = trials.slice(30);
    expect(late.filter((t) => t.params.c === "good").length).toBeGreaterThan(late.length / 2);
  });

  it("univariate mode also optimizes", () => {
    const trials = optimize(createTpeSampler({ multivariate: false }, space), 2, 60);
    expect(bestOf(trials)).toBeLessThan(0.5);
  });

  it("spreads a batch wider with the constant liar than without", () => {
    // Mean pairwise distance within a batch of 4 (x and log10 y scaled to [0, 1]), averaged over seeds, 12
    // trials into a study. The liar counts each earlier point of the batch as a bad observation, so l/g is
    // low next to it and the next point goes elsewhere. One more bad observation weighs less as the history
    // grows, so the effect is largest early in a study (at 30 trials it has mostly faded).
    const spread = (liar: boolean): number => {
      let sum = 0;
      for (let seed = 0; seed < SPREAD_SEEDS; seed++) {
        const trials = optimize(createTpeSampler({}, space), seed, 12);
        const batch = createTpeSampler({ constantLiar: liar }, space).sample({
          space,
          direction: "minimize",
          trials,
          count: 4,
          seed,
          firstNumber: 12,
          state: null,
        }).suggestions;
        const pts = batch.map((p) => [(Number(p.x) + 5) / 10, (Math.log10(Number(p.y)) + 3) / 6] as const);
        let total = 0;
        let pairs = 0;
        pts.forEach(([ax, ay], i) =>
          pts.slice(i + 1).forEach(([bx, by]) => {
            total += Math.hypot(ax - bx, ay - by);
            pairs++;
          }),
        );
        sum += total / pairs;
      }
      return sum / SPREAD_SEEDS;
    };
    const withLiar = spread(true);
    const without = spread(false);
    expect(withLiar).toBeGreaterThan(1.5 * without);
  });

  it("uses pruned trials as worse than complete ones and ignores failed ones", () => {
    const history = optimize(createTpeSampler({}, space), 4, 20);
    const ask = (extra: HistoryTrial[]): Params[] =>
      createTpeSampler({}, space).sample({
        space,
        direction: "minimize",
        trials: [...history, ...extra],
        count: 3,
        seed: 4,
        firstNumber: 22,
        state: null,
      }).suggestions;
    // A pruned trial whose last report beats every complete value, at a point far from the good region.
    const params = { x: -4.5, y: 500, c: "good" };
    const pruned: HistoryTrial = { number: 20, params, state: "pruned", reports: [{ step: 1, value: -100 }] };
    const failed: HistoryTrial = {
      number: 21,
      params: { x: 1.3, y: 1, c: "good" },
      state: "failed",
      reports: [],
    };
    const worstValue = Math.max(...history.map((t) => t.value ?? 0)) + 1;
    const asWorst: HistoryTrial = { number: 20, params, state: "complete", value: worstValue, reports: [] };
    const asBest: HistoryTrial = { number: 20, params, state: "complete", value: -100, reports: [] };

    // Failed: no information, so the suggestions are exactly those without it.
    expect(ask([failed])).toEqual(ask([]));
    expect(ask([pruned, failed])).toEqual(ask([pruned]));
    // Pruned: ranked below every complete trial (as the worst value would be), not at its reported value.
    expect(ask([pruned])).toEqual(ask([asWorst]));
    expect(ask([pruned])).not.toEqual(ask([asBest]));
    // And it is used, not dropped.
    expect(ask([pruned])).not.toEqual(ask([]));
  });
});

describe("auto choice", () => {
  it("prefers the GP when registered, TPE for many params or very large budgets", () => {
    expect(chooseAutoSampler({ space, gpAvailable: false })).toBe("tpe");
    expect(
      chooseAutoSampler({ space: [{ name: "a", type: "float", low: 0, high: 1 }], gpAvailable: true }),
    ).toBe("gp");
    const big: Space = Array.from({ length: 30 }, (_, i) => ({
      name: `x${i}`,
      type: "float" as const,
      low: 0,
      high: 1,
    }));
    expect(chooseAutoSampler({ space: big, gpAvailable: true })).toBe("tpe");
    expect(chooseAutoSampler({ space, gpAvailable: true })).toBe("gp");
    expect(chooseAutoSampler({ space, gpAvailable: true, budget: { maxTrials: 5000, parallelism: 4 } })).toBe(
      "tpe",
    );
  });
});
