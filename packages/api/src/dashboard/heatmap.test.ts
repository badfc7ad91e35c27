import { describe, expect, it } from "vitest";
import { binHeatmap } from "./heatmap.js";

describe("binHeatmap", () => {
  it("keeps per cell the best (by direction), the mean and the count, and skips inactive params", () => {
    const rows = [
      { params: { x: 0.1, opt: "a" }, value: 4 },
      { params: { x: 0.2, opt: "a" }, value: 2 },
      { params: { x: 0.9, opt: "b" }, value: 7 },
      { params: { opt: "b" }, value: 1 },
    ];
    const x = { name: "x", type: "float", low: 0, high: 1 } as const;
    const opt = { name: "opt", type: "categorical", choices: ["a", "b"] } as const;
    const minimized = binHeatmap(x, { ...opt, choices: [...opt.choices] }, rows, "minimize", 2);
    expect(minimized.cells).toEqual([
      { x: 0, y: 0, count: 2, best: 2, mean: 3 },
      { x: 1, y: 1, count: 1, best: 7, mean: 7 },
    ]);
    const maximized = binHeatmap(x, { ...opt, choices: [...opt.choices] }, rows, "maximize", 2);
    expect(maximized.cells[0]?.best).toBe(4);
  });
});
