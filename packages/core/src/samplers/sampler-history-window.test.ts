import { describe, expect, it } from "vitest";
import { validateStudyDefinition } from "../definition/validate-study-definition.js";
import { AUTO_GP_MAX_TRIALS } from "./auto-sampler.js";
import { historyWindowFor } from "./sampler-history-window.js";
import { tpeHistoryWindow } from "./tpe/tpe-history-window.js";

function definition(extra: Record<string, unknown>) {
  const checked = validateStudyDefinition({
    name: "w",
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: 0, high: 1 }],
    sampler: { type: "tpe" },
    budget: { maxTrials: 10, parallelism: 1 },
    ...extra,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
}

const twoObjectives = {
  objective: undefined,
  objectives: [
    { metric: "loss", direction: "minimize" },
    { metric: "cost", direction: "minimize" },
  ],
};

describe("historyWindowFor", () => {
  it("bounds single-objective TPE by TPE's window", () => {
    expect(historyWindowFor(definition({}))).toBe(tpeHistoryWindow);
  });

  it("bounds the GP by its model size (or more, when configured) and the newest 1,000 trials", () => {
    expect(historyWindowFor(definition({ sampler: { type: "gp" } }))).toEqual({ recent: 1_000, best: 250 });
    expect(historyWindowFor(definition({ sampler: { type: "gp", maxTrainingTrials: 600 } }))).toEqual({
      recent: 1_000,
      best: 600,
    });
  });

  it("gives `auto` the window of the sampler it chooses for the study's budget", () => {
    const small = { maxTrials: AUTO_GP_MAX_TRIALS, parallelism: 1 };
    const large = { maxTrials: AUTO_GP_MAX_TRIALS + 1, parallelism: 1 };
    expect(historyWindowFor(definition({ sampler: { type: "auto" }, budget: small }))).toEqual({
      recent: 1_000,
      best: 250,
    });
    expect(historyWindowFor(definition({ sampler: { type: "auto" }, budget: large }))).toBe(tpeHistoryWindow);
  });

  it("reads everything for samplers that need all trials, several objectives and constraints", () => {
    expect(historyWindowFor(definition({ sampler: { type: "random" } }))).toBeNull();
    expect(historyWindowFor(definition({ sampler: { type: "nsga2" } }))).toBeNull();
    expect(historyWindowFor(definition(twoObjectives))).toBeNull();
    expect(historyWindowFor(definition({ ...twoObjectives, sampler: { type: "auto" } }))).toBeNull();
    expect(historyWindowFor(definition({ constraints: [{ metric: "mem", op: "<=", value: 1 }] }))).toBeNull();
  });
});
