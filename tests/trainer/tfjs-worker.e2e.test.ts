import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "../e2e/support/e2e-stack.js";

interface TrialJson {
  id: string;
  state: string;
  params: Record<string, unknown>;
  value: number | null;
  backend: string | null;
  diagnostics: { flags?: string[] } | null;
}

/**
 * The tfjs trainer through the whole system: API, scheduler and a worker process that runs each trial in
 * its child process; the per-epoch metrics, the backend and the initialization diagnostics end up in
 * Postgres and are served by `GET /v1/trials/:id`.
 */
describe("tfjs trainer through a worker", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({ label: "tfjs", workers: [{ concurrency: 1 }] });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("digits: a 3-epoch trial passes 0.85 validation accuracy; metrics and diagnostics are stored and served", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy({
        name: "tfjs-digits-e2e",
        objective: { metric: "val_accuracy", direction: "maximize" },
        space: [{ name: "initializer", type: "categorical", choices: ["he"] }],
        sampler: { type: "grid" },
        budget: { maxTrials: 1, parallelism: 1 },
        trainer: {
          type: "tfjs",
          dataset: "digits",
          epochs: 3,
          maxSamples: 2000,
          fixed: { learning_rate: 0.003, hidden_units: 64, batch_size: 32 },
        },
        seed: 1,
      });
      await stack.waitForStudyState(studyId, ["completed"], 150_000);
      const [he] = await stack.trials(studyId);
      if (!he) throw new Error("expected one trial");
      expect(he.state).toBe("complete");
      expect(he.value).toBeGreaterThan(0.85);
      // The e2e stack starts its workers with --backend cpu (plain JS), the slowest backend.
      expect(he.backend).toBe("cpu");
      expect(he.reports.map((r) => r.step)).toEqual([1, 2, 3]);
      expect(Object.keys(he.reports[2]?.metrics ?? {})).toEqual(
        expect.arrayContaining(["loss", "val_loss", "val_accuracy", "duration_ms"]),
      );
      const served = await stack.user.ok<TrialJson>("GET", `/v1/trials/${he.id}`);
      expect(served.backend).toBe("cpu");
      expect(served.diagnostics?.flags).toEqual([]);
      expect(served.diagnostics).toMatchObject({
        snapshots: [{ at: "init" }, { at: "epoch-1" }, { at: "final" }],
      });
    });
  }, 180_000);

  it("spirals: a small network learns the three arms", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy({
        name: "tfjs-spirals-e2e",
        objective: { metric: "val_accuracy", direction: "maximize" },
        space: [{ name: "learning_rate", type: "categorical", choices: [0.02] }],
        sampler: { type: "grid" },
        budget: { maxTrials: 1, parallelism: 1 },
        trainer: { type: "tfjs", dataset: "spirals", epochs: 20, fixed: { hidden_units: 32 } },
        seed: 1,
      });
      await stack.waitForStudyState(studyId, ["completed"], 120_000);
      const [trial] = await stack.trials(studyId);
      expect(trial?.state).toBe("complete");
      expect(trial?.value).toBeGreaterThan(0.9);
      expect(trial?.reports).toHaveLength(20);
    });
  }, 150_000);
});
