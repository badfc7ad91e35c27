import { describe, expect, it } from "vitest";
import { createRng } from "../rng/create-rng.js";
import { reflectIntoRange } from "./acquisition-optimizer.js";

describe("reflectIntoRange (local candidates' steps mirrored at the region's bounds)", () => {
  it("keeps values inside and mirrors those outside, whatever the number of widths", () => {
    expect(reflectIntoRange(0.3, 0, 1)).toBe(0.3);
    expect(reflectIntoRange(1.2, 0, 1)).toBeCloseTo(0.8, 12);
    expect(reflectIntoRange(-0.3, 0, 1)).toBeCloseTo(0.3, 12);
    expect(reflectIntoRange(2.5, 0, 1)).toBeCloseTo(0.5, 12);
    expect(reflectIntoRange(-1.25, 0, 1)).toBeCloseTo(0.75, 12);
    expect(reflectIntoRange(0.45, 0.2, 0.4)).toBeCloseTo(0.35, 12);
    expect(reflectIntoRange(7, 0.5, 0.5)).toBe(0.5);
  });

  it("does not pile long steps up on the bounds as clipping does", () => {
    // The longest local steps on a weak column: a normal step of sd 1.3 widths from a point at the lower bound.
    const rng = createRng(7, 0, 1);
    let clippedAtBound = 0;
    let reflectedNearBound = 0;
    const draws = 10_000;
    for (let i = 0; i < draws; i++) {
      const v = 1.3 * rng.normal();
      if (v <= 0 || v >= 1) clippedAtBound++;
      const r = reflectIntoRange(v, 0, 1);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(1);
      if (r < 0.01 || r > 0.99) reflectedNearBound++;
    }
    expect(clippedAtBound / draws).toBeGreaterThan(0.5);
    expect(reflectedNearBound / draws).toBeLessThan(0.05);
  });
});
