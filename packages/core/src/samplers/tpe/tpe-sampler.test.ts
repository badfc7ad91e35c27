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

  it("spreads a batch with the constant liar instead of repeating the same point", () => {
    const trials = optimize(createTpeSampler({}, space), 3, 30);
    const spread = (liar: boolean): number => {
      const r = createTpeSampler({ constantLiar: liar }, space).sample({
        space,
        direction: "minimize",
        trials,
        count: 4,
        seed: 3,
        firstNumber: 30,
        state: null,
      });
      const xs = r.suggestions.map((p) => Number(p.x));
      let min = Infinity;
      for (let i = 0; i < xs.length; i++)
        for (let j = i + 1; j < xs.length; j++) min = Math.min(min, Math.abs((xs[i] ?? 0) - (xs[j] ?? 0)));
      return min;
    };
    expect(spread(true)).toBeGreaterThan(0);
  });

  it("uses pruned trials as worse than complete ones and ignores failed ones", () => {
    const trials = optimize(createTpeSampler({}, space), 4, 20);
    const extra: HistoryTrial[] = [
      { number: 20, params: { x: 0, y: 1, c: "good" }, state: "failed", reports: [] },
      { number: 21, params: { x: 4, y: 1, c: "bad" }, state: "pruned", reports: [{ step: 1, value: 9 }] },
    ];
    const r = createTpeSampler({}, space).sample({
      space,
      direction: "minimize",
      trials: [...trials, ...extra],
      count: 1,
      seed: 4,
      firstNumber: 22,
      state: null,
    });
    expect(r.suggestions.length).toBe(1);
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
