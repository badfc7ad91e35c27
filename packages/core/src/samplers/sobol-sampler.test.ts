import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { sobolCoordinate, sobolInteger, sobolPoint, SOBOL_MAX_DIMENSION } from "./sobol-sequence.js";
import { createSobolSampler } from "./sobol-sampler.js";

describe("Sobol sequence", () => {
  it("matches the known unscrambled first 8 points of dimensions 1–3 (as a set; natural order)", () => {
    const pts = Array.from({ length: 8 }, (_, i) => [0, 1, 2].map((d) => sobolInteger(i, d) / 2 ** 32));
    // The Joe–Kuo sequence in Gray-code order (e.g. scipy.stats.qmc.Sobol(3, scramble=False)).
    const reference = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ];
    const key = (p: number[]): string => p.join(",");
    expect(pts.map(key).sort()).toEqual(reference.map(key).sort());
  });

  it("keeps the (0, m, 1) stratification after scrambling in every dimension", () => {
    for (let d = 0; d < SOBOL_MAX_DIMENSION; d += 7) {
      const cells = new Set<number>();
      for (let i = 0; i < 64; i++) cells.add(Math.floor(sobolCoordinate(i, d, 12345) * 64));
      expect(cells.size).toBe(64);
    }
  });

  it("is a pure function of (index, dimension, seed) and depends on the seed", () => {
    expect(sobolPoint(37, 5, 9)).toEqual(sobolPoint(37, 5, 9));
    expect(sobolPoint(37, 5, 9)).not.toEqual(sobolPoint(37, 5, 10));
  });
});

describe("sobol sampler", () => {
  const space: Space = [
    { name: "a", type: "float", low: 0, high: 1 },
    { name: "b", type: "int", low: 0, high: 7 },
  ];
  it("is addressable by trial number: one request of 8 equals 8 requests of 1", () => {
    const sampler = createSobolSampler({}, space);
    const base = { space, direction: "minimize" as const, trials: [], seed: 3, state: null };
    const batch = sampler.sample({ ...base, count: 8, firstNumber: 0 }).suggestions;
    const single = Array.from(
      { length: 8 },
      (_, n) => sampler.sample({ ...base, count: 1, firstNumber: n }).suggestions[0],
    );
    expect(single).toEqual(batch);
    // 8 consecutive points cover all 8 int values exactly once.
    expect(batch.map((p) => p.b).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("unscrambled mode skips the origin", () => {
    const sampler = createSobolSampler({ scramble: false }, space);
    const r = sampler.sample({
      space,
      direction: "minimize",
      trials: [],
      seed: 0,
      state: null,
      count: 1,
      firstNumber: 0,
    });
    expect(r.suggestions[0]).toEqual({ a: 0.5, b: 4 });
  });
});
