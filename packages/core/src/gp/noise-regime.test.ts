import { describe, expect, it } from "vitest";
import { createRng } from "../rng/create-rng.js";
import type { KernelColumns } from "./kernel.js";
import { hyperFromTheta } from "./marginal-likelihood.js";
import { conditionGp, predict } from "./gp-model.js";
import { defaultHyperPrior, fitHyperparameters } from "./hyperparameter-fit.js";
import { chooseNoiseRegime, leaveOneOutLogPredictive } from "./noise-regime.js";

const twoD: KernelColumns = { dims: 2, isCategorical: Uint8Array.from([0, 0]) };

/** n points of a smooth 2-D function on the unit square, plus N(0, noiseSd²); standardized. */
function data(n: number, noiseSd: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n * 2);
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const b = rng.next();
    x[2 * i] = a;
    x[2 * i + 1] = b;
    raw.push(Math.sin(5 * a) + (b - 0.3) ** 2 * 3 + noiseSd * rng.normal());
  }
  const mean = raw.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  return { x, y: Float64Array.from(raw, (v) => (v - mean) / sd) };
}

describe("leaveOneOutLogPredictive", () => {
  it("equals refitting without each point and scoring it (noisy predictive density)", () => {
    const n = 12;
    const { x, y } = data(n, 0.1, 3);
    const theta = Float64Array.from([-1.1, -0.6, 0.2, -4]);
    const hyper = hyperFromTheta(theta, 2);
    let brute = 0;
    for (let i = 0; i < n; i++) {
      const keep = [...Array(n).keys()].filter((r) => r !== i);
      const xs = new Float64Array(keep.flatMap((r) => [x[2 * r] ?? 0, x[2 * r + 1] ?? 0]));
      const ys = Float64Array.from(keep, (r) => y[r] ?? 0);
      const p = predict(conditionGp(xs, ys, n - 1, twoD, hyper), x.slice(2 * i, 2 * i + 2), 0);
      const variance = p.variance + hyper.noiseVariance;
      const r = (y[i] ?? 0) - p.mean;
      brute += -0.5 * Math.log(2 * Math.PI * variance) - (r * r) / (2 * variance);
    }
    expect(leaveOneOutLogPredictive(x, y, n, twoD, theta)).toBeCloseTo(brute, 8);
  });
});

describe("chooseNoiseRegime", () => {
  const prior = defaultHyperPrior(2);

  it("leaves a fit whose noise the prior explains unchecked (the same θ back)", () => {
    const { x, y } = data(30, 0, 1);
    const theta = Float64Array.from([-1, -1, 0, prior.noiseMean + 0.4 * prior.noiseSd]);
    const choice = chooseNoiseRegime(x, y, 30, twoD, prior, theta, 25);
    expect(choice).toEqual({ theta, lowNoise: false, checked: false });
  });

  it.each([1, 2, 3])(
    "replaces a noisy-looking fit of a deterministic function by a low-noise one (seed %i)",
    (seed) => {
      const { x, y } = data(30, 0, seed);
      const fitted = fitHyperparameters(x, y, 30, twoD, prior).theta;
      const misfit = Float64Array.from(fitted);
      misfit[3] = -2; // 13% of the variance called noise
      const choice = chooseNoiseRegime(x, y, 30, twoD, prior, misfit, 25);
      expect(choice.checked).toBe(true);
      expect(choice.lowNoise).toBe(true);
      expect(choice.theta[3]).toBeLessThan(-6);
    },
  );

  it.each([1, 2, 3])("keeps the noise of a fit to really noisy data (seed %i)", (seed) => {
    const { x, y } = data(30, 0.2, seed); // noise ≈ 20% of the function's spread
    const fitted = fitHyperparameters(x, y, 30, twoD, prior).theta;
    expect(fitted[3]).toBeGreaterThan(prior.noiseMean + prior.noiseSd);
    const choice = chooseNoiseRegime(x, y, 30, twoD, prior, fitted, 25);
    expect(choice.checked).toBe(true);
    expect(choice.lowNoise).toBe(false);
    expect(choice.theta).toBe(fitted);
  });
});
