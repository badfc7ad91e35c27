import { describe, expect, it } from "vitest";
import {
  DEFAULT_RANDOM_INIT_STDDEV,
  describeInitializerDistribution,
  findWeightInitializer,
  weightInitializerNames,
  weightInitializers,
} from "./weight-initializers.js";

describe("weight initializers as data", () => {
  it("lists the course's four initializations in order, each keyed by its own name", () => {
    expect(weightInitializerNames).toEqual(["zeros", "random", "xavier", "he"]);
    for (const name of weightInitializerNames) expect(weightInitializers[name].name).toBe(name);
  });

  it("zeros has variance 0 and draws nothing", () => {
    expect(weightInitializers.zeros.variance(10, 5)).toBe(0);
    expect(weightInitializers.zeros.fanMode).toBe("none");
    expect(describeInitializerDistribution("zeros", "uniform", 10, 5)).toEqual({ kind: "zeros" });
  });

  it("random uses σ² with σ defaulting to 0.05 and ignores the layer size", () => {
    expect(DEFAULT_RANDOM_INIT_STDDEV).toBe(0.05);
    expect(weightInitializers.random.variance(784, 128)).toBeCloseTo(0.0025, 15);
    expect(weightInitializers.random.variance(3, 1)).toBeCloseTo(0.0025, 15);
    expect(weightInitializers.random.variance(784, 128, { stddev: 0.2 })).toBeCloseTo(0.04, 15);
    expect(describeInitializerDistribution("random", "normal", 4, 4, { stddev: 0.1 })).toEqual({
      kind: "normal",
      mean: 0,
      stddev: 0.1,
    });
  });

  it("xavier/glorot: Var = 2 / (fan_in + fan_out)", () => {
    expect(weightInitializers.xavier.variance(784, 128)).toBeCloseTo(2 / 912, 15);
    expect(weightInitializers.xavier.variance(1, 1)).toBe(1);
    expect(weightInitializers.xavier.fanMode).toBe("fan_avg");
    // Glorot & Bengio eq. 16: U(-√6/√(fan_in+fan_out), +√6/√(fan_in+fan_out)).
    const uniform = describeInitializerDistribution("xavier", "uniform", 300, 100);
    expect(uniform.kind).toBe("uniform");
    if (uniform.kind === "uniform") {
      expect(uniform.high).toBeCloseTo(Math.sqrt(6) / Math.sqrt(400), 14);
      expect(uniform.low).toBeCloseTo(-uniform.high, 15);
    }
    const normal = describeInitializerDistribution("xavier", "normal", 300, 100);
    expect(normal).toEqual({ kind: "normal", mean: 0, stddev: Math.sqrt(2 / 400) });
  });

  it("he: Var = 2 / fan_in, independent of fan_out", () => {
    expect(weightInitializers.he.variance(50, 1)).toBeCloseTo(0.04, 15);
    expect(weightInitializers.he.variance(50, 1000)).toBeCloseTo(0.04, 15);
    expect(weightInitializers.he.fanMode).toBe("fan_in");
    const uniform = describeInitializerDistribution("he", "uniform", 24, 7);
    // He uniform: limit = √(6 / fan_in).
    expect(uniform).toEqual({ kind: "uniform", low: -Math.sqrt(6 / 24), high: Math.sqrt(6 / 24) });
  });

  it("the uniform form has the same variance as the normal form (a²/3 = Var)", () => {
    for (const name of ["random", "xavier", "he"] as const) {
      const dist = describeInitializerDistribution(name, "uniform", 64, 32);
      const variance = weightInitializers[name].variance(64, 32);
      if (dist.kind !== "uniform") throw new Error("expected uniform");
      expect((dist.high * dist.high) / 3).toBeCloseTo(variance, 14);
    }
  });

  it("each entry carries formula text, a reference and its forms", () => {
    expect(weightInitializers.xavier.formula).toBe("Var(W) = 2 / (fan_in + fan_out)");
    expect(weightInitializers.he.formula).toBe("Var(W) = 2 / fan_in");
    expect(weightInitializers.random.formula).toContain("0.05");
    expect(weightInitializers.he.forms).toEqual(["normal", "uniform"]);
    expect(weightInitializers.zeros.forms).toEqual([]);
    for (const name of weightInitializerNames)
      expect(weightInitializers[name].reference.length).toBeGreaterThan(0);
  });

  it("finds initializers by name or alias, case-insensitively", () => {
    expect(findWeightInitializer("glorot")?.name).toBe("xavier");
    expect(findWeightInitializer("Kaiming")?.name).toBe("he");
    expect(findWeightInitializer(" HE ")?.name).toBe("he");
    expect(findWeightInitializer("lecun")).toBeUndefined();
  });

  it("rejects impossible layer sizes and σ with a RangeError instead of returning NaN", () => {
    expect(() => weightInitializers.he.variance(0, 3)).toThrow(RangeError);
    expect(() => weightInitializers.xavier.variance(2.5, 3)).toThrow(RangeError);
    expect(() => weightInitializers.random.variance(2, 3, { stddev: -1 })).toThrow(RangeError);
    expect(() => weightInitializers.random.variance(2, 3, { stddev: Number.NaN })).toThrow(RangeError);
  });
});
