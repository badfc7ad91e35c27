import { describe, expect, it } from "vitest";
import type { Params, Space } from "@hpo/contracts";
import { createSampler } from "../samplers/create-sampler.js";
import { createStudy } from "../study/create-study.js";
import type { HistoryTrial, SampleRequest } from "../samplers/sampler-types.js";
import { prepareWarmStart } from "./prepare-warm-start.js";
import { MIN_CHECKED, priorAgreement } from "./prior-agreement.js";

const space: Space = [
  { name: "x", type: "float", low: 0, high: 1 },
  { name: "opt", type: "categorical", choices: ["sgd", "adam"] },
  { name: "momentum", type: "float", low: 0, high: 1, when: { opt: "sgd" } },
];

describe("prepareWarmStart", () => {
  it("keeps matching trials, strips unknown and inactive params, drops the rest with notes", () => {
    const { trials, notes } = prepareWarmStart(
      space,
      [
        { params: { x: 0.5, opt: "adam" }, state: "complete", value: 1 },
        { params: { x: 0.2, opt: "sgd", momentum: 0.9, old: 3 }, state: "complete", value: 2 },
        { params: { x: 0.3, opt: "adam", momentum: 0.5 }, state: "complete", value: 3 },
        { params: { x: 1.5, opt: "adam" }, state: "complete", value: 4 },
        { params: { x: 0.5, opt: "rmsprop" }, state: "complete", value: 5 },
        { params: { x: "a", opt: "adam" }, state: "complete", value: 6 },
        { params: { opt: "adam" }, state: "complete", value: 7 },
        { params: { x: 0.5, opt: "adam" }, state: "pruned", value: 8 },
        { params: { x: 0.5, opt: "adam" }, state: "complete" },
      ],
      ["minimize"],
    );
    expect(trials.map((t) => [t.number, t.value, t.params])).toEqual([
      [-3, 1, { x: 0.5, opt: "adam" }],
      [-2, 2, { x: 0.2, opt: "sgd", momentum: 0.9 }],
      [-1, 3, { x: 0.3, opt: "adam" }],
    ]);
    expect(trials.every((t) => t.state === "complete")).toBe(true);
    expect(notes[0]).toBe("warm start: kept 3 of 9 prior trials");
    const text = notes.join("\n");
    expect(text).toMatch(/dropped 1 prior trial\(s\): param "x" must lie in \[0, 1\]/);
    expect(text).toMatch(/dropped 1 prior trial\(s\): param "opt" must be one of/);
    expect(text).toMatch(/dropped 1 prior trial\(s\): param "x" must be a finite number/);
    expect(text).toMatch(/dropped 1 prior trial\(s\): param "x" missing active param/);
    expect(text).toMatch(/dropped 1 prior trial\(s\): not complete \(pruned\)/);
    expect(text).toMatch(/dropped 1 prior trial\(s\): no finite value/);
    expect(text).toMatch(/ignored in 1 prior trial\(s\): param "old" is not in the new space/);
    expect(text).toMatch(/ignored in 1 prior trial\(s\): param "momentum" is inactive in the new space/);
  });

  it("needs one value per objective with several objectives", () => {
    const s: Space = [{ name: "x", type: "float", low: 0, high: 1 }];
    const { trials } = prepareWarmStart(
      s,
      [
        { params: { x: 0.1 }, state: "complete", value: 1, values: [1, 2] },
        { params: { x: 0.2 }, state: "complete", value: 1 },
      ],
      ["minimize", "maximize"],
    );
    expect(trials).toHaveLength(1);
    expect((trials[0] as HistoryTrial & { values?: number[] }).values).toEqual([1, 2]);
  });
});

/** A 2-D quadratic bowl with its minimum at c. */
const box: Space = [
  { name: "a", type: "float", low: 0, high: 1 },
  { name: "b", type: "float", low: 0, high: 1 },
];
const bowl =
  (c: [number, number]) =>
  (p: Params): number =>
    (Number(p.a) - c[0]) ** 2 + (Number(p.b) - c[1]) ** 2;

function grid(f: (p: Params) => number, n: number): HistoryTrial[] {
  const out: HistoryTrial[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const params = { a: (i + 0.5) / n, b: (j + 0.5) / n };
      out.push({ number: out.length - n * n, params, state: "complete", value: f(params), reports: [] });
    }
  return out;
}

