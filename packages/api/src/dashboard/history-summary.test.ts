import { describe, expect, it } from "vitest";
import { bestSoFarSteps } from "./history-summary.js";

describe("bestSoFarSteps", () => {
  const rows = [
    { number: 0, value: 5 },
    { number: 1, value: 6 },
    { number: 2, value: 3 },
    { number: 3, value: 3 },
    { number: 4, value: 8 },
  ];

  it("keeps the trials that beat every earlier one, ties excluded", () => {
    expect(bestSoFarSteps(rows, "minimize")).toEqual([
      { number: 0, value: 5 },
      { number: 2, value: 3 },
    ]);
    expect(bestSoFarSteps(rows, "maximize")).toEqual([
      { number: 0, value: 5 },
      { number: 1, value: 6 },
      { number: 4, value: 8 },
    ]);
  });

  it("continues from a best carried in from earlier rows", () => {
    expect(bestSoFarSteps(rows, "minimize", 4)).toEqual([{ number: 2, value: 3 }]);
  });
});
