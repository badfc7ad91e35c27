import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { createGpEncoding } from "./gp-encoding.js";
import { relevantSubspaceBox } from "./relevant-subspace-box.js";
import { trustRegionBox } from "./stall-trust-region.js";

const floats = (d: number): Space =>
  Array.from({ length: d }, (_, i) => ({ name: `x${i + 1}`, type: "float" as const, low: 0, high: 1 }));
const side = (box: { lower: Float64Array; upper: Float64Array }, j: number): number =>
  (box.upper[j] ?? 0) - (box.lower[j] ?? 0);

describe("relevantSubspaceBox", () => {
  // Two relevant columns (ℓ 0.1, 0.15) and three irrelevant ones (ℓ 50–100), as the MAP fit ends up on an
  // embedded problem; the center is mid-cube so no side is clipped by the cube.
  const encoding = createGpEncoding(floats(5));
  const scales = Float64Array.from([0.1, 0.15, 50, 80, 100]);
  const center = new Float64Array(5).fill(0.5);

  it("TuRBO's box (length scales capped at 2) keeps every column constrained, the relevant ones at ~12%", () => {
    const box = trustRegionBox(center, 0.8, scales, encoding);
    // Capped, G = (0.1 · 0.15 · 2³)^(1/5) ≈ 0.654: the first side is 0.8 · 0.1 / 0.654 ≈ 0.122.
    expect(side(box, 0)).toBeCloseTo(0.122, 3);
    expect(side(box, 1)).toBeCloseTo(0.183, 3);
  });

  it("releases the irrelevant columns and gives the relevant ones geometric-mean side L", () => {
    const box = relevantSubspaceBox(center, 0.8, scales, encoding);
    for (const j of [2, 3, 4]) expect([box.lower[j], box.upper[j]]).toEqual([0, 1]);
    // Over the two constrained columns G = √(0.1 · 0.15): sides 0.8·√(2/3) and 0.8·√(3/2).
    expect(side(box, 0)).toBeCloseTo(0.8 * Math.sqrt(2 / 3), 10);
    expect(side(box, 1)).toBeCloseTo(0.8 * Math.sqrt(3 / 2), 10);
    expect(side(box, 0) * side(box, 1)).toBeCloseTo(0.64, 10);
  });

  it("releases in rounds: a column freed by a smaller geometric mean is released too", () => {
    // All five: G = (0.1·0.5·50·80·100)^(1/5) ≈ 7.2, so only the last three exceed 1; then G = √0.05 ≈ 0.22
    // puts the second side at 0.8·0.5/0.22 ≈ 1.8: released as well, leaving the first column at side L.
    const box = relevantSubspaceBox(center, 0.8, Float64Array.from([0.1, 0.5, 50, 80, 100]), encoding);
    expect(side(box, 0)).toBeCloseTo(0.8, 10);
    expect([box.lower[1], box.upper[1]]).toEqual([0, 1]);
  });

  it("is TuRBO's box when no column's side reaches the cube's width", () => {
    const all = Float64Array.from([0.3, 0.5, 0.4, 0.6, 0.35]);
    const ours = relevantSubspaceBox(center, 0.4, all, encoding);
    const turbo = trustRegionBox(center, 0.4, all, encoding);
    expect(Array.from(ours.lower)).toEqual(Array.from(turbo.lower));
    expect(Array.from(ours.upper)).toEqual(Array.from(turbo.upper));
  });

  it("keeps categoricals free and stays within an enclosing region", () => {
    const mixed = createGpEncoding([
      ...floats(2),
      { name: "c", type: "categorical", choices: ["a", "b", "c"] },
    ]);
    const c = mixed.columns.isCategorical.indexOf(1);
    const s = new Float64Array(mixed.columns.dims).fill(1);
    s[0] = 0.1;
    s[1] = 30;
    const within = {
      lower: new Float64Array(mixed.columns.dims).fill(0.2),
      upper: new Float64Array(mixed.columns.dims).fill(0.9),
    };
    const box = relevantSubspaceBox(new Float64Array(mixed.columns.dims).fill(0.5), 0.4, s, mixed, within);
    expect([box.lower[1], box.upper[1]]).toEqual([0.2, 0.9]);
    expect([box.lower[c], box.upper[c]]).toEqual([0.2, 0.9]);
    expect(box.lower[0]).toBeCloseTo(0.3, 10);
    expect(box.upper[0]).toBeCloseTo(0.7, 10);
  });
});
