import { describe, expect, it } from "vitest";
import { validateStudyDefinition } from "../../definition/validate-study-definition.js";
import { countGood } from "./rank-observations.js";
import { tpeHistoryWindow, tpeWindowFor } from "./tpe-history-window.js";

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

describe("tpeWindowFor", () => {
  it("bounds single-objective TPE, and reads everything for other samplers and several objectives", () => {
    expect(tpeWindowFor(definition({}))).toBe(tpeHistoryWindow);
    expect(tpeWindowFor(definition({ sampler: { type: "random" } }))).toBeNull();
    expect(
      tpeWindowFor(
        definition({
          objective: undefined,
          objectives: [
            { metric: "loss", direction: "minimize" },
            { metric: "cost", direction: "minimize" },
          ],
        }),
      ),
    ).toBeNull();
  });

  it("holds the whole good group: its best trials are at least the good group's cap", () => {
    const n = tpeHistoryWindow.recent + tpeHistoryWindow.best;
    expect(countGood(n, 0.1, n)).toBeLessThanOrEqual(tpeHistoryWindow.best);
    expect(countGood(1_000_000, 0.5, 1_000_000)).toBeLessThanOrEqual(tpeHistoryWindow.best);
  });
});
