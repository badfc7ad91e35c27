import { logH, logHDerivative } from "./normal-math.js";
import { predict, predictWithGradient, type GpModel, type PredictScratch } from "./gp-model.js";

/**
 * log EI for minimization: EI(x) = σ(x)·h(z), z = (best − μ(x))/σ(x), so log EI = log h(z) + log σ
 * (Ament et al. 2023, eq. (9)). Unlike EI itself it does not underflow to 0 in the flat regions that make up
 * most of the space after a few dozen trials, so candidate ranking and gradients stay informative.
 */
export function logExpectedImprovement(
  model: GpModel,
  xq: Float64Array,
  q: number,
  best: number,
  scratch?: PredictScratch,
): number {
  const p = predict(model, xq, q, scratch);
  const sd = Math.sqrt(p.variance);
  return logH((best - p.mean) / sd) + Math.log(sd);
}

/**
 * log EI and its gradient w.r.t. the query's continuous columns (written to gradOut):
 *   ∂/∂x log EI = (log h)'(z)·∂z/∂x + (∂σ/∂x)/σ,  ∂z/∂x = −(∂μ/∂x + z ∂σ/∂x)/σ,  ∂σ/∂x = (∂σ²/∂x)/(2σ).
 */
export function logExpectedImprovementWithGradient(
  model: GpModel,
  xq: Float64Array,
  best: number,
  gradOut: Float64Array,
  scratch?: PredictScratch,
): number {
  const p = predictWithGradient(model, xq, 0, scratch);
  const sd = Math.sqrt(p.variance);
  const z = (best - p.mean) / sd;
  const lh = logH(z);
  const dlh = logHDerivative(z, lh);
  for (let j = 0; j < gradOut.length; j++) {
    const dsd = (p.varianceGrad[j] ?? 0) / (2 * sd);
    const dz = -((p.meanGrad[j] ?? 0) + z * dsd) / sd;
    gradOut[j] = dlh * dz + dsd / sd;
  }
  return lh + Math.log(sd);
}
