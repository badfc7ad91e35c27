import { createRng } from "@hpo/core";
import type { Dataset, DatasetSplit } from "./dataset-types.js";

export interface SplitOptions {
  /** Fraction held out for validation, in (0, 1). */
  validationSplit: number;
  /** Keep at most this many samples in total (the first ones of the seeded permutation). */
  maxSamples?: number | undefined;
  /** Seed of the permutation. Kept fixed per dataset so every trial of a study sees the same split. */
  seed: number;
}

/** Fisher–Yates permutation of 0..n-1 driven by the seeded RNG (Durstenfeld's in-place variant). */
export function permuteIndices(n: number, seed: number, ...streams: number[]): Int32Array {
  const rng = createRng(seed, ...streams);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = tmp;
  }
  return order;
}

function gatherRows(dataset: Dataset, indices: Int32Array): { features: Float32Array; labels: Int32Array } {
  const d = dataset.numFeatures;
  const features = new Float32Array(indices.length * d);
  const labels = new Int32Array(indices.length);
  indices.forEach((source, target) => {
    features.set(dataset.features.subarray(source * d, source * d + d), target * d);
    labels[target] = dataset.labels[source] ?? 0;
  });
  return { features, labels };
}

/** z-scores every column with the TRAINING set's mean and standard deviation (no validation leakage). */
function standardizeColumns(train: Float32Array, others: Float32Array[], numFeatures: number): void {
  const rows = train.length / numFeatures;
  for (let c = 0; c < numFeatures; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += train[r * numFeatures + c] ?? 0;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += ((train[r * numFeatures + c] ?? 0) - mean) ** 2;
    const std = Math.sqrt(variance / rows) || 1;
    for (const array of [train, ...others]) {
      for (let i = c; i < array.length; i += numFeatures) array[i] = ((array[i] ?? 0) - mean) / std;
    }
  }
}

/** Seeded shuffle, optional subsample, train/validation split and (for tabular data) standardization. */
export function splitDataset(dataset: Dataset, options: SplitOptions): DatasetSplit {
  if (!(options.validationSplit > 0 && options.validationSplit < 1)) {
    throw new Error(`validationSplit must be in (0, 1), got ${options.validationSplit}`);
  }
  const order = permuteIndices(dataset.numSamples, options.seed, 0xda7a);
  const total = Math.min(dataset.numSamples, options.maxSamples ?? dataset.numSamples);
  const validationCount = Math.max(1, Math.round(total * options.validationSplit));
  const trainCount = total - validationCount;
  if (trainCount < 1) throw new Error(`${dataset.name}: ${total} samples leave nothing to train on`);
  const train = gatherRows(dataset, order.subarray(0, trainCount));
  const validation = gatherRows(dataset, order.subarray(trainCount, total));
  if (dataset.standardize) standardizeColumns(train.features, [validation.features], dataset.numFeatures);
  return {
    name: dataset.name,
    numFeatures: dataset.numFeatures,
    numClasses: dataset.numClasses,
    train: { ...train, count: trainCount },
    validation: { ...validation, count: validationCount },
  };
}
