import { createSampler, type HistoryTrial } from "@hpo/core";
import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { historyFreeSamplers } from "./propose-trials.js";

const space: Space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "c", type: "categorical", choices: ["a", "b", "c"] },
];
const history: HistoryTrial[] = Array.from({ length: 50 }, (_, number) => ({
  number,
  params: { x: number / 10 - 2.5, c: "b" },
  state: number % 5 === 0 ? "running" : "complete",
  value: number % 7,
  reports: [],
}));

describe("history-free samplers", () => {
  // proposeTrials skips reading the history for these; if one starts reading it, this fails.
  it.each([...historyFreeSamplers])("%s proposes the same points with or without the history", (type) => {
    const sampler = createSampler({ type } as Parameters<typeof createSampler>[0], space);
    const request = {
      space,
      direction: "minimize" as const,
      count: 3,
      seed: 11,
      firstNumber: 50,
      state: null,
    };
    expect(sampler.sample({ ...request, trials: history })).toEqual(
      sampler.sample({ ...request, trials: [] }),
    );
  });
});
