import type { StudyReply } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import {
  applyStudyEvent,
  bestSoFar,
  createWatchModel,
  etaSeconds,
  setStudy,
  watchExitCode,
} from "./watch-model.js";

const at = "2026-01-01T00:00:00.000Z";

function study(
  overrides: Partial<StudyReply> = {},
  direction: "minimize" | "maximize" = "minimize",
): StudyReply {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    name: "s",
    state: "running",
    stateReason: null,
    definition: {
      name: "s",
      objective: { metric: "loss", direction },
      objectives: [{ metric: "loss", direction }],
      constraints: [],
      space: [{ name: "x", type: "float", low: 0, high: 1, log: false }],
      sampler: { type: "random" },
      pruner: { type: "none" },
      budget: { maxTrials: 10, parallelism: 2, maxRetries: 2 },
      trainer: { type: "external" },
      seed: 0,
    },
    counts: {
      waiting: 0,
      queued: 0,
      running: 0,
      complete: 0,
      pruned: 0,
      failed: 0,
      abandoned: 0,
      cancelled: 0,
      total: 0,
    },
    best: null,
    bestTrials: [],
    bestNote: null,
    progress: { finished: 0, maxTrials: 10, fraction: 0 },
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    ...overrides,
  };
}

const told = (number: number, value: number, state: "complete" | "pruned" | "failed" = "complete") =>
  ({ type: "trial.updated", studyId: "s", trialId: `t${number}`, at, state, number, value }) as const;

describe("the watch model", () => {
  it("tracks running trials and their latest step from events, and drops them when told", () => {
    const model = createWatchModel(study());
    applyStudyEvent(model, { type: "trial.updated", studyId: "s", trialId: "t1", at, state: "running" });
    applyStudyEvent(model, {
      type: "trial.reported",
      studyId: "s",
      trialId: "t1",
      at,
      number: 1,
      step: 3,
      value: 0.5,
      prune: false,
    });
    expect(model.running.get("t1")).toMatchObject({ number: 1, step: 3, value: 0.5 });
    expect(applyStudyEvent(model, told(1, 0.4))).toBe(true);
    expect(model.running.size).toBe(0);
    expect(model.finished.get(1)).toEqual({ number: 1, state: "complete", value: 0.4 });
  });

  it("draws the best value so far in trial-number order, in the study's direction, complete trials only", () => {
    const minimize = createWatchModel(study());
    for (const event of [told(2, 3), told(0, 5), told(1, 4), told(3, 1, "pruned"), told(4, 3.5)])
      applyStudyEvent(minimize, event);
    expect(bestSoFar(minimize)).toEqual([5, 4, 3, 3]);
    const maximize = createWatchModel(study({}, "maximize"));
    for (const event of [told(0, 5), told(1, 4), told(2, 6)]) applyStudyEvent(maximize, event);
    expect(bestSoFar(maximize)).toEqual([5, 5, 6]);
  });

  it("estimates the time left from the pace so far", () => {
    const model = createWatchModel(study({ progress: { finished: 4, maxTrials: 10, fraction: 0.4 } }));
    expect(etaSeconds(model, Date.parse(at) + 40_000)).toBe(60);
    expect(etaSeconds(createWatchModel(study()), Date.parse(at) + 40_000)).toBeNull();
  });

  it("exits 0 only when the study completed with a complete trial; 8 when stopped, deleted or all failed", () => {
    const completed = createWatchModel(study());
    setStudy(completed, study({ state: "completed", counts: { ...study().counts, complete: 3, total: 3 } }));
    expect(watchExitCode(completed)).toBe(0);
    const allFailed = createWatchModel(
      study({ state: "completed", counts: { ...study().counts, failed: 3, total: 3 } }),
    );
    expect(watchExitCode(allFailed)).toBe(8);
    const stopped = createWatchModel(study({ state: "stopped" }));
    expect(stopped.ended).toBe("stopped");
    expect(watchExitCode(stopped)).toBe(8);
    const deleted = createWatchModel(study());
    applyStudyEvent(deleted, { type: "study.updated", studyId: "s", at, state: "deleted" });
    expect(watchExitCode(deleted)).toBe(8);
  });
});
