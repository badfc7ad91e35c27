import { describe, expect, it } from "vitest";
import { resolveTrialResult } from "./resolve-trial-result.js";

const two = {
  objectives: [
    { metric: "val_accuracy", direction: "maximize" as const },
    { metric: "latency_ms", direction: "minimize" as const },
  ],
  constraints: [
    { metric: "memory_mb", op: "<=" as const, value: 4096 },
    { metric: "latency_ms", op: "<=" as const, value: 50 },
  ],
};

describe("resolveTrialResult", () => {
  it("takes each objective from the metrics and measures each constraint's violation", () => {
    const outcome = resolveTrialResult(two, {
      state: "complete",
      metrics: { val_accuracy: 0.9, latency_ms: 60, memory_mb: 1000 },
    });
    expect(outcome).toEqual({
      ok: true,
      result: { values: [0.9, 60], value: 0.9, constraintViolations: [-3096, 10], feasible: false },
    });
  });

  it("takes explicit values, and names every missing objective or constrained metric by its path", () => {
    const explicit = resolveTrialResult(two, {
      state: "complete",
      values: [0.8, 20],
      metrics: { memory_mb: 10 },
    });
    expect(explicit.ok && explicit.result).toMatchObject({ values: [0.8, 20], feasible: true });
    const missing = resolveTrialResult(two, { state: "complete", metrics: { val_accuracy: 0.9 } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.issues.map((issue) => issue.path)).toEqual([
        ["metrics", "latency_ms"],
        ["metrics", "memory_mb"],
        ["metrics", "latency_ms"],
      ]);
    }
    const wrongLength = resolveTrialResult(two, {
      state: "complete",
      values: [1],
      metrics: { memory_mb: 1 },
    });
    expect(!wrongLength.ok && wrongLength.issues[0]?.path).toEqual(["values"]);
  });

  it("keeps single-objective tells as they were, and asks nothing of failed trials", () => {
    const single = { objectives: [{ metric: "loss", direction: "minimize" as const }], constraints: [] };
    expect(resolveTrialResult(single, { state: "complete", value: 3 })).toEqual({
      ok: true,
      result: { values: [3], value: 3, constraintViolations: [], feasible: true },
    });
    const none = resolveTrialResult(single, { state: "complete" });
    expect(!none.ok && none.issues[0]).toEqual({ path: ["value"], message: "Give value or metrics.loss" });
    expect(resolveTrialResult(two, { state: "failed" })).toEqual({
      ok: true,
      result: { values: [], value: null, constraintViolations: [], feasible: null },
    });
  });
});
