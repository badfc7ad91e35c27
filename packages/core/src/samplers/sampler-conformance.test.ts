import type { Direction, SamplerConfig, Params, Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { createSampler, availableSamplerTypes } from "./create-sampler.js";
import type { HistoryTrial, JsonValue, SampleRequest, SampleResult } from "./sampler-types.js";
import { validateParams } from "../space/validate-params.js";

/**
 * Every registered sampler type over every kind of distribution (table-driven: a newly registered
 * sampler is covered automatically).
 */
const space: Space = [
  { name: "f", type: "float", low: -2, high: 3 },
  { name: "flog", type: "float", low: 1e-4, high: 10, log: true },
  { name: "fstep", type: "float", low: 0, high: 1, step: 0.25 },
  { name: "i", type: "int", low: -3, high: 4 },
  { name: "ilog", type: "int", low: 1, high: 64, log: true },
  { name: "istep", type: "int", low: 0, high: 12, step: 4 },
  { name: "cs", type: "categorical", choices: ["a", "b", "c"] },
  { name: "cn", type: "categorical", choices: [0.5, 2, 8] },
  { name: "cb", type: "categorical", choices: [true, false] },
  { name: "child", type: "float", low: 0, high: 1, when: { cs: "b" } },
  { name: "grandchild", type: "int", low: 1, high: 3, when: { child: [0], cb: true } },
  { name: "kid2", type: "categorical", choices: ["x", "y"], when: { cs: ["a", "c"] } },
];

function configFor(type: SamplerConfig["type"]): SamplerConfig {
  // A full grid of this space has millions of points; explicit values keep it at ~40k.
  if (type === "grid")
    return { type: "grid", resolution: 3, values: { i: [-3, 0, 4], ilog: [1, 8, 64], fstep: [0, 1] } };
  return { type };
}

/** A deterministic objective that depends on every param (so model-based samplers have something to learn). */
function objective(p: Params): number {
  let v = 0;
  for (const [k, x] of Object.entries(p)) {
    const n = typeof x === "number" ? x : typeof x === "boolean" ? (x ? 1 : 0) : x.charCodeAt(0) % 7;
    v += Math.sin(n * (k.length + 1)) + 0.1 * n * n;
  }
  return v;
}

interface RunOptions {
  n: number;
  batch: number;
  seed: number;
  roundTripState: boolean;
}

/** Runs a sequential/batched loop through the contract; returns every request/result pair. */
function run(
  type: SamplerConfig["type"],
  opts: RunOptions,
): { trials: HistoryTrial[]; results: SampleResult[]; states: (JsonValue | null)[] } {
  const sampler = createSampler(configFor(type), space);
  const trials: HistoryTrial[] = [];
  const results: SampleResult[] = [];
  const states: (JsonValue | null)[] = [];
  let state: JsonValue | null = null;
  while (trials.length < opts.n) {
    states.push(state);
    const req: SampleRequest = {
      space,
      direction: "minimize",
      trials: trials.map((t) => ({ ...t })),
      count: opts.batch,
      seed: opts.seed,
      firstNumber: trials.length,
      state,
    };
    const result = sampler.sample(req);
    results.push(result);
    state = opts.roundTripState
      ? (JSON.parse(JSON.stringify(result.state)) as JsonValue | null)
      : result.state;
    if (result.suggestions.length === 0) break;
    const asked = result.suggestions.map((params, k): HistoryTrial => ({
      number: trials.length + k,
      params,
      state: "running",
      reports: [],
    }));
    trials.push(...asked);
    for (const t of asked) {
      t.state = t.number % 9 === 5 ? "failed" : "complete";
      if (t.state === "complete") t.value = objective(t.params);
    }
  }
  return { trials, results, states };
}

/** Samplers that learn from the values (the others ignore them, and the direction with them). */
const MODEL_BASED = new Set<SamplerConfig["type"]>(["auto", "tpe", "gp"]);
const square: Space = [
  { name: "x", type: "float", low: 0, high: 1 },
  { name: "y", type: "float", low: 0, high: 1 },
];

/** A sequential study of g = x + y on the unit square in the given direction. */
function optimizeSum(type: SamplerConfig["type"], direction: Direction, n: number): HistoryTrial[] {
  const sampler = createSampler(configFor(type), square);
  const trials: HistoryTrial[] = [];
  let state: JsonValue | null = null;
  while (trials.length < n) {
    const r = sampler.sample({
      space: square,
      direction,
      trials,
      count: 1,
      seed: 5,
      firstNumber: trials.length,
      state,
    });
    state = r.state;
    for (const params of r.suggestions) {
      const value = Number(params.x) + Number(params.y);
      trials.push({ number: trials.length, params, state: "complete", value, reports: [] });
    }
  }
  return trials;
}

describe.each(availableSamplerTypes.map((t) => [t]))("sampler conformance: %s", (type) => {
  const N = type === "grid" ? 24 : 28;

  it("suggests only valid, active, in-bounds, on-grid params of every kind", () => {
    const { trials, results } = run(type, { n: N, batch: 1, seed: 11, roundTripState: true });
    expect(trials.length).toBe(N);
    for (const t of trials) {
      const check = validateParams(space, t.params);
      expect(check).toEqual({ ok: true, params: t.params });
      expect(Number.isInteger(t.params.i)).toBe(true);
      expect(Number.isInteger(t.params.ilog)).toBe(true);
      expect([0, 4, 8, 12]).toContain(t.params.istep);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(t.params.fstep);
    }
    for (const r of results) expect(typeof r.origin).toBe("string");
    // Every categorical kind shows up in its native type.
    expect(new Set(trials.map((t) => typeof t.params.cb))).toEqual(new Set(["boolean"]));
    expect(new Set(trials.map((t) => typeof t.params.cn))).toEqual(new Set(["number"]));
    // The conditional branches are both explored.
    expect(trials.some((t) => "child" in t.params)).toBe(true);
    expect(trials.some((t) => "kid2" in t.params)).toBe(true);
  });

  it("is deterministic byte for byte for a seed, and seed-dependent", () => {
    const a = run(type, { n: 16, batch: 2, seed: 5, roundTripState: true });
    const b = run(type, { n: 16, batch: 2, seed: 5, roundTripState: true });
    const c = run(type, { n: 16, batch: 2, seed: 6, roundTripState: true });
    expect(JSON.stringify(a.trials)).toBe(JSON.stringify(b.trials));
    expect(JSON.stringify(a.trials)).not.toBe(JSON.stringify(c.trials));
  });

  it("gives the same suggestions whether its state went through JSON or not", () => {
    const a = run(type, { n: 16, batch: 1, seed: 2, roundTripState: true });
    const b = run(type, { n: 16, batch: 1, seed: 2, roundTripState: false });
    expect(JSON.stringify(a.trials)).toBe(JSON.stringify(b.trials));
    for (const s of a.states) expect(JSON.parse(JSON.stringify(s)) as unknown).toEqual(s);
  });

  it("resumes from stored history: a fresh instance continues exactly like the original", () => {
    const { trials, results, states } = run(type, { n: 20, batch: 1, seed: 4, roundTripState: true });
    const k = 14;
    const fresh = createSampler(configFor(type), space);
    const resumed = fresh.sample({
      space,
      direction: "minimize",
      trials: JSON.parse(JSON.stringify(trials.slice(0, k))) as HistoryTrial[],
      count: 1,
      seed: 4,
      firstNumber: k,
      state: states[k] ?? null,
    });
    expect(JSON.stringify(resumed.suggestions)).toBe(JSON.stringify(results[k]?.suggestions));
  });

  it("accounts for pending trials: a batch and its pending neighbours are all distinct", () => {
    const { trials } = run(type, { n: 16, batch: 1, seed: 8, roundTripState: true });
    const sampler = createSampler(configFor(type), space);
    const pending = trials
      .slice(0, 12)
      .concat(
        trials
          .slice(12)
          .map((t): HistoryTrial => ({ number: t.number, params: t.params, state: "running", reports: [] })),
      );
    const result = sampler.sample({
      space,
      direction: "minimize",
      trials: pending,
      count: 4,
      seed: 8,
      firstNumber: 16,
      state: null,
    });
    expect(result.suggestions.length).toBe(4);
    const keys = new Set(
      [...pending, ...result.suggestions.map((params) => ({ params }))].map((t) => JSON.stringify(t.params)),
    );
    expect(keys.size).toBe(pending.length + 4);
  });

  it("reports exhaustion only when it has nothing left (grid)", () => {
    const { results } = run(type, { n: 20, batch: 3, seed: 1, roundTripState: true });
    for (const r of results) expect(r.exhausted).toBe(false);
  });

  it("accepts maximize as well as minimize (values in the user's direction)", () => {
    const sampler = createSampler(configFor(type), space);
    const { trials } = run(type, { n: 14, batch: 1, seed: 3, roundTripState: true });
    const r = sampler.sample({
      space,
      direction: "maximize",
      trials,
      count: 2,
      seed: 3,
      firstNumber: 14,
      state: null,
    });
    expect(r.suggestions.length).toBe(2);
    for (const p of r.suggestions) expect(validateParams(space, p).ok).toBe(true);
  });

  // Values reach the sampler in the user's direction; a model-based sampler must negate them itself when
  // maximizing. On g = x + y a sampler that ignored the direction would descend under maximize too.
  it.runIf(MODEL_BASED.has(type))(
    "optimizes in the user's direction: climbs under maximize, descends under minimize",
    () => {
      const late = (direction: Direction): number => {
        const trials = optimizeSum(type, direction, 30);
        const tail = trials.slice(-10).map((t) => t.value ?? NaN);
        return tail.reduce((a, v) => a + v, 0) / tail.length;
      };
      // Random search would average 1 (x, y uniform on [0, 1]).
      expect(late("maximize")).toBeGreaterThan(1.5);
      expect(late("minimize")).toBeLessThan(0.5);
    },
  );
});