function run(type: "gp" | "tpe" | "random" | "sobol", priors: HistoryTrial[] | undefined, n: number) {
  const sampler = createSampler({ type }, box);
  const f = bowl([0.85, 0.15]);
  const trials: HistoryTrial[] = [];
  let state: SampleRequest["state"] = null;
  for (let k = 0; k < n; k++) {
    const req: SampleRequest = {
      space: box,
      direction: "minimize",
      trials,
      count: 1,
      seed: 3,
      firstNumber: k,
      state,
      ...(priors === undefined ? {} : { priorTrials: priors }),
    };
    const result = sampler.sample(req);
    state = result.state;
    const params = result.suggestions[0] ?? {};
    trials.push({ number: k, params, state: "complete", value: f(params), reports: [] });
  }
  return trials;
}

describe("samplers with priorTrials", () => {
  const related = grid(bowl([0.87, 0.13]), 6);

  it("tpe starts next to a related prior's optimum", () => {
    const cold = run("tpe", undefined, 3);
    const warm = run("tpe", related, 3);
    const best = (ts: HistoryTrial[]): number => Math.min(...ts.map((t) => t.value ?? Infinity));
    expect(best(warm)).toBeLessThan(0.02);
    expect(best(warm)).toBeLessThan(best(cold));
  });

  it("gp starts next to a related prior's optimum and goes back there after its start-up design", () => {
    const cold = run("gp", undefined, MIN_CHECKED + 2);
    const warm = run("gp", related, MIN_CHECKED + 2);
    const value = (ts: HistoryTrial[], k: number): number => ts[k]?.value ?? Infinity;
    expect(value(warm, 0)).toBeLessThan(0.05);
    expect(value(warm, 0)).toBeLessThan(Math.min(...cold.slice(0, 3).map((t) => t.value ?? Infinity)));
    // Trials 1 … MIN_CHECKED are the design; the next one is the two-task model's again (the gate agrees).
    expect(value(warm, MIN_CHECKED + 1)).toBeLessThan(0.02);
    expect(value(warm, MIN_CHECKED + 1)).toBeLessThan(value(cold, MIN_CHECKED + 1));
    // Suggestions stay inside the study's own space (no helper param leaks out).
    expect(warm.every((t) => Object.keys(t.params).sort().join() === "a,b")).toBe(true);
  });

  it("gp: after its prior-guided first trial, the cold run's start-up design, point for point", () => {
    const cold = run("gp", undefined, MIN_CHECKED);
    const warm = run("gp", related, MIN_CHECKED + 1);
    expect(warm.slice(1).map((t) => t.params)).toEqual(cold.map((t) => t.params));
  });

  it("gp with a misleading prior: once the gate drops it, the plain GP on the study's own trials", () => {
    const mirrored = grid((p) => -bowl([0.85, 0.15])(p), 6);
    const warm = run("gp", mirrored, MIN_CHECKED + 2);
    const own = warm.slice(0, MIN_CHECKED + 1);
    const plain = createSampler({ type: "gp" }, box).sample({
      space: box,
      direction: "minimize",
      trials: own,
      count: 1,
      seed: 3,
      firstNumber: own.length,
      state: null,
    });
    expect(warm[MIN_CHECKED + 1]?.params).toEqual(plain.suggestions[0]);
  });

  it.each(["random", "sobol"] as const)("%s ignores them", (type) => {
    expect(run(type, related, 4)).toEqual(run(type, undefined, 4));
  });

  it("single-objective tpe ignores priors prepared for several objectives", () => {
    const multi = related.map((t) => {
      const trial: HistoryTrial & { values: number[] } = { ...t, values: [t.value ?? 0, 0] };
      return trial;
    });
    expect(run("tpe", multi, 3)).toEqual(run("tpe", undefined, 3));
  });

  it("gp without priors is unchanged by the warm-start wrapper (empty prior list = cold)", () => {
    expect(run("gp", [], 7)).toEqual(run("gp", undefined, 7));
  });

  it("the agreement gate accepts a related prior and rejects a misleading one", () => {
    const own = grid(bowl([0.85, 0.15]), 3).map((t, i) => ({ ...t, number: i }));
    expect(priorAgreement(box, related, own, "minimize") ?? 0).toBeGreaterThan(0.5);
    const mirrored = grid((p) => -bowl([0.85, 0.15])(p), 6);
    expect(priorAgreement(box, mirrored, own, "minimize") ?? 1).toBeLessThan(0);
    expect(priorAgreement(box, related, own.slice(0, 4), "minimize")).toBeUndefined();
  });

  it("createStudy passes priorTrials to the sampler on every ask", () => {
    const f = bowl([0.85, 0.15]);
    const study = createStudy({ space: box, sampler: { type: "tpe" }, seed: 3, priorTrials: related });
    const [first] = study.ask();
    expect(f(first?.params ?? {})).toBeLessThan(0.05);
    const cold = createStudy({ space: box, sampler: { type: "tpe" }, seed: 3 }).ask()[0];
    expect(cold?.params).not.toEqual(first?.params);
  });
});
