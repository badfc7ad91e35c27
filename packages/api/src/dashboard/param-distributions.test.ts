import { describe, expect, it } from "vitest";
import { binEdges, binOf, boxStatsOf, quantile, summarizeParams } from "./param-distributions.js";

describe("quantile and box stats", () => {
  it("interpolates linearly between order statistics, like percentile_cont", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it("summarizes values whatever their order, and nothing as null", () => {
    expect(boxStatsOf([5, 1, 3, 2, 4])).toEqual({
      count: 5,
      p05: 1.2,
      q1: 2,
      median: 3,
      q3: 4,
      p95: 4.8,
      mean: 3,
    });
    expect(boxStatsOf([])).toBeNull();
  });
});

describe("bins", () => {
  it("splits a log range evenly in log space and keeps the top edge in the last bin", () => {
    const spec = { low: 0.001, high: 1, log: true };
    expect(binEdges(spec, 3).map((edge) => Number(edge.toPrecision(6)))).toEqual([0.001, 0.01, 0.1, 1]);
    expect(binOf(spec, 0.005, 3)).toBe(0);
    expect(binOf(spec, 0.05, 3)).toBe(1);
    expect(binOf(spec, 1, 3)).toBe(2);
    expect(binOf(spec, 2, 3)).toBeNull();
  });
});

describe("summarizeParams", () => {
  it("counts numeric params into a histogram and gives each choice its objective spread", () => {
    const rows = [
      { params: { x: 0.1, opt: "adam" }, value: 1 },
      { params: { x: 0.9, opt: "adam" }, value: 3 },
      { params: { x: 0.5, opt: "sgd" }, value: 10 },
      { params: { opt: "sgd" }, value: 12 },
    ];
    const [x, opt] = summarizeParams(
      [
        { name: "x", type: "float", low: 0, high: 1 },
        { name: "opt", type: "categorical", choices: ["adam", "sgd", "rmsprop"] },
      ],
      rows,
    );
    if (x?.type !== "float" || opt?.type !== "categorical") throw new Error("shapes");
    expect(x.histogram.reduce((total, count) => total + count, 0)).toBe(3);
    expect(opt.choices.map((choice) => [choice.choice, choice.count, choice.box?.median ?? null])).toEqual([
      ["adam", 2, 2],
      ["sgd", 2, 11],
      ["rmsprop", 0, null],
    ]);
  });
});
