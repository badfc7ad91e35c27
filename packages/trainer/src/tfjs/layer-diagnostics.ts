import * as tf from "@tensorflow/tfjs-core";
import type { Activation } from "./hyperparameters.js";
import { forwardMlp, listTrainableLayers, type MlpNetwork } from "./mlp-network.js";

/**
 * Initialization health, after the seed course's two criteria for a good initialization (no layer's
 * activations saturate; no layer's activations are all zero) and its warning that all-zero weights keep every
 * unit of a layer identical. Measured on a fixed batch of training samples, without dropout. The shapes are
 * the contract's (`trainingDiagnosticsSchema` in @hpo/contracts): they travel with the trial's result.
 */
export type { DiagnosticFlag, HealthSnapshot, LayerHealth, TrainingDiagnostics } from "@hpo/contracts";
import type { DiagnosticFlag, HealthSnapshot, LayerHealth, TrainingDiagnostics } from "@hpo/contracts";

/** A hidden layer counts as failing the criterion when at least this fraction of it is dead / saturated. */
export const DIAGNOSTIC_THRESHOLDS = { deadFraction: 0.5, saturatedFraction: 0.25 } as const;

const DEAD_EPSILON = 1e-7;
const SATURATION_MARGIN = 0.01;

function isSaturated(value: number, activation: Activation): boolean {
  switch (activation) {
    case "tanh":
      return Math.abs(value) >= 1 - SATURATION_MARGIN;
    case "sigmoid":
      return value <= SATURATION_MARGIN || value >= 1 - SATURATION_MARGIN;
    // relu and elu have no upper limit; elu's slow approach to −1 is not the vanishing-gradient plateau the
    // course's criterion is about.
    case "elu":
    case "relu":
      return false;
  }
}

function summarizeActivations(
  values: Float32Array,
  units: number,
  activation: Activation,
): Pick<LayerHealth, "deadFraction" | "saturatedFraction" | "activationMean" | "activationStd"> {
  const alive = new Uint8Array(units);
  let saturated = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (Math.abs(v) > DEAD_EPSILON) alive[i % units] = 1;
    if (isSaturated(v, activation)) saturated++;
    sum += v;
    sumSquares += v * v;
  }
  const n = Math.max(1, values.length);
  const mean = sum / n;
  const deadUnits = alive.reduce((count, a) => count + (a === 0 ? 1 : 0), 0);
  return {
    deadFraction: deadUnits / units,
    saturatedFraction: saturated / n,
    activationMean: mean,
    activationStd: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)),
  };
}

/**
 * Whether all columns of a [fanIn, units] kernel (each unit's incoming weights) and all bias entries are
 * equal, up to float rounding relative to the weights' scale.
 */
export function hasSymmetricUnits(kernel: Float32Array, bias: Float32Array, units: number): boolean {
  if (units < 2) return false;
  let scale = 0;
  for (const v of kernel) scale = Math.max(scale, Math.abs(v));
  for (const v of bias) scale = Math.max(scale, Math.abs(v));
  const tolerance = 1e-6 * (1 + scale);
  for (let start = 0; start < kernel.length; start += units) {
    const first = kernel[start] ?? 0;
    for (let j = 1; j < units; j++) if (Math.abs((kernel[start + j] ?? 0) - first) > tolerance) return false;
  }
  const firstBias = bias[0] ?? 0;
  return bias.every((b) => Math.abs(b - firstBias) <= tolerance);
}

function standardDeviation(values: Float32Array): number {
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
  }
  const n = Math.max(1, values.length);
  return Math.sqrt(Math.max(0, sumSquares / n - (sum / n) ** 2));
}

export function softmaxCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1)));
}

export function measureLayerHealth(
  network: MlpNetwork,
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  at: HealthSnapshot["at"],
  epoch: number,
): HealthSnapshot {
  const layers = listTrainableLayers(network);
  const activations = tf.tidy(() =>
    forwardMlp(network, x).hiddenActivations.map((a) => a.dataSync() as Float32Array),
  );
  const { value, grads } = tf.variableGrads(
    () => softmaxCrossEntropy(forwardMlp(network, x).logits, oneHot),
    layers.map((layer) => layer.kernel),
  );
  const loss = value.dataSync()[0] ?? Number.NaN;
  value.dispose();
  const health = layers.map((layer, index): LayerHealth => {
    const gradient = grads[layer.kernel.name];
    const gradientNorm = gradient
      ? (tf.tidy(() => tf.norm(gradient).dataSync()[0]) ?? Number.NaN)
      : Number.NaN;
    const kernel = layer.kernel.dataSync() as Float32Array;
    const bias = layer.bias.dataSync() as Float32Array;
    const isHidden = index < network.hidden.length;
    const values = activations[index];
    const stats =
      isHidden && values
        ? summarizeActivations(values, layer.units, network.activation)
        : { deadFraction: 0, saturatedFraction: 0, activationMean: 0, activationStd: 0 };
    return {
      layer: index + 1,
      kind: isHidden ? "hidden" : "output",
      units: layer.units,
      ...stats,
      gradientNorm,
      weightStd: standardDeviation(kernel),
      symmetricWeights: isHidden && hasSymmetricUnits(kernel, bias, layer.units),
    };
  });
  for (const gradient of Object.values(grads)) gradient.dispose();
  return { at, epoch, loss, layers: health };
}

/**
 * Flags from the snapshots: a hidden layer dead or saturated at initialization or after the first epoch
 * (the course's criteria are about the starting point, not the trained network), and weights still
 * symmetric at the last snapshot (training never broke the symmetry).
 */
export function flagDiagnostics(snapshots: readonly HealthSnapshot[]): TrainingDiagnostics {
  const flags = new Set<DiagnosticFlag>();
  for (const snapshot of snapshots) {
    if (snapshot.at === "final") continue;
    for (const layer of snapshot.layers) {
      if (layer.kind !== "hidden") continue;
      if ((layer.deadFraction ?? 0) >= DIAGNOSTIC_THRESHOLDS.deadFraction) flags.add("dead-units");
      if ((layer.saturatedFraction ?? 0) >= DIAGNOSTIC_THRESHOLDS.saturatedFraction) flags.add("saturated");
    }
  }
  const last = snapshots.at(-1);
  if (last?.layers.some((layer) => layer.symmetricWeights)) flags.add("symmetric-weights");
  return { snapshots: [...snapshots], flags: [...flags], thresholds: { ...DIAGNOSTIC_THRESHOLDS } };
}
