import { describe, expect, it } from "vitest";
import { createRng } from "../rng/create-rng.js";
import { choleskyWithJitter, extendCholesky, inverseFromCholesky } from "./linalg.js";
import { buildKernelMatrix, type KernelColumns } from "./kernel.js";
import { hyperFromTheta, logMarginalLikelihood } from "./marginal-likelihood.js";
import { negativeLogPosterior, defaultHyperPrior, fitHyperparameters } from "./hyperparameter-fit.js";
import { appendObservation, conditionGp, predict, predictWithGradient } from "./gp-model.js";
import { logExpectedImprovement, logExpectedImprovementWithGradient } from "./log-expected-improvement.js";
import { minimizeLbfgs } from "./lbfgs.js";

// Mixed columns: 3 continuous + 1 categorical (4 choices) + 1 continuous.
const columns: KernelColumns = { dims: 5, isCategorical: Uint8Array.from([0, 0, 0, 1, 0]) };

function randomData(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n * columns.dims);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < columns.dims; j++) x[i * columns.dims + j] = j === 3 ? rng.nextInt(4) : rng.next();
    const o = i * columns.dims;
    y[i] = Math.sin(6 * (x[o] ?? 0)) + (x[o + 1] ?? 0) ** 2 - (x[o + 3] === 2 ? 1 : 0) + 0.01 * rng.normal();
  }
  return { x, y };
}

/** Gaussian elimination with partial pivoting: the brute-force reference for K⁻¹b. */
function bruteSolve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const m = Array.from({ length: n }, (_, i) => [...Array.from(a.subarray(i * n, i * n + n)), b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    const tmp = m[c] ?? [];
    m[c] = m[p] ?? [];
    m[p] = tmp;
    for (let r = c + 1; r < n; r++) {
      const f = (m[r]?.[c] ?? 0) / (m[c]?.[c] ?? 1);
      for (let k = c; k <= n; k++) (m[r] ?? [])[k] = (m[r]?.[k] ?? 0) - f * (m[c]?.[k] ?? 0);
    }
  }
  const out = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]?.[n] ?? 0;
    for (let k = r + 1; k < n; k++) s -= (m[r]?.[k] ?? 0) * (out[k] ?? 0);
    out[r] = s / (m[r]?.[r] ?? 1);
  }
  return out;
}

const theta = Float64Array.from([-1.2, -0.4, 0.3, -0.2, 0.1, 0.2, -5]);

