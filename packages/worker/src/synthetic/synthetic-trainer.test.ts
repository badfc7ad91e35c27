import { syntheticTrainerSpecSchema } from "@hpo/contracts";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { benchmarkProblems } from "@hpo/core";
import { runSyntheticTrainer, syntheticIntermediateValue } from "./synthetic-trainer.js";

type SyntheticTrainerInput = z.input<typeof syntheticTrainerSpecSchema>;

/** A spec as the worker receives it: parsed, defaults applied. */
function synthetic(input: Omit<SyntheticTrainerInput, "type">) {
  return syntheticTrainerSpecSchema.parse({ type: "synthetic", ...input });
}

const params = { x1: 1.5, x2: 4.2 };

function context(
  answers: (step: number) => { prune: boolean; stop: boolean } = () => ({ prune: false, stop: false }),
) {
  const reports: { step: number; value: number }[] = [];
  return {
    reports,
    ctx: {
      number: 3,
      params,
      seed: 7,
      objectiveMetric: "loss",
      signal: new AbortController().signal,
      report(step: number, metrics: Record<string, number>) {
        reports.push({ step, value: metrics.loss ?? Number.NaN });
        return Promise.resolve(answers(step));
      },
    },
  };
}

describe("synthetic trainer", () => {
  it("reports `steps` values converging to exactly f(params)", async () => {
    const { ctx, reports } = context();
    const outcome = await runSyntheticTrainer(synthetic({ problem: "branin", steps: 5 }), ctx);
    const f = benchmarkProblems.branin.evaluate(params);
    expect(outcome).toEqual({ state: "complete", metrics: { loss: f }, value: f, backend: "synthetic" });
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    expect(reports.at(-1)?.value).toBe(f);
    const gaps = reports.map((r) => r.value - f);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1] ?? Infinity);
  });

  it("keeps the ranking of final values at every step (so pruning decisions are checkable)", () => {
    const finals = [-3.8, -1, 0, 0.4, 2, 10];
    for (let step = 1; step <= 5; step++) {
      const values = finals.map((f) => syntheticIntermediateValue(f, step, 5));
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] ?? Infinity);
    }
  });

  it("stops at once when pruned and reports no further step", async () => {
    const { ctx, reports } = context((step) => ({ prune: step === 2, stop: false }));
    const outcome = await runSyntheticTrainer(synthetic({ problem: "branin", steps: 5 }), ctx);
    expect(outcome.state).toBe("pruned");
    expect(reports).toHaveLength(2);
  });

  it("throws when the service says stop, and honours its abort signal", async () => {
    const { ctx } = context(() => ({ prune: false, stop: true }));
    await expect(runSyntheticTrainer(synthetic({ problem: "branin" }), ctx)).rejects.toThrow(/stopped/);
    const controller = new AbortController();
    const pending = runSyntheticTrainer(synthetic({ problem: "branin", steps: 3, stepDelayMs: 10_000 }), {
      ...context().ctx,
      signal: controller.signal,
    });
    controller.abort(new Error("pruned by the worker"));
    await expect(pending).rejects.toThrow(/pruned by the worker/);
  });

  it("adds seeded noise only when asked", async () => {
    const a = await runSyntheticTrainer(synthetic({ problem: "branin", noise: 0.5 }), context().ctx);
    const b = await runSyntheticTrainer(synthetic({ problem: "branin", noise: 0.5 }), context().ctx);
    expect(a.value).toBe(b.value);
    expect(a.value).not.toBe(benchmarkProblems.branin.evaluate(params));
  });
});
