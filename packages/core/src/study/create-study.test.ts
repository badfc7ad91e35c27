import { describe, expect, it } from "vitest";
import { createStudy, type StudyTrial } from "./create-study.js";
import { HpoError } from "../errors/hpo-error.js";
import { benchmarkProblems } from "../bench-problems/benchmark-problems.js";

const space = [
  { name: "x1", type: "float", low: -5, high: 10 },
  { name: "opt", type: "categorical", choices: ["sgd", "momentum"] },
  { name: "m", type: "float", low: 0, high: 0.99, when: { opt: "momentum" } },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HpoError) return error.code;
    throw error;
  }
  return undefined;
}

describe("createStudy", () => {
  it("runs the issue's example: ask two, tell, best, trials", () => {
    const study = createStudy({ space, direction: "minimize", sampler: { type: "auto" }, seed: 7 });
    const [a, b] = study.ask(2);
    if (a === undefined || b === undefined) throw new Error("ask returned too few");
    expect(a.number).toBe(0);
    expect(b.number).toBe(1);
    expect(a.params).not.toEqual(b.params);
    expect("m" in a.params).toBe(a.params.opt === "momentum");
    study.tell(a.number, 0.42);
    study.tell(b.number, { state: "failed" });
    expect(study.best).toEqual({ number: 0, params: a.params, value: 0.42 });
    expect(study.trials.map((t) => t.state)).toEqual(["complete", "failed"]);
  });

  it("serves enqueued params first, validated against the space", () => {
    const study = createStudy({ space, sampler: { type: "tpe" }, seed: 1 });
    expect(codeOf(() => study.enqueue({ x1: 0, opt: "sgd", m: 0.5 }))).toBe("invalid_params");
    const n = study.enqueue({ x1: 1.5, opt: "momentum", m: 0.9 });
    const [first, second] = study.ask(2);
    expect(first).toEqual({ number: n, params: { x1: 1.5, opt: "momentum", m: 0.9 } });
    expect(second?.number).toBe(1);
    expect(study.trials[0]?.origin).toBe("manual");
    expect(study.trials[1]?.origin).toBe("tpe");
  });

  it("rejects tells on unknown or finished trials and non-finite values", () => {
    const study = createStudy({ space, sampler: { type: "random" } });
    const [a] = study.ask();
    if (a === undefined) throw new Error("no trial");
    expect(codeOf(() => study.tell(99, 1))).toBe("trial_not_found");
    expect(codeOf(() => study.tell(a.number, Number.NaN))).toBe("invalid_value");
    study.tell(a.number, 1);
    expect(codeOf(() => study.tell(a.number, 2))).toBe("trial_not_running");
  });

  it("maximizes when asked to", () => {
    const study = createStudy({ space, direction: "maximize", sampler: { type: "random" } });
    const asked = study.ask(3);
    asked.forEach((t, i) => study.tell(t.number, i));
    expect(study.best?.value).toBe(2);
  });

  it("reports intermediate values and prunes a clearly bad curve with the median pruner", () => {
    const study = createStudy({
      space,
      sampler: { type: "random" },
      pruner: { type: "median", warmupSteps: 0, minTrials: 3 },
    });
    for (let i = 0; i < 5; i++) {
      const [t] = study.ask();
      if (t === undefined) throw new Error("no trial");
      for (let step = 0; step < 5; step++)
        expect(study.report(t.number, step, 1 / (step + 1)).prune).toBe(false);
      study.tell(t.number, 0.2);
    }
    const [bad] = study.ask();
    if (bad === undefined) throw new Error("no trial");
    expect(study.report(bad.number, 3, 100).prune).toBe(true);
    study.tell(bad.number, { state: "pruned" });
    expect(study.trials[bad.number]?.reports).toEqual([{ step: 3, value: 100 }]);
  });

  it("continues identically when rebuilt from its stored trials and sampler state", () => {
    const problem = benchmarkProblems.branin;
    const opts = { space: problem.space, sampler: { type: "tpe" as const }, seed: 3 };
    const a = createStudy(opts);
    for (let i = 0; i < 15; i++) {
      const [t] = a.ask();
      if (t) a.tell(t.number, problem.evaluate(t.params));
    }
    const b = createStudy({
      ...opts,
      trials: JSON.parse(JSON.stringify(a.trials)) as StudyTrial[],
      samplerState: a.samplerState,
    });
    expect(JSON.stringify(b.ask(3))).toBe(JSON.stringify(a.ask(3)));
  });

  it("ends a grid study with exhausted = true", () => {
    const study = createStudy({
      space: [{ name: "k", type: "int", low: 0, high: 2 }],
      sampler: { type: "grid" },
    });
    const asked = study.ask(5);
    expect(asked.map((t) => t.params.k).sort()).toEqual([0, 1, 2]);
    expect(study.exhausted).toBe(true);
    expect(study.ask(1)).toEqual([]);
  });

  it("rejects an invalid space with a coded error", () => {
    expect(codeOf(() => createStudy({ space: [{ name: "a", type: "float", low: 1, high: 0 }] }))).toBe(
      "invalid_space",
    );
  });
});

describe("createStudy with several objectives and constraints", () => {
  it("tells value vectors, keeps the feasible Pareto front, prunes by dominance", () => {
    const study = createStudy({
      space,
      directions: ["minimize", "maximize"],
      constraintCount: 1,
      sampler: { type: "tpe" },
      pruner: { type: "dominance", minTrials: 2 },
      seed: 3,
    });
    expect(study.directions).toEqual(["minimize", "maximize"]);
    const told: [number, number, number][] = [
      [1, 1, -1], // front
      [2, 3, -1], // front
      [3, 2, -1], // dominated by (2, 3)
      [0, 9, 1], // would dominate all, but infeasible
    ];
    for (const [f1, f2, c] of told) {
      const [t] = study.ask();
      if (t === undefined) throw new Error("no trial");
      study.tell(t.number, { state: "complete", values: [f1, f2], constraintViolations: [c] });
    }
    expect(study.paretoFront.map((t) => t.number)).toEqual([0, 1]);
    expect(study.best).toBeUndefined();
    expect(study.trials[3]?.constraintViolations).toEqual([1]);
    const [next] = study.ask();
    if (next === undefined) throw new Error("no trial");
    expect(codeOf(() => study.tell(next.number, [1]))).toBe("invalid_value");
    // Intermediate vectors: every finished trial reported nothing, so no peers yet → not pruned.
    expect(study.report(next.number, 1, [5, 0]).prune).toBe(false);
    study.tell(next.number, [0.5, 0.5]);
    expect(study.paretoFront.map((t) => t.number)).toEqual([0, 1, 4]);
  });
});
