import type { StudySummaryReply, TrialReply } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { applyFinishedTrials, applyReport } from "./live-model.js";

function summary(): StudySummaryReply {
  return {
    studyId: "00000000-0000-4000-8000-000000000000",
    objective: { metric: "loss", direction: "minimize" },
    counts: {
      waiting: 0,
      queued: 0,
      running: 1,
      complete: 2,
      pruned: 0,
      failed: 0,
      abandoned: 0,
      cancelled: 0,
      total: 3,
    },
    best: { number: 1, value: 2, params: { x: 1 } },
    maxNumber: 2,
    history: {
      points: { number: [0, 1], state: ["complete", "complete"], value: [4, 2] },
      finished: 2,
      sampled: false,
    },
    bestSoFar: [
      { number: 0, value: 4 },
      { number: 1, value: 2 },
    ],
    params: [],
    distributionTrials: 2,
    sample: { trials: { number: [0, 1], value: [4, 2], params: { x: [0, 1] } }, complete: 2 },
    intermediate: { curves: [] },
    metrics: ["loss"],
    computedMs: 1,
  };
}

function trial(number: number, state: TrialReply["state"], value: number | null): TrialReply {
  return {
    id: `00000000-0000-4000-8000-00000000000${number}`,
    studyId: "00000000-0000-4000-8000-000000000000",
    number,
    state,
    params: { x: number * 10 },
    value,
    values: value === null ? [] : [value],
    constraintViolations: [],
    feasible: state === "complete" ? true : null,
    metrics: null,
    origin: "random",
    attempt: 0,
    retryOf: null,
    workerId: null,
    gpu: null,
    backend: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    diagnostics: null,
    reports: [{ step: 1, value: 9, metrics: null, createdAt: "2026-01-01T00:00:00.000Z" }],
  };
}

describe("applyFinishedTrials", () => {
  it("adds a finished trial once to history, sample, curves and, when it is better, the best-so-far line", () => {
    const once = applyFinishedTrials(summary(), [trial(2, "complete", 1)]);
    const twice = applyFinishedTrials(once, [trial(2, "complete", 1)]);
    for (const next of [once, twice]) {
      expect(next.history.points.number).toEqual([0, 1, 2]);
      expect(next.history.finished).toBe(3);
      expect(next.sample.trials.params["x"]).toEqual([0, 1, 20]);
      expect(next.bestSoFar.at(-1)).toEqual({ number: 2, value: 1 });
      expect(next.best?.number).toBe(2);
      expect(next.intermediate.curves).toEqual([{ number: 2, state: "complete", steps: [1], values: [9] }]);
    }
  });

  it("draws a failed trial without a value and leaves the best alone", () => {
    const next = applyFinishedTrials(summary(), [trial(2, "failed", null)]);
    expect(next.history.points.value).toEqual([4, 2, null]);
    expect(next.bestSoFar).toHaveLength(2);
    expect(next.sample.trials.number).toEqual([0, 1]);
  });

  it("inserts a late better trial into the line and drops the steps it beats", () => {
    const base = summary();
    base.bestSoFar = [
      { number: 0, value: 4 },
      { number: 5, value: 3 },
    ];
    const next = applyFinishedTrials(base, [trial(3, "complete", 2.5)]);
    expect(next.bestSoFar).toEqual([
      { number: 0, value: 4 },
      { number: 3, value: 2.5 },
    ]);
  });
});

describe("applyReport", () => {
  it("extends a curve from the event stream, or starts one for a running trial", () => {
    const started = applyReport(summary(), { number: 2, step: 1, value: 5 });
    const extended = applyReport(started, { number: 2, step: 2, value: 4 });
    expect(extended.intermediate.curves).toEqual([
      { number: 2, state: "running", steps: [1, 2], values: [5, 4] },
    ]);
    expect(applyReport(extended, { number: 2, step: 2, value: 4 })).toBe(extended);
  });
});
