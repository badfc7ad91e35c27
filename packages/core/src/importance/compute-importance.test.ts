import { describe, expect, it } from "vitest";
import type { Params, Space } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { computeImportance } from "./compute-importance.js";

const PI = Math.PI;
const ishigamiSpace: Space = ["x1", "x2", "x3"].map((name) => ({ name, type: "float", low: -PI, high: PI }));
const ishigami = (p: Params): number => {
  const [x1, x2, x3] = [Number(p.x1), Number(p.x2), Number(p.x3)];
  return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
};

/** n random trials (uniform over the space's unit encoding, linear here) evaluated by f. */
function randomTrials(space: Space, n: number, f: (p: Params) => number, seed = 1): HistoryTrial[] {
  const rng = createRng(seed, 99);
  return Array.from({ length: n }, (_, number) => {
    const params: Params = {};
    for (const spec of space) {
      if (spec.type === "categorical")
        params[spec.name] = spec.choices[rng.nextInt(spec.choices.length)] ?? 0;
      else if (spec.type === "int") params[spec.name] = spec.low + rng.nextInt(spec.high - spec.low + 1);
      else params[spec.name] = spec.low + rng.next() * (spec.high - spec.low);
    }
    return { number, params, state: "complete" as const, value: f(params), reports: [] };
  });
}

const byName = (params: readonly { name: string; importance: number; firstOrder: number }[]) =>
  Object.fromEntries(params.map((p) => [p.name, p]));

