import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure, waitForRunningTrial } from "../e2e/support/e2e-stack.js";
import { countByState } from "../e2e/support/invariants.js";

const STEPS = 16;

interface StepReport {
  step: number;
  loss: number;
  run: number;
}

function stepsOf(reports: { step: number; metrics: unknown }[]): StepReport[] {
  return reports.map((report) => {
    const metrics = (report.metrics ?? {}) as Record<string, number>;
    return { step: report.step, loss: metrics["loss"] ?? Number.NaN, run: metrics["run"] ?? 0 };
  });
}

/**
 * Preemption end to end: two workers share one HPO_CHECKPOINT_ROOT; the one running a long trial of
 * examples/node/checkpoint-train.mjs gets SIGTERM mid-way, hands the trial back, and the other worker
 * resumes it from the checkpoint its first attempt saved (the step count continues) and completes it.
 */
describe("fleet: preemption with a shared checkpoint root", () => {
  let stack: E2eStack;
  const checkpointRoot = mkdtempSync(join(tmpdir(), "hpo-ckpt-root-"));
  beforeAll(async () => {
    const env = { HPO_CHECKPOINT_ROOT: checkpointRoot, HPO_SHUTDOWN_GRACE_MS: "300" };
    stack = await E2eStack.start({
      label: "preempt",
      workers: [
        { id: "spot-a", concurrency: 1, env },
        { id: "spot-b", concurrency: 1, env },
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("hands a SIGTERMed trial back; the other worker resumes it from its checkpoint and completes it", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy({
        name: "preempted",
        objective: { metric: "loss", direction: "minimize" },
        space: [{ name: "learning_rate", type: "float", low: 0.05, high: 0.3 }],
        budget: { maxTrials: 1, parallelism: 1 },
        trainer: {
          type: "command",
          command: [
            "node",
            "examples/node/checkpoint-train.mjs",
            "--steps",
            String(STEPS),
            "--step-ms",
            "250",
          ],
          timeoutSeconds: 120,
        },
        seed: 3,
      });
      const first = await waitForRunningTrial(stack, studyId, { minReports: 4, timeoutMs: 60_000 });
      const victimId = first.workerId ?? "";
      const survivorId = victimId === "spot-a" ? "spot-b" : "spot-a";
      const victim = stack.workers.get(victimId);
      if (!victim) throw new Error(`trial runs on unknown worker ${victimId}`);
      const signalledAt = Date.now();
      victim.kill("SIGTERM");
      expect(await victim.exited).toEqual({ code: 0, signal: null });

      await stack.waitForStudyState(studyId, ["completed"], 90_000);
      printFigure("preempted trial: SIGTERM to completion elsewhere", (Date.now() - signalledAt) / 1000, "s");
      const trials = await stack.trials(studyId);
      expect(countByState(trials)).toEqual({ abandoned: 1, complete: 1 });
      const released = trials.find((trial) => trial.id === first.id);
      const retry = trials.find((trial) => trial.retryOf === first.id);
      expect(released?.error).toMatch(/^released/);
      expect(retry).toMatchObject({ state: "complete", workerId: survivorId, params: first.params });

      // The first attempt reported steps 1..k, all computed by the first process.
      const before = stepsOf(released?.reports ?? []);
      const k = before.length;
      expect(k).toBeGreaterThanOrEqual(4);
      expect(k).toBeLessThan(STEPS);
      expect(before.map((r) => r.step)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      expect(before.every((r) => r.run === 1)).toBe(true);

      // The retry has every step exactly once: 1..m replayed from the checkpoint (computed by run 1, the
      // same values as reported before), m+1..STEPS computed by run 2. m >= k: nothing restarted from 0.
      const after = stepsOf(retry?.reports ?? []);
      expect(after.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      const m = after.filter((r) => r.run === 1).length;
      expect(m).toBeGreaterThanOrEqual(k);
      expect(after.slice(0, m).every((r) => r.run === 1)).toBe(true);
      expect(after.slice(m).every((r) => r.run === 2)).toBe(true);
      expect(after.slice(0, k)).toEqual(before);
      expect(retry?.log ?? "").toContain(`checkpoint: resumed from step ${m} (run 2)`);
      printFigure("preempted trial: steps saved before SIGTERM (reported)", m, `steps (${k} reported)`);

      // One checkpoint directory for the point, keyed by its first attempt; none for the retry's id.
      const saved = JSON.parse(
        readFileSync(join(checkpointRoot, studyId, first.id, "state.json"), "utf8"),
      ) as { step: number; runs: number };
      expect(saved).toMatchObject({ step: STEPS, runs: 2 });
      expect(existsSync(join(checkpointRoot, studyId, retry?.id ?? "none"))).toBe(false);
    });
  }, 180_000);
});
