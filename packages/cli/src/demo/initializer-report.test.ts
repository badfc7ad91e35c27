import type { TrialReply } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { initializerReport } from "./initializer-report.js";

const flagged = (flags: string[]) => ({
  snapshots: [],
  flags,
  thresholds: { deadFraction: 0.5, saturatedFraction: 0.25 },
});

function trial(
  number: number,
  initializer: string,
  value: number | null,
  diagnostics: unknown = null,
): TrialReply {
  return {
    id: `00000000-0000-4000-8000-${String(number).padStart(12, "0")}`,
    studyId: "00000000-0000-4000-8000-000000000000",
    number,
    state: value === null ? "failed" : "complete",
    params: { initializer },
    value,
    values: value === null ? [] : [value],
    constraintViolations: [],
    feasible: value === null ? null : true,
    metrics: null,
    origin: "tpe",
    attempt: 1,
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
    diagnostics,
  };
}

describe("initializerReport", () => {
  it("ranks initializers by their best value and lists flagged trials", () => {
    const report = initializerReport(
      [
        trial(0, "zeros", 0.11, flagged(["symmetric-weights", "dead-units"])),
        trial(1, "he", 0.95),
        trial(2, "he", 0.9),
        trial(3, "random", 0.8),
        trial(4, "xavier", null),
        trial(5, "zeros", 0.1, flagged(["symmetric-weights"])),
      ],
      ["zeros", "random", "xavier", "he"],
      "maximize",
    );
    expect(report.ranking).toEqual(["he", "random", "zeros", "xavier"]);
    const he = report.rows.find((row) => row.initializer === "he");
    expect(he).toMatchObject({ trials: 2, complete: 2, best: 0.95, median: 0.925 });
    const zeros = report.rows.find((row) => row.initializer === "zeros");
    expect(zeros?.flagged).toEqual({ "dead-units": 1, saturated: 0, "symmetric-weights": 2 });
    expect(report.flagged.map((entry) => entry.number)).toEqual([0, 5]);
    expect(report.rows.find((row) => row.initializer === "xavier")).toMatchObject({
      trials: 1,
      complete: 0,
      best: null,
    });
  });

  it("ranks the lowest first when minimizing", () => {
    const report = initializerReport([trial(0, "a", 2), trial(1, "b", 1)], ["a", "b"], "minimize");
    expect(report.ranking).toEqual(["b", "a"]);
  });
});