describe("computeImportance (fANOVA on a random forest)", () => {
  it("recovers the Ishigami function's first-order Sobol indices within 0.05 from 1,000 random trials", () => {
    const trials = randomTrials(ishigamiSpace, 1000, ishigami);
    const result = computeImportance({ space: ishigamiSpace, trials, directions: ["minimize"], seed: 0 });
    const objective = result.objectives[0];
    expect(objective?.trialsUsed).toBe(1000);
    const p = byName(objective?.params ?? []);
    expect(Math.abs((p.x1?.firstOrder ?? 0) - 0.3139)).toBeLessThan(0.05);
    expect(Math.abs((p.x2?.firstOrder ?? 0) - 0.4424)).toBeLessThan(0.05);
    expect(Math.abs(p.x3?.firstOrder ?? 1)).toBeLessThan(0.05);
    // Normalized shares: the same indices over their sum (0.7563).
    expect(Math.abs((p.x2?.importance ?? 0) - 0.4424 / 0.7563)).toBeLessThan(0.05);
    expect(objective?.params.map((q) => q.name)).toEqual(["x2", "x1", "x3"]);
    const sum = (objective?.params ?? []).reduce((a, q) => a + q.importance, 0);
    expect(sum).toBeCloseTo(1, 10);
  });

  it("ranks an irrelevant param last in a mixed space with a conditional param", () => {
    const space: Space = [
      { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
      { name: "noise", type: "float", low: 0, high: 1 },
      { name: "opt", type: "categorical", choices: ["sgd", "adam"] },
      { name: "momentum", type: "float", low: 0, high: 1, when: { opt: "sgd" } },
      { name: "layers", type: "int", low: 1, high: 8 },
    ];
    const f = (p: Params): number =>
      (Math.log10(Number(p.lr)) + 3) ** 2 +
      (p.opt === "sgd" ? 1 + 6 * (Number(p.momentum) - 0.9) ** 2 : 0) +
      0.3 * (Number(p.layers) - 4) ** 2;
    const trials = randomTrials(space, 600, f, 3).map((t) => {
      const params = { ...t.params };
      if (params.opt !== "sgd") delete params.momentum;
      return { ...t, params, value: f(params) };
    });
    const result = computeImportance({ space, trials, directions: ["minimize"], seed: 5 });
    const names = result.objectives[0]?.params.map((q) => q.name) ?? [];
    expect(names[0]).toBe("lr");
    expect(names[names.length - 1]).toBe("noise");
    const p = byName(result.objectives[0]?.params ?? []);
    expect(p.momentum?.importance ?? 0).toBeGreaterThan(p.noise?.importance ?? 1);
    expect(p.noise?.importance ?? 1).toBeLessThan(0.02);
  });

  it("gives the same answer for minimize f and maximize −f, and reads each objective of `values`", () => {
    const space: Space = ["a", "b", "c"].map((name) => ({ name, type: "float", low: 0, high: 1 }));
    const base = randomTrials(space, 300, () => 0, 7);
    const f = (p: Params): number => 4 * Number(p.a) ** 2 + Number(p.b);
    const g = (p: Params): number => Math.sin(6 * Number(p.c)) + 0.1 * Number(p.a);
    const minimized = base.map((t) => ({ ...t, value: f(t.params) }));
    const maximized = base.map((t) => ({ ...t, value: -f(t.params) }));
    const a = computeImportance({ space, trials: minimized, directions: ["minimize"], seed: 2 });
    const b = computeImportance({ space, trials: maximized, directions: ["maximize"], seed: 2 });
    expect(b).toEqual(a);
    expect(a.objectives[0]?.params[0]?.name).toBe("a");

    const multi: HistoryTrial[] = base.map(({ number, params, state, reports }) => {
      const trial = { number, params, state, reports, values: [f(params), g(params)] };
      return trial;
    });
    const m = computeImportance({ space, trials: multi, directions: ["minimize", "maximize"], seed: 2 });
    expect(m.objectives.map((o) => o.params[0]?.name)).toEqual(["a", "c"]);
    expect(m.objectives.map((o) => o.trialsUsed)).toEqual([300, 300]);
  });

  it("uses only complete trials with a finite value and returns all zeros when nothing varies", () => {
    const space: Space = [{ name: "x", type: "float", low: 0, high: 1 }];
    const trials: HistoryTrial[] = [
      { number: 0, params: { x: 0.1 }, state: "complete", value: 1, reports: [] },
      { number: 1, params: { x: 0.5 }, state: "complete", value: 1, reports: [] },
      { number: 2, params: { x: 0.9 }, state: "pruned", value: 5, reports: [] },
      { number: 3, params: { x: 0.7 }, state: "running", reports: [] },
      { number: 4, params: { x: 0.3 }, state: "complete", value: Number.NaN, reports: [] },
    ];
    const r = computeImportance({ space, trials, directions: ["minimize"], seed: 0 });
    expect(r.objectives[0]).toEqual({
      index: 0,
      trialsUsed: 2,
      params: [{ name: "x", importance: 0, firstOrder: 0 }],
    });
    expect(
      computeImportance({ space, trials: [], directions: ["minimize"], seed: 0 }).objectives[0]?.trialsUsed,
    ).toBe(0);
  });

  it("is deterministic and subsamples above maxTrials whatever the input order", () => {
    const trials = randomTrials(ishigamiSpace, 400, ishigami, 11);
    const input = { space: ishigamiSpace, directions: ["minimize" as const], seed: 4, maxTrials: 150 };
    const a = computeImportance({ ...input, trials });
    const b = computeImportance({ ...input, trials: [...trials].reverse() });
    expect(a.objectives[0]?.trialsUsed).toBe(150);
    expect(b).toEqual(a);
  });

  it("stays bounded at 100,000 trials (a 2,000-trial deterministic subsample)", () => {
    const trials = randomTrials(ishigamiSpace, 100_000, ishigami, 12);
    const started = performance.now();
    const r = computeImportance({ space: ishigamiSpace, trials, directions: ["minimize"], seed: 0 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`importance of 100,000 trials (3 params): ${seconds.toFixed(2)} s`);
    expect(r.objectives[0]?.trialsUsed).toBe(2000);
    expect(r.objectives[0]?.params.map((q) => q.name)).toEqual(["x2", "x1", "x3"]);
  }, 60_000);
});
