import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "../e2e/support/e2e-stack.js";
import { countByState } from "../e2e/support/invariants.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { fakeNvidiaSmi } from "./support/fake-nvidia-smi.js";

const GPU_MEMORY_GB = 40;

interface Use {
  gpu: string;
  memoryGb: number;
  start: number;
  end: number;
}

/** Per GPU, the most trials and the most GB that were on it at the same moment (a sweep over the spans). */
function peaks(uses: Use[]): Map<string, { trials: number; memoryGb: number }> {
  const result = new Map<string, { trials: number; memoryGb: number }>();
  for (const gpu of new Set(uses.map((use) => use.gpu))) {
    const events = uses
      .filter((use) => use.gpu === gpu)
      .flatMap((use) => [
        { at: use.start, trials: 1, memoryGb: use.memoryGb },
        { at: use.end, trials: -1, memoryGb: -use.memoryGb },
      ])
      // At the same instant an end comes before a start: a trial that ends as another starts never overlaps.
      .sort((a, b) => a.at - b.at || a.trials - b.trials);
    let trials = 0;
    let memoryGb = 0;
    const peak = { trials: 0, memoryGb: 0 };
    for (const event of events) {
      trials += event.trials;
      memoryGb += event.memoryGb;
      peak.trials = Math.max(peak.trials, trials);
      peak.memoryGb = Math.max(peak.memoryGb, memoryGb);
    }
    result.set(gpu, peak);
  }
  return result;
}

/**
 * GPU memory sharing: a worker whose (fake) nvidia-smi reports two 40 GB GPUs runs trials that state 16 GB
 * and 24 GB side by side on one GPU, each pinned to it, and never puts more than 40 GB of trials on a GPU.
 */
describe("fleet: trials share a GPU by their stated memory", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({ label: "fleetgpumem", workers: [], inProcess: true });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("packs 16 and 24 GB trials onto 40 GB GPUs without oversubscribing them", async () => {
    await stack.explain(async () => {
      const study = (name: string, gpuMemoryGb: number, maxTrials: number) => ({
        ...syntheticStudy({ name, maxTrials, parallelism: 4, steps: 4, stepDelayMs: 150 }),
        resources: { gpus: 1, gpuMemoryGb },
      });
      const small = await stack.createStudy(study("small", 16, 8));
      const large = await stack.createStudy(study("large", 24, 4));
      stack.startWorker({
        id: "shared-gpus",
        env: { PATH: `${fakeNvidiaSmi(2)}:${process.env.PATH ?? ""}` },
        args: ["--gpus", "auto", "--concurrency", "8"],
      });
      await stack.waitForStudyState(small, ["completed"], 90_000);
      await stack.waitForStudyState(large, ["completed"], 90_000);

      const uses: Use[] = [];
      for (const [studyId, memoryGb, count] of [
        [small, 16, 8],
        [large, 24, 4],
      ] as const) {
        const trials = await stack.trials(studyId);
        expect(countByState(trials)).toEqual({ complete: count });
        for (const trial of trials) {
          // Pinned to exactly one GPU (the value CUDA_VISIBLE_DEVICES gets).
          expect(trial.gpu).toMatch(/^[01]$/);
          uses.push({
            gpu: trial.gpu ?? "",
            memoryGb,
            start: trial.startedAt?.getTime() ?? 0,
            end: trial.finishedAt?.getTime() ?? 0,
          });
        }
      }
      const byGpu = peaks(uses);
      for (const [gpu, peak] of byGpu) {
        expect(peak.memoryGb, `GPU ${gpu} held ${peak.memoryGb} GB at once`).toBeLessThanOrEqual(
          GPU_MEMORY_GB,
        );
      }
      // Packing happened: some GPU ran two trials at once (16 + 16 or 16 + 24 GB).
      const most = Math.max(...[...byGpu.values()].map((peak) => peak.trials));
      expect(most).toBeGreaterThanOrEqual(2);
      printFigure("GPU memory sharing: most trials at once on one 40 GB GPU", most, "trials");
    });
  }, 150_000);
});