describe("log marginal likelihood", () => {
  it("has analytic gradients matching central finite differences (length scales, signal, noise)", () => {
    const { x, y } = randomData(25, 1);
    const grad = new Float64Array(theta.length);
    logMarginalLikelihood(x, y, 25, columns, theta, grad);
    const scratch = new Float64Array(theta.length);
    for (let p = 0; p < theta.length; p++) {
      const h = 1e-5;
      const plus = new Float64Array(theta);
      const minus = new Float64Array(theta);
      plus[p] = (plus[p] ?? 0) + h;
      minus[p] = (minus[p] ?? 0) - h;
      const fd =
        (logMarginalLikelihood(x, y, 25, columns, plus, scratch) -
          logMarginalLikelihood(x, y, 25, columns, minus, scratch)) /
        (2 * h);
      expect(Math.abs((grad[p] ?? 0) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  it("equals the Gaussian log density computed by brute force", () => {
    const { x, y } = randomData(12, 2);
    const k = buildKernelMatrix(x, 12, columns, hyperFromTheta(theta, 5));
    const alpha = bruteSolve(k, 12, y);
    const { factor } = choleskyWithJitter(k, 12);
    let logDet = 0;
    for (let i = 0; i < 12; i++) logDet += 2 * Math.log(factor[i * 12 + i] ?? 1);
    let fit = 0;
    for (let i = 0; i < 12; i++) fit += (y[i] ?? 0) * (alpha[i] ?? 0);
    const expected = -0.5 * fit - 0.5 * logDet - 6 * Math.log(2 * Math.PI);
    expect(logMarginalLikelihood(x, y, 12, columns, theta, new Float64Array(7))).toBeCloseTo(expected, 9);
  });

  it("the MAP objective gradient (with priors) matches finite differences, and fitting improves it", () => {
    const { x, y } = randomData(30, 3);
    const prior = defaultHyperPrior(5);
    const grad = new Float64Array(7);
    const f0 = negativeLogPosterior(x, y, 30, columns, prior, theta, grad);
    for (let p = 0; p < 7; p++) {
      const h = 1e-5;
      const plus = new Float64Array(theta);
      plus[p] = (plus[p] ?? 0) + h;
      const minus = new Float64Array(theta);
      minus[p] = (minus[p] ?? 0) - h;
      const s = new Float64Array(7);
      const fd =
        (negativeLogPosterior(x, y, 30, columns, prior, plus, s) -
          negativeLogPosterior(x, y, 30, columns, prior, minus, s)) /
        (2 * h);
      expect(Math.abs((grad[p] ?? 0) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
    const fit = fitHyperparameters(x, y, 30, columns, prior);
    expect(fit.negLogPosterior).toBeLessThan(f0);
  });
});

describe("GP posterior", () => {
  const { x, y } = randomData(20, 4);
  const hyper = hyperFromTheta(theta, 5);
  const model = conditionGp(x, y, 20, columns, hyper);
  const query = Float64Array.from([0.3, 0.7, 0.1, 2, 0.55]);

  it("matches mean k*ᵀK⁻¹y and variance k** − k*ᵀK⁻¹k* from a brute-force solve", () => {
    const k = buildKernelMatrix(x, 20, columns, hyper);
    const both = new Float64Array(21 * 5);
    both.set(x);
    both.set(query, 20 * 5);
    const kFull = buildKernelMatrix(both, 21, columns, hyper);
    const kStar = Float64Array.from({ length: 20 }, (_, i) => kFull[20 * 21 + i] ?? 0);
    const alpha = bruteSolve(k, 20, y);
    const w = bruteSolve(k, 20, kStar);
    let mean = 0;
    let reduce = 0;
    for (let i = 0; i < 20; i++) {
      mean += (kStar[i] ?? 0) * (alpha[i] ?? 0);
      reduce += (kStar[i] ?? 0) * (w[i] ?? 0);
    }
    const p = predict(model, query, 0);
    expect(p.mean).toBeCloseTo(mean, 9);
    expect(p.variance).toBeCloseTo(hyper.signalVariance - reduce, 9);
    // Inverse from the Cholesky factor agrees with the brute-force solve as well.
    const inv = inverseFromCholesky(model.chol, 20);
    let viaInverse = 0;
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) viaInverse += (kStar[i] ?? 0) * (inv[i * 20 + j] ?? 0) * (y[j] ?? 0);
    expect(viaInverse).toBeCloseTo(mean, 9);
  });

  it("gradients of mean, variance and log EI w.r.t. continuous inputs match finite differences", () => {
    const g = predictWithGradient(model, query, 0);
    const best = -1.3;
    const eiGrad = new Float64Array(5);
    logExpectedImprovementWithGradient(model, query, best, eiGrad);
    for (const j of [0, 1, 2, 4]) {
      const h = 1e-6;
      const plus = new Float64Array(query);
      plus[j] = (plus[j] ?? 0) + h;
      const minus = new Float64Array(query);
      minus[j] = (minus[j] ?? 0) - h;
      const pp = predict(model, plus, 0);
      const pm = predict(model, minus, 0);
      expect(g.meanGrad[j]).toBeCloseTo((pp.mean - pm.mean) / (2 * h), 5);
      expect(g.varianceGrad[j]).toBeCloseTo((pp.variance - pm.variance) / (2 * h), 5);
      const fd =
        (logExpectedImprovement(model, plus, 0, best) - logExpectedImprovement(model, minus, 0, best)) /
        (2 * h);
      expect(Math.abs((eiGrad[j] ?? 0) - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    }
  });

  it("appending an observation by rank-one Cholesky extension equals conditioning from scratch", () => {
    const copy = conditionGp(x, y, 20, columns, hyper);
    appendObservation(copy, query, 0.42);
    const both = new Float64Array(21 * 5);
    both.set(x);
    both.set(query, 20 * 5);
    const y2 = Float64Array.from([...y, 0.42]);
    const fresh = conditionGp(both, y2, 21, columns, hyper);
    const probe = Float64Array.from([0.31, 0.69, 0.12, 2, 0.5]);
    expect(predict(copy, probe, 0).mean).toBeCloseTo(predict(fresh, probe, 0).mean, 10);
    expect(predict(copy, probe, 0).variance).toBeCloseTo(predict(fresh, probe, 0).variance, 10);
  });

  it("extendCholesky reproduces the full factor", () => {
    const k = buildKernelMatrix(x, 20, columns, hyper);
    const small = choleskyWithJitter(
      Float64Array.from({ length: 19 * 19 }, (_, i) => k[Math.floor(i / 19) * 20 + (i % 19)] ?? 0),
      19,
    ).factor;
    const cross = Float64Array.from({ length: 19 }, (_, i) => k[19 * 20 + i] ?? 0);
    const ext = extendCholesky(small, 19, cross, k[19 * 20 + 19] ?? 0);
    const full = choleskyWithJitter(k, 20).factor;
    for (let i = 0; i < 400; i++) expect(ext[i]).toBeCloseTo(full[i] ?? 0, 12);
  });

  it("Cholesky escalates jitter on a singular matrix instead of failing", () => {
    const k = Float64Array.from([1, 1, 1, 1]);
    const r = choleskyWithJitter(k, 2);
    expect(r.jitter).toBeGreaterThan(0);
  });
});

describe("L-BFGS", () => {
  it("minimizes the Rosenbrock function and respects bounds", () => {
    const f = (x: Float64Array, g: Float64Array): number => {
      const a = x[0] ?? 0;
      const b = x[1] ?? 0;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const free = minimizeLbfgs(f, Float64Array.from([-1.2, 1]), {
      maxIterations: 200,
      gradientTolerance: 1e-9,
    });
    expect(free.x[0]).toBeCloseTo(1, 5);
    expect(free.x[1]).toBeCloseTo(1, 5);
    const boxed = minimizeLbfgs(f, Float64Array.from([-1.2, 0.2]), {
      upper: Float64Array.from([0.5, 0.5]),
      lower: Float64Array.from([-2, -2]),
      maxIterations: 200,
    });
    expect(boxed.x[0]).toBeLessThanOrEqual(0.5);
    expect(boxed.x[1]).toBeLessThanOrEqual(0.5);
    expect(boxed.value).toBeLessThan(0.3);
  });
});
