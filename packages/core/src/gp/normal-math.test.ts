import { describe, expect, it } from "vitest";
import { erfcx, logH, logHDerivative, logNormalCdf } from "./normal-math.js";

// References computed with mpmath at 50 digits: log(npdf(z) + z*ncdf(z)), exp(x²)·erfc(x), log(ncdf(z)).
const LOG_H_REFERENCE: [number, number][] = [
  [-1e9, -500000000000000000],
  [-40, -808.29856835662],
  [-25, -319.86146358149597],
  [-10, -55.55312203612235],
  [-5, -16.74430116266099],
  [-3, -7.869686059603029],
  [-1.5, -3.52993592080571],
  [-1, -2.4851210257126413],
  [-0.5, -1.6205162643873199],
  [0, -0.9189385332046728],
  [1, 0.08002621884930694],
  [3, 1.0987396653277077],
  [10, 2.302585092994046],
];

const ERFCX_REFERENCE: [number, number][] = [
  [-2, 108.94090438997797],
  [0, 1],
  [0.5, 0.6156903441929259],
  [1.9, 0.26650937366167265],
  [2.1, 0.24511912334517233],
  [3, 0.17900115118138996],
  [5, 0.11070463773306863],
  [10, 0.05614099274382259],
  [100, 0.005641613782989433],
];

describe("log h(z) for log expected improvement", () => {
  it.each(LOG_H_REFERENCE)("matches a 50-digit reference at z = %d", (z, reference) => {
    const value = logH(z);
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(value - reference) / Math.max(1, Math.abs(reference))).toBeLessThan(1e-13);
  });

  it("is finite and strictly increasing down to the far tail (plain EI underflows to 0 below z ≈ −38)", () => {
    let previous = -Infinity;
    for (let z = -60; z <= 5; z += 0.25) {
      const v = logH(z);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
  });

  it("has derivative Φ(z)/h(z), checked by central differences", () => {
    for (const z of [-30, -8, -2, -1, -0.3, 0.7, 4]) {
      const e = 1e-5 * Math.max(1, Math.abs(z));
      const fd = (logH(z + e) - logH(z - e)) / (2 * e);
      expect(Math.abs(logHDerivative(z) - fd) / Math.abs(fd)).toBeLessThan(1e-6);
    }
  });
});

describe("erfcx and log Φ", () => {
  it.each(ERFCX_REFERENCE)("erfcx(%d) to 1e-13 relative", (x, reference) => {
    expect(Math.abs(erfcx(x) / reference - 1)).toBeLessThan(1e-13);
  });

  it("log Φ matches references in the tail", () => {
    const refs: [number, number][] = [
      [-40, -804.6084420137538],
      [-10, -53.23128515051247],
      [-3, -6.607726221510349],
      [0, -0.6931471805599453],
      [2, -0.02301290932896349],
    ];
    for (const [z, ref] of refs) expect(Math.abs(logNormalCdf(z) - ref) / Math.abs(ref)).toBeLessThan(1e-13);
  });
});
