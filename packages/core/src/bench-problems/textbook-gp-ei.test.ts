import { describe, expect, it } from "vitest";
import { benchmarkProblems } from "./benchmark-problems.js";
import { runBenchmarkStudy } from "../../bench/run-benchmark-study.js";
import { suiteProblems } from "../../bench/suite-problems.js";
import { createTextbookGpEiSampler } from "../../bench/textbook-gp-ei.js";

/** The textbook GP-EI anchor of the widened suite (bench/textbook-gp-ei.ts): an anchor must be a real optimizer. */
describe("textbook GP-EI anchor", () => {
  it("is deterministic for a seed and optimizes Branin well past random search in 30 trials", () => {
    const branin = benchmarkProblems.branin;
    const a = runBenchmarkStudy(branin, createTextbookGpEiSampler, 3, 30, 1);
    const b = runBenchmarkStudy(branin, createTextbookGpEiSampler, 3, 30, 1);
    expect(a.values).toEqual(b.values);
    // Random search's median regret after 30 trials is ~0.5; the GP reaches the noise floor.
    expect(Math.min(...a.values) - branin.optimum).toBeLessThan(0.01);
  });

  it("proposes valid, distinct points for a batch on the mixed int / categorical space", () => {
    const mixed = suiteProblems.find((p) => p.name === "mixed-int-cat");
    if (mixed === undefined) throw new Error("mixed-int-cat missing from the suite");
    const { trials } = runBenchmarkStudy({ ...mixed, name: "branin" }, createTextbookGpEiSampler, 0, 16, 4);
    expect(trials).toHaveLength(16);
    for (const t of trials) {
      expect(Number.isFinite(t.value)).toBe(true);
      for (const p of mixed.space) expect(t.params[p.name]).toBeDefined();
    }
    const lastBatch = trials.slice(12).map((t) => JSON.stringify(t.params));
    expect(new Set(lastBatch).size).toBe(4);
  });
});
