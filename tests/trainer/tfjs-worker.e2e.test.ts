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

  it("digits: a 3-epoch he trial passes 0.85 validation accuracy; a zeros trial is flagged symmetric", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy({
        name: "tfjs-digits-e2e",
        objective: { metric: "val_accuracy", direction: "maximize" },
        space: [{ name: "initializer", type: "categorical", choices: ["he", "zeros"] }],
        sampler: { type: "grid" },
        budget: { maxTrials: 2, parallelism: 1 },
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
      const trials = await stack.trials(studyId);
      expect(trials.map((t) => t.state)).toEqual(["complete", "complete"]);
      const he = trials.find((t) => (t.params as Record<string, unknown>).initializer === "he");
      const zeros = trials.find((t) => (t.params as Record<string, unknown>).initializer === "zeros");
      if (!he || !zeros) throw new Error("expected one trial per initializer");
      expect(he.value).toBeGreaterThan(0.85);
      // The e2e stack starts its workers with --backend cpu (plain JS), the slowest backend.
      expect(he.backend).toBe("cpu");
      expect(he.reports.map((r) => r.step)).toEqual([1, 2, 3]);
      expect(Object.keys(he.reports[2]?.metrics ?? {})).toEqual(
        expect.arrayContaining(["loss", "val_loss", "val_accuracy", "duration_ms"]),
      );
      expect(zeros.value).toBeLessThan(0.3);
      const heJson = await stack.user.ok<TrialJson>("GET", `/v1/trials/${he.id}`);
      const zerosJson = await stack.user.ok<TrialJson>("GET", `/v1/trials/${zeros.id}`);
      expect(heJson.diagnostics?.flags).toEqual([]);
      expect(zerosJson.diagnostics?.flags).toContain("symmetric-weights");
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
