import { describe, expect, it } from "vitest";
import { parseChildMessage, parseParentMessage } from "./trial-child-messages.js";

const job = {
  trialId: "t",
  studyId: "s",
  number: 0,
  params: { x: 1, opt: "adam", flag: true },
  seed: 7,
  objectiveMetric: "loss",
  gpuIds: ["0"],
  backend: "auto",
  trainer: { type: "synthetic", problem: "branin" },
};

describe("worker ↔ trial child messages", () => {
  it("parses a start message and applies the trainer spec's defaults", () => {
    const message = parseParentMessage({ type: "start", job });
    expect(message?.type).toBe("start");
    if (message?.type !== "start") return;
    expect(message.job.trainer).toEqual({ type: "synthetic", problem: "branin", steps: 5, stepDelayMs: 0 });
  });

  it("refuses parent messages of the wrong shape", () => {
    expect(parseParentMessage({ type: "start", job: { ...job, backend: "tpu" } })).toBeNull();
    expect(parseParentMessage({ type: "report-answer", id: 1, prune: "no", stop: false })).toBeNull();
    expect(parseParentMessage({ type: "abort" })).toBeNull();
    expect(parseParentMessage("start")).toBeNull();
  });

  it("parses child messages; a diverged metric (NaN sent as null) is dropped, not the message", () => {
    expect(parseChildMessage({ type: "report", id: 0, step: 1, metrics: { loss: 0.5, acc: null } })).toEqual({
      type: "report",
      id: 0,
      step: 1,
      metrics: { loss: 0.5 },
    });
    expect(
      parseChildMessage({
        type: "result",
        outcome: { state: "complete", metrics: { loss: 1 }, value: 1, backend: "wasm" },
      }),
    ).toEqual({
      type: "result",
      outcome: { state: "complete", metrics: { loss: 1 }, value: 1, backend: "wasm" },
    });
  });

  it("refuses child messages of the wrong shape", () => {
    expect(parseChildMessage({ type: "report", id: 0, step: -1, metrics: {} })).toBeNull();
    expect(
      parseChildMessage({ type: "result", outcome: { state: "running", metrics: {}, backend: "x" } }),
    ).toBeNull();
    expect(parseChildMessage({ type: "log" })).toBeNull();
    expect(parseChildMessage({ type: "error", message: 3 })).toBeNull();
    expect(parseChildMessage(null)).toBeNull();
  });
});
