import type { GpEncoding } from "./gp-encoding.js";
import { conditionGp, predict, predictWithGradient, type GpModel, type PredictScratch } from "./gp-model.js";
import { defaultHyperPrior, fitHyperparameters } from "./hyperparameter-fit.js";
import { hyperFromTheta } from "./marginal-likelihood.js";
import { logNormalCdf } from "./normal-math.js";

/**
 * Probability of feasibility for constrained Bayesian optimization (Gardner et al. 2014, "Bayesian
 * optimization with inequality constraints"; Gelbart, Snoek & Adams 2014): one independent GP per
 * constraint on its violation c_k(x) (Optuna's convention, feasible when c_k <= 0), and
 *   log PoF(x) = Σ_k log Φ((t_k − μ_k(x)) / σ_k(x)),
 * t_k being the threshold 0 in the model's standardized units. The acquisition adds log PoF to log EI
 * (a product in probability space), and while no trial is feasible it maximizes log PoF alone.
 * Violations are clipped above at a multiple of their spread (a missing metric is reported as a huge
 * violation, which would otherwise flatten the model everywhere else).
 */
export interface FeasibilityModel {
  models: { model: GpModel; threshold: number }[];
}

const MAX_FIT_ROWS = 80;

export function fitFeasibilityModel(
  rows: readonly Float64Array[],
  violations: readonly (readonly number[])[],
  constraintCount: number,
  encoding: GpEncoding,
): FeasibilityModel | undefined {
  const n = rows.length;
  if (n < 2 || constraintCount <= 0) return undefined;
  const dims = encoding.columns.dims;
  const x = new Float64Array(n * dims);
  rows.forEach((r, i) => x.set(r, i * dims));
  const models: FeasibilityModel["models"] = [];
  for (let k = 0; k < constraintCount; k++) {
    const raw = violations.map((v) => v[k] ?? 0).map((v) => (Number.isFinite(v) ? v : 1e12));
    const sorted = [...raw].sort((a, b) => a - b);
    const median = sorted[Math.floor(n / 2)] ?? 0;
    const q1 = sorted[Math.floor(n / 4)] ?? 0;
    const q3 = sorted[Math.floor((3 * n) / 4)] ?? 0;
    const cap = median + 10 * Math.max(q3 - q1, 1e-9);
    const clipped = raw.map((v) => Math.min(v, cap));
    const mean = clipped.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(clipped.reduce((s, v) => s + (v - mean) * (v - mean), 0) / n);
    if (!(sd > 0)) {
      // A constant violation: feasible everywhere or nowhere as far as the data tell; no model.
      if (mean > 0) models.push({ model: constantModel(encoding), threshold: -Infinity });
      continue;
    }
    const y = Float64Array.from(clipped, (v) => (v - mean) / sd);
    const nFit = Math.min(n, MAX_FIT_ROWS);
    const fit = fitHyperparameters(
      x.subarray(0, nFit * dims),
      y.subarray(0, nFit),
      nFit,
      encoding.columns,
      defaultHyperPrior(dims),
      {
        maxIterations: 40,
      },
    );
    models.push({
      model: conditionGp(x, y, n, encoding.columns, hyperFromTheta(fit.theta, dims)),
      threshold: -mean / sd,
    });
  }
  return { models };
}

function constantModel(encoding: GpEncoding): GpModel {
  const dims = encoding.columns.dims;
  const theta = new Float64Array(dims + 2);
  return conditionGp(
    new Float64Array(dims),
    new Float64Array(1),
    1,
    encoding.columns,
    hyperFromTheta(theta, dims),
  );
}

export function logProbabilityOfFeasibility(
  f: FeasibilityModel,
  row: Float64Array,
  scratch?: PredictScratch,
): number {
  let total = 0;
  for (const { model, threshold } of f.models) {
    if (threshold === -Infinity) return -Infinity;
    const p = predict(model, row, 0, model.n <= (scratch?.k.length ?? 0) ? scratch : undefined);
    total += logNormalCdf((threshold - p.mean) / Math.sqrt(p.variance));
  }
  return total;
}

/** log PoF with its gradient w.r.t. the continuous columns (added into gradOut). */
export function logProbabilityOfFeasibilityWithGradient(
  f: FeasibilityModel,
  row: Float64Array,
  gradOut: Float64Array,
): number {
  let total = 0;
  for (const { model, threshold } of f.models) {
    if (threshold === -Infinity) return -Infinity;
    const p = predictWithGradient(model, row, 0);
    const sd = Math.sqrt(p.variance);
    const z = (threshold - p.mean) / sd;
    const logCdf = logNormalCdf(z);
    total += logCdf;
    // d log Φ(z) = φ(z)/Φ(z) dz;  dz = −(dμ + z dσ)/σ,  dσ = dσ²/(2σ).
    const ratio = Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - logCdf);
    for (let j = 0; j < gradOut.length; j++) {
      const dsd = (p.varianceGrad[j] ?? 0) / (2 * sd);
      const dz = -((p.meanGrad[j] ?? 0) + z * dsd) / sd;
      gradOut[j] = (gradOut[j] ?? 0) + ratio * dz;
    }
  }
  return total;
}
