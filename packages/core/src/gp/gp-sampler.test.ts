import type { Params, Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { validateParams } from "../space/validate-params.js";
import type { HistoryTrial, JsonValue, SampleRequest } from "../samplers/sampler-types.js";
import { createGpSampler } from "./gp-sampler.js";
import { createGpEncoding } from "./gp-encoding.js";
import { measureBatchSpread } from "./batch-spread.js";
import { benchmarkProblems } from "../bench-problems/benchmark-problems.js";

function runStudy(
  space: Space,
  objective: (p: Params) => number,
  opts: { n: number; batch: number; seed: number; direction?: "minimize" | "maximize" },
): { trials: HistoryTrial[]; origins: string[]; states: (JsonValue | null)[] } {
  const sampler = createGpSampler({}, space);
  const trials: HistoryTrial[] = [];
  const origins: string[] = [];
  const states: (JsonValue | null)[] = [];
  let state: JsonValue | null = null;
  while (trials.length < opts.n) {
    states.push(state);
    const r = sampler.sample({
      space,
      direction: opts.direction ?? "minimize",
      trials: trials.map((t) => ({ ...t })),
      count: opts.batch,
      seed: opts.seed,
      firstNumber: trials.length,
      state,
    });
    state = JSON.parse(JSON.stringify(r.state)) as JsonValue | null;
    for (const params of r.suggestions) {
      origins.push(r.origin);
      trials.push({
        number: trials.length,
        params,
        state: "complete",
        value: objective(params),
        reports: [],
      });
    }
  }
  return { trials, origins, states };
}

const mixed: Space = [
  { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
  { name: "units", type: "int", low: 16, high: 512, log: true },
  { name: "layers", type: "int", low: 1, high: 9, step: 2 },
  { name: "drop", type: "float", low: 0, high: 0.5, step: 0.1 },
  { name: "opt", type: "categorical", choices: ["sgd", "momentum", "adam"] },
  { name: "m", type: "float", low: 0, high: 0.99, when: { opt: "momentum" } },
  { name: "nesterov", type: "categorical", choices: [true, false], when: { opt: "momentum" } },
  { name: "bs", type: "categorical", choices: [32, 64, 128] },
];
const mixedObjective = (p: Params): number => {
  const lr = Math.log10(Number(p.lr));
  const opt = String(p.opt);
  const target = opt === "adam" ? -3 : opt === "momentum" ? -2 - Number(p.m ?? 0) : -1.5;
  return (
    (lr - target) ** 2 +
    0.1 * (Math.log2(Number(p.units)) - 7) ** 2 +
    (Number(p.drop) - 0.2) ** 2 +
    (p.bs === 64 ? 0 : 0.3)
  );
};

describe("GP sampler", () => {
  it("starts with scrambled Sobol points, then uses the model", () => {
    const { origins } = runStudy(
      benchmarkProblems.branin.space,
      (p) => benchmarkProblems.branin.evaluate(p),
      {
        n: 8,
        batch: 1,
        seed: 3,
      },
    );
    expect(origins.slice(0, 5)).toEqual(["sobol", "sobol", "sobol", "sobol", "sobol"]);
    expect(origins.slice(5)).toEqual(["gp", "gp", "gp"]);
  });

  it("suggests valid params on mixed, conditional spaces: bounds, steps, ints, categoricals of every type", () => {
    const { trials } = runStudy(mixed, mixedObjective, { n: 24, batch: 2, seed: 1 });
    for (const t of trials) {
      expect(validateParams(mixed, t.params)).toEqual({ ok: true, params: t.params });
      expect(Number.isInteger(t.params.units)).toBe(true);
      expect([1, 3, 5, 7, 9]).toContain(t.params.layers);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(t.params.drop);
      expect("m" in t.params).toBe(t.params.opt === "momentum");
      expect(typeof t.params.bs).toBe("number");
    }
    // Model-based trials cover more than one category and both branches of the condition.
    const modelled = trials.slice(9);
    expect(new Set(modelled.map((t) => t.params.opt)).size).toBeGreaterThan(1);
  });

  it("is deterministic and resumable: a fresh sampler given the history and state continues identically", () => {
    const a = runStudy(mixed, mixedObjective, { n: 14, batch: 1, seed: 9 });
    const b = runStudy(mixed, mixedObjective, { n: 14, batch: 1, seed: 9 });
    expect(JSON.stringify(a.trials)).toBe(JSON.stringify(b.trials));
    const k = 12;
    const req: SampleRequest = {
      space: mixed,
      direction: "minimize",
      trials: a.trials.slice(0, k),
      count: 1,
      seed: 9,
      firstNumber: k,
      state: a.states[k] ?? null,
    };
    const resumed = createGpSampler({}, mixed).sample(req);
    expect(resumed.suggestions[0]).toEqual(a.trials[k]?.params);
  });

  it("finds the optimum of a smooth function quickly, in either direction", () => {
    const space: Space = [
      { name: "x", type: "float", low: -2, high: 2 },
      { name: "y", type: "float", low: 0, high: 1 },
    ];
    const f = (p: Params): number => (Number(p.x) - 0.7) ** 2 + 2 * (Number(p.y) - 0.25) ** 2;
    const min = runStudy(space, f, { n: 20, batch: 1, seed: 2 });
    expect(Math.min(...min.trials.map((t) => t.value ?? Infinity))).toBeLessThan(1e-3);
    const max = runStudy(space, (p) => -f(p), { n: 20, batch: 1, seed: 2, direction: "maximize" });
    expect(Math.max(...max.trials.map((t) => t.value ?? -Infinity))).toBeGreaterThan(-1e-3);
  });

  it("keeps batch points apart from each other and from pending trials, and out of the corners", () => {
    const problem = benchmarkProblems.hartmann3;
    const encoding = createGpEncoding(problem.space);
    const spreads = [0, 1, 2].map((seed) => {
      const { trials } = runStudy(problem.space, (p) => problem.evaluate(p), { n: 16, batch: 4, seed });
      const done = trials.slice(0, 12);
      const pending = trials
        .slice(12)
        .map((t): HistoryTrial => ({ number: t.number, params: t.params, state: "running", reports: [] }));
      const sampler = createGpSampler({}, problem.space);
      const r = sampler.sample({
        space: problem.space,
        direction: "minimize",
        trials: [...done, ...pending],
        count: 4,
        seed,
        firstNumber: 16,
        state: null,
      });
      return measureBatchSpread(
        encoding,
        r.suggestions,
        [...done, ...pending].map((t) => t.params),
      );
    });
    for (const s of spreads) {
      expect(s.minWithinBatch).toBeGreaterThan(0.01);
      expect(s.minToPending).toBeGreaterThan(0.001);
      expect(s.cornerFraction).toBeLessThan(0.5);
    }
  });

  it("never refuses a space: single-choice categoricals, two-value grids, everything conditional", () => {
    const odd: Space = [
      { name: "only", type: "categorical", choices: ["x"] },
      { name: "two", type: "int", low: 0, high: 1 },
      { name: "f", type: "float", low: 0, high: 1, step: 0.5 },
      { name: "c", type: "float", low: -1, high: 1, when: { only: "x", two: 1 } },
    ];
    const { trials } = runStudy(odd, (p) => Number(p.two) + Number(p.f) + Number(p.c ?? 0), {
      n: 14,
      batch: 3,
      seed: 0,
    });
    expect(trials.length).toBeGreaterThanOrEqual(14);
    for (const t of trials) expect(validateParams(odd, t.params).ok).toBe(true);
  });
});
