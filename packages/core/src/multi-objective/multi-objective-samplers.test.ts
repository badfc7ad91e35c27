import type { Direction, SamplerConfig, Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import {
  constraintViolations,
  isFeasible,
  MISSING_METRIC_VIOLATION,
} from "../constraints/constraint-violations.js";
import { createSampler } from "../samplers/create-sampler.js";
import { chooseAutoSampler } from "../samplers/auto-sampler.js";
import type { HistoryTrial, JsonValue } from "../samplers/sampler-types.js";
import { hypervolume } from "./hypervolume.js";

/** ZDT1 on 4 variables (both objectives minimized); true Pareto front f2 = 1 − √f1 when x1.. = 0. */
const space: Space = Array.from({ length: 4 }, (_, i) => ({ name: `x${i}`, type: "float", low: 0, high: 1 }));
function zdt1(p: Record<string, unknown>): number[] {
  const x = space.map((s) => Number(p[s.name]));
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / 3;
  const f1 = x[0] ?? 0;
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

function run(
  config: SamplerConfig,
  n: number,
  batch: number,
  seed: number,
  evaluate: (p: Record<string, unknown>) => { values: number[]; violations?: number[] },
  directions: Direction[] = ["minimize", "minimize"],
  constraintCount = 0,
): HistoryTrial[] {
  const sampler = createSampler(config, space);
  const trials: HistoryTrial[] = [];
  let state: JsonValue | null = null;
  while (trials.length < n) {
    const r = sampler.sample({
      space,
      direction: directions[0] ?? "minimize",
      directions,
      constraintCount,
      trials: trials.map((t) => ({ ...t })),
      count: Math.min(batch, n - trials.length),
      seed,
      firstNumber: trials.length,
      state,
      budget: { maxTrials: n, parallelism: batch },
    });
    state = JSON.parse(JSON.stringify(r.state)) as JsonValue | null;
    for (const params of r.suggestions) {
      const { values, violations } = evaluate(params);
      const t: HistoryTrial = {
        number: trials.length,
        params,
        state: "complete",
        value: values[0] ?? 0,
        values,
        reports: [],
      };
      if (violations !== undefined) t.constraintViolations = violations;
      trials.push(t);
    }
  }
  return trials;
}

const hvOf = (trials: HistoryTrial[]): number =>
  hypervolume(
    trials.map((t) => t.values ?? []),
    [1.1, 6],
    ["minimize", "minimize"],
  );

describe("samplers with several objectives", () => {
  const randomHv = hvOf(run({ type: "random" }, 30, 1, 3, (p) => ({ values: zdt1(p) })));

  it.each<[string, SamplerConfig, number]>([
    ["tpe (multi-objective TPE)", { type: "tpe" }, 1],
    ["nsga2", { type: "nsga2", populationSize: 10 }, 1],
    ["gp (ParEGO)", { type: "gp" }, 1],
    ["gp (ParEGO) batched ×4", { type: "gp" }, 4],
  ])("%s finds a larger hypervolume than random search in 30 trials", (_label, config, batch) => {
    const hv = hvOf(run(config, 30, batch, 3, (p) => ({ values: zdt1(p) })));
    expect(hv).toBeGreaterThan(randomHv);
  });

  it("NSGA-II is deterministic for a seed and never repeats a point", () => {
    const a = run({ type: "nsga2", populationSize: 8 }, 30, 4, 7, (p) => ({ values: zdt1(p) }));
    const b = run({ type: "nsga2", populationSize: 8 }, 30, 4, 7, (p) => ({ values: zdt1(p) }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(new Set(a.map((t) => JSON.stringify(t.params))).size).toBe(30);
  });

  it("auto chooses by objectives and budget", () => {
    const budget = (maxTrials: number) => ({ maxTrials, parallelism: 1 });
    expect(chooseAutoSampler({ space, budget: budget(100), gpAvailable: true, objectives: 2 })).toBe("gp");
    expect(chooseAutoSampler({ space, budget: budget(5000), gpAvailable: true, objectives: 3 })).toBe("tpe");
    expect(chooseAutoSampler({ space, budget: budget(20000), gpAvailable: true, objectives: 2 })).toBe(
      "nsga2",
    );
  });
});

describe("constraints", () => {
  it("turns constraints on metrics into Optuna-style violations", () => {
    const c = [
      { metric: "memory", op: "<=" as const, value: 100 },
      { metric: "accuracy", op: ">=" as const, value: 0.9 },
      { metric: "latency", op: "<=" as const, value: 5 },
    ];
    const v = constraintViolations(c, { memory: 120, accuracy: 0.95 });
    expect(v[0]).toBe(20);
    expect(v[1]).toBeCloseTo(-0.05, 12);
    expect(v[2]).toBe(MISSING_METRIC_VIOLATION);
    expect(isFeasible(v)).toBe(false);
    expect(isFeasible(constraintViolations(c.slice(0, 2), { memory: 100, accuracy: 0.9 }))).toBe(true);
    expect(isFeasible(undefined)).toBe(true);
  });

  // Minimize x0 + x1 subject to x0 + x1 >= 1 (violation 1 − x0 − x1): the optimum 1 lies on the boundary.
  const constrained = (p: Record<string, unknown>) => {
    const s = Number(p.x0) + Number(p.x1);
    return { values: [s + 0.1 * Number(p.x2) + 0.1 * Number(p.x3)], violations: [1 - s] };
  };
  const bestFeasible = (trials: HistoryTrial[]): number =>
    Math.min(...trials.filter((t) => isFeasible(t.constraintViolations)).map((t) => t.value ?? Infinity));

  // Distance of the late trials from the constrained optimum's boundary x0 + x1 = 1 (with x2 = x3 = 0).
  const lateGap = (trials: HistoryTrial[]): number => {
    const late = trials.slice(15);
    return late.reduce((acc, t) => acc + Math.abs((t.value ?? 0) - 1), 0) / late.length;
  };
  const random = run({ type: "random" }, 30, 1, 5, constrained, ["minimize"], 1);

  it.each<[string, SamplerConfig]>([
    ["gp (log EI + log probability of feasibility)", { type: "gp" }],
    ["tpe (constraints as in Optuna's constraints_func)", { type: "tpe" }],
    ["nsga2 (constrained domination)", { type: "nsga2", populationSize: 10 }],
  ])("%s concentrates on the feasible optimum", (_label, config) => {
    const trials = run(config, 30, 1, 5, constrained, ["minimize"], 1);
    const best = bestFeasible(trials);
    expect(best).toBeGreaterThanOrEqual(1);
    expect(lateGap(trials)).toBeLessThan(lateGap(random));
    if (config.type === "gp") expect(best).toBeLessThan(Math.min(1.02, bestFeasible(random)));
  });
});
