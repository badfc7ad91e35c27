import { describe, expect, it } from "vitest";
import { buildParzenEstimator } from "./parzen-estimator.js";
import { erfc, normalCdf } from "./truncated-normal.js";
import { createRng } from "../../rng/create-rng.js";

describe("truncated normal helpers", () => {
  it("erfc matches reference values to 1.2e-7 relative", () => {
    // Values from Abramowitz & Stegun table 7.1 / high-precision evaluation.
    const cases: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [-1, 1.8427007929497148],
      [3, 2.209049699858544e-5],
    ];
    for (const [x, ref] of cases) expect(Math.abs(erfc(x) - ref) / ref).toBeLessThan(1.2e-7);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

describe("buildParzenEstimator", () => {
  const options = { priorWeight: 1, bandwidth: "scott" as const, minBandwidthFactor: 1 };
  const obs = [
    { u: [0.2, 0.9], c: [0], weight: 1 },
    { u: [0.25, 0.8], c: [0], weight: 1 },
    { u: [0.7, 0.1], c: [2], weight: 1 },
  ];
  const pe = buildParzenEstimator(2, [3], obs, options);

  it("is a probability density on the unit square × choices (integrates to 1)", () => {
    const m = 200;
    let total = 0;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++)
          total += Math.exp(pe.logPdf([(i + 0.5) / m, (j + 0.5) / m], [c])) / (m * m);
      }
    }
    expect(total).toBeCloseTo(1, 3);
  });

  it("samples inside the cube, concentrated near the observations", () => {
    const rng = createRng(1);
    let near = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const s = pe.sample(rng);
      expect(s.u.every((v) => v >= 0 && v <= 1)).toBe(true);
      counts[s.c[0] ?? 0] = (counts[s.c[0] ?? 0] ?? 0) + 1;
      if (Math.abs((s.u[0] ?? 0) - 0.22) < 0.15 && Math.abs((s.u[1] ?? 0) - 0.85) < 0.15) near++;
    }
    // A 0.3 × 0.3 box (9 % of the square) around two of the three kernels holds far more than 9 % of the mass.
    expect(near / 4000).toBeGreaterThan(0.15);
    // Choice 0 was observed twice, choice 1 never: the smoothing keeps it possible but rare.
    expect(counts[0]).toBeGreaterThan(counts[2] ?? 0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[1]).toBeLessThan(counts[2] ?? 0);
  });

  it("has higher density at an observation than far from all of them", () => {
    expect(pe.logPdf([0.22, 0.85], [0])).toBeGreaterThan(pe.logPdf([0.9, 0.5], [1]));
  });
});
