import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "../e2e/support/e2e-stack.js";
import { countByState } from "../e2e/support/invariants.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { fakeNvidiaSmi } from "./support/fake-nvidia-smi.js";

interface Span {
  gpus: string[];
  start: number;
  end: number;
}

/** Pairs of trials that ran at the same time on a common GPU (must be none with --trials-per-gpu 1). */
function sharedGpuOverlaps(spans: Span[]): string[] {
  const problems: string[] = [];
  for (const [i, a] of spans.entries()) {
    for (const b of spans.slice(i + 1)) {
      const overlap = a.start < b.end && b.start < a.end;
      const shared = a.gpus.filter((gpu) => b.gpus.includes(gpu));
      if (overlap && shared.length > 0) problems.push(`${a.gpus.join(",")} / ${b.gpus.join(",")}`);
    }
  }
  return problems;
}

/**
 * Requirements: with only a CPU worker alive, GPU studies start no trial and say why; a (fake)
 * 4-GPU worker joins and runs them all, each pinned to exactly the GPUs it needs, 1- and 2-GPU trials
 * side by side but never on a common GPU.
 */
describe("fleet: GPU requirements and packing", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "fleetgpu",
      workers: [{ concurrency: 2 }],
      inProcess: true,
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("waits for a GPU worker, then runs 1- and 2-GPU trials pinned and never sharing a GPU", async () => {
    await stack.explain(async () => {
      const gpuStudy = (name: string, gpus: number, maxTrials: number, parallelism: number) => ({
        ...syntheticStudy({ name, maxTrials, parallelism, steps: 3, stepDelayMs: 80 }),
        resources: { gpus, gpuMemoryGb: 32 },
      });
      const one = await stack.createStudy(gpuStudy("one-gpu", 1, 6, 3));
      const two = await stack.createStudy(gpuStudy("two-gpus", 2, 4, 2));

      // Only the CPU worker is alive: the studies say why and no trial starts.
      const waiting = async () =>
        (await stack.user.ok<{ waitingForWorkers?: string | null }>("GET", `/v1/studies/${one}`))
          .waitingForWorkers;
      const started = Date.now();
      while (!(await waiting()) && Date.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 200));
      expect(await waiting()).toBe(
        "needs 1 GPU, 32 GB of GPU memory, a synthetic trainer in pool default; no live worker offers it",
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const early = [...(await stack.trials(one)), ...(await stack.trials(two))];
      expect(early.filter((trial) => trial.startedAt !== null)).toEqual([]);

      const gpuWorker = "gpu-worker";
      stack.startWorker({
        id: gpuWorker,
        env: { PATH: `${fakeNvidiaSmi()}:${process.env.PATH ?? ""}` },
        args: ["--gpus", "auto", "--concurrency", "4"],
      });
      await stack.waitForStudyState(one, ["completed"], 60_000);
      await stack.waitForStudyState(two, ["completed"], 60_000);
      expect(await waiting()).toBeNull();

      const spans: Span[] = [];
      for (const [studyId, gpus, count] of [
        [one, 1, 6],
        [two, 2, 4],
      ] as const) {
        const trials = await stack.trials(studyId);
        expect(countByState(trials)).toEqual({ complete: count });
        for (const trial of trials) {
          expect(trial.workerId).toBe(gpuWorker);
          const ids = (trial.gpu ?? "").split(",").filter((id) => id !== "");
          expect(ids).toHaveLength(gpus);
          spans.push({
            gpus: ids,
            start: trial.startedAt?.getTime() ?? 0,
            end: trial.finishedAt?.getTime() ?? 0,
          });
        }
      }
      expect(sharedGpuOverlaps(spans)).toEqual([]);

      const workers = await stack.user.ok<{
        items: { id: string; gpuModel: string | null; gpuMemoryGb: number | null }[];
      }>("GET", "/v1/workers");
      expect(workers.items.find((worker) => worker.id === gpuWorker)).toMatchObject({
        gpuModel: "Fake A100-SXM4-40GB",
        gpuMemoryGb: 40,
      });
    });
  }, 120_000);
});
