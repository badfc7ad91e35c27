import { describe, expect, it } from "vitest";
import { conditionGp } from "./gp-model.js";
import type { KernelColumns } from "./kernel.js";
import { posteriorIncumbent } from "./posterior-incumbent.js";

const columns: KernelColumns = { dims: 1, isCategorical: Uint8Array.from([0]) };
// A plateau of repeated values near 0.2 (true level 0) and one lucky low draw at 0.8 among neighbours at ~1.
const x = Float64Array.from([0.18, 0.2, 0.22, 0.19, 0.21, 0.78, 0.8, 0.82]);
const y = Float64Array.from([0.05, -0.05, 0.02, -0.02, 0.0, 1.0, -0.3, 1.05]);
const model = (noiseVariance: number) =>
  conditionGp(x, y, x.length, columns, {
    lengthScales: Float64Array.from([0.1]),
    signalVariance: 1,
    noiseVariance,
  });

describe("posteriorIncumbent", () => {
  it("on a noisy model, picks the row with the lowest posterior mean, not the luckiest observation", () => {
    const inc = posteriorIncumbent(model(0.3), x.length);
    expect(inc).toBeDefined();
    // The lucky draw (row 6, observed −0.3) is shrunk towards its neighbours (~1): the plateau wins.
    expect(inc?.row).toBeLessThan(5);
    expect(inc?.mean ?? Infinity).toBeGreaterThan(-0.3);
  });

  it("on a (nearly) noise-free model, is the lowest observation", () => {
    const inc = posteriorIncumbent(model(1e-8), x.length);
    expect(inc?.row).toBe(6);
    expect(inc?.mean ?? 0).toBeCloseTo(-0.3, 4);
  });

  it("honours the eligibility filter and returns undefined when nothing is eligible", () => {
    expect(posteriorIncumbent(model(1e-8), x.length, (r) => r !== 6)?.row).toBe(1);
    expect(posteriorIncumbent(model(1e-8), x.length, () => false)).toBeUndefined();
  });
});
