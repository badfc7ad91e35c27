import { describe, expect, it } from "vitest";
import { bestLimit, pickPlotSample, type SampleRow } from "./param-sample.js";

const row = (number: number, value: number): SampleRow => ({
  number,
  value,
  params: {},
  metrics: null,
  spread: true,
});

describe("pickPlotSample", () => {
  it("keeps everything under the limit", () => {
    const rows = [row(0, 3), row(1, 1)];
    expect(pickPlotSample(rows, "minimize", 10)).toEqual(rows);
  });

  it("keeps the best trials and an even spread of the rest, in number order", () => {
    const rows = Array.from({ length: 2_000 }, (_, number) => row(number, (number * 7919) % 2003));
    const picked = pickPlotSample(rows, "minimize", 500);
    expect(picked).toHaveLength(500);
    const best = [...rows].sort((a, b) => a.value - b.value).slice(0, bestLimit);
    for (const trial of best) expect(picked).toContain(trial);
    const numbers = picked.map((trial) => trial.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(Math.max(...numbers)).toBeGreaterThan(1_900);
  });
});
