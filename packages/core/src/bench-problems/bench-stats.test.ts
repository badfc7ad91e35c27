import { describe, expect, it } from "vitest";
import { formatP, signTestP } from "../../bench/bench-stats.js";

describe("signTestP (two-sided exact sign test)", () => {
  it("matches the binomial tails computed by hand", () => {
    // 8 wins of 8: 2 · 2^-8.
    expect(signTestP(8, 0)).toBeCloseTo(2 / 256, 12);
    // 1 of 8: 2 · (1 + 8) / 256.
    expect(signTestP(1, 7)).toBeCloseTo(18 / 256, 12);
    // 13 / 7 of 20: 2 · Σ_{i≤7} C(20, i) / 2^20 = 0.2632…
    expect(signTestP(13, 7)).toBeCloseTo(0.26317596, 6);
  });

  it("is 1 for an even split or no untied pair, and symmetric", () => {
    expect(signTestP(5, 5)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(3, 12)).toBe(signTestP(12, 3));
  });

  it("formats small p-values as a bound", () => {
    expect(formatP(signTestP(20, 0))).toBe("<0.001");
    expect(formatP(0.26317596)).toBe("0.26");
  });
});
