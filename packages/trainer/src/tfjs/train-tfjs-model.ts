import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "@hpo/core";
import type { DatasetSplit } from "../data/dataset-types.js";
import { permuteIndices } from "../data/split-dataset.js";
import type { TfjsHyperparameters } from "./hyperparameters.js";
import {
  flagDiagnostics,
  measureLayerHealth,
  softmaxCrossEntropy,
  type HealthSnapshot,
  type TrainingDiagnostics,
} from "./layer-diagnostics.js";
import {
  createMlpNetwork,
  disposeMlpNetwork,
  forwardMlp,
  listTrainableLayers,
  readLayerKernels,
} from "./mlp-network.js";
import { createOptimizer } from "./optimizers.js";

export type EpochDecision = "continue" | "prune" | "stop";

export interface TrainTfjsOptions {
  hyperparameters: TfjsHyperparameters;
  split: DatasetSplit;
  seed: number;
  signal?: AbortSignal | undefined;
  /** Called after every epoch with its metrics; its answer can end the run early. */
  onEpoch?: ((epoch: number, metrics: Record<string, number>) => Promise<EpochDecision>) | undefined;
}

export interface TrainTfjsResult {
  status: "complete" | "pruned" | "stopped" | "diverged";
  epochsRun: number;
  /** Metrics of the last finished epoch (empty when none finished). */
  metrics: Record<string, number>;
  history: Record<string, number>[];
  diagnostics: TrainingDiagnostics;
  /** Why a run diverged or stopped. */
  reason?: string;
  /** Final weight matrices ([fanIn × units], row-major), hidden layers first, then the output layer. */
  kernels: Float32Array[];
  /** Training samples processed per second of training time (excluding validation). */
  samplesPerSecond: number;
}

/** Samples used for the diagnostics (a fixed slice of the training set, so snapshots are comparable). */
const DIAGNOSTIC_BATCH = 512;
/** How often (in batches) the loop checks the running loss for divergence and yields to the event loop. */
const CHECK_EVERY_BATCHES = 16;
/** A loss this many times above the initial loss (or above ln C, if larger) counts as exploding. */
const EXPLOSION_FACTOR = 100;
/** Keep validation forward passes to bounded memory. */
const EVAL_CHUNK = 2048;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function toOneHot(labels: Int32Array, numClasses: number): tf.Tensor2D {
  return tf.tidy(
    () => tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), numClasses), "float32") as tf.Tensor2D,
  );
}

/**
 * Trains an MLP with minibatch gradient descent and reports per epoch. Deterministic for a given seed on a
 * given backend: weights are drawn in JS from the seed, each epoch's shuffle is a seeded permutation, and
 * dropout masks come from seeded tfjs uniform draws.
 */
export async function trainTfjsModel(options: TrainTfjsOptions): Promise<TrainTfjsResult> {
  const { hyperparameters: hp, split, seed } = options;
  const network = createMlpNetwork(hp, split.numFeatures, split.numClasses, seed);
  const optimizer = createOptimizer(hp);
  const xTrain = tf.tensor2d(split.train.features, [split.train.count, split.numFeatures]);
  const yTrain = toOneHot(split.train.labels, split.numClasses);
  const xVal = tf.tensor2d(split.validation.features, [split.validation.count, split.numFeatures]);
  const yVal = toOneHot(split.validation.labels, split.numClasses);
  const diagnosticCount = Math.min(DIAGNOSTIC_BATCH, split.train.count);
  const xDiag = tf.slice(xTrain, [0, 0], [diagnosticCount, split.numFeatures]);
  const yDiag = tf.slice(yTrain, [0, 0], [diagnosticCount, split.numClasses]);
  const variables = listTrainableLayers(network).flatMap((layer) => [layer.kernel, layer.bias]);
  const decayMask = variables.map((_, i) => i % 2 === 0);
  const snapshots: HealthSnapshot[] = [measureLayerHealth(network, xDiag, yDiag, "init", 0)];
  const initialLoss = snapshots[0]?.loss ?? Number.NaN;
  const explosionLimit =
    EXPLOSION_FACTOR * Math.max(Number.isFinite(initialLoss) ? initialLoss : 0, Math.log(split.numClasses));
  const history: Record<string, number>[] = [];
  const dropoutRng = createRng(seed, 0xd209);
  // An object, not two lets: the divergence check below updates it from a closure.
  const run: { status: TrainTfjsResult["status"]; reason?: string } = { status: "complete" };
  let trainingMs = 0;
  let samplesSeen = 0;

  const checkLoss = (loss: number, where: string): boolean => {
    if (Number.isNaN(loss) || !Number.isFinite(loss)) {
      run.status = "diverged";
      run.reason = `diverged: training loss is ${loss} ${where}`;
    } else if (loss > explosionLimit) {
      run.status = "diverged";
      run.reason = `diverged: training loss exploded to ${loss.toPrecision(4)} ${where} (limit ${explosionLimit.toPrecision(4)}, ${EXPLOSION_FACTOR}× the initial loss ${initialLoss.toPrecision(4)})`;
    }
    return run.status === "diverged";
  };

  try {
    for (let epoch = 1; epoch <= hp.epochs; epoch++) {
      if (options.signal?.aborted) {
        run.status = "stopped";
        run.reason = `stopped before epoch ${epoch}`;
        break;
      }
      const started = performance.now();
      optimizer.learningRate = hp.learning_rate * Math.exp(-hp.lr_decay * (epoch - 1));
      const order = permuteIndices(split.train.count, seed, 0x5eed, epoch);
      let lossSum = tf.keep(tf.scalar(0));
      let batchesSinceCheck = 0;
      let seenThisEpoch = 0;
      for (let start = 0; start < split.train.count; start += hp.batch_size) {
        const indices = order.subarray(start, Math.min(start + hp.batch_size, split.train.count));
        const dropoutSeed = hp.dropout > 0 ? dropoutRng.nextInt(2 ** 30) : undefined;
        const previous = lossSum;
        lossSum = tf.tidy(() => {
          const batchIndices = tf.tensor1d(indices, "int32");
          const xb = tf.gather(xTrain, batchIndices);
          const yb = tf.gather(yTrain, batchIndices);
          const { value, grads } = tf.variableGrads(
            () => softmaxCrossEntropy(forwardMlp(network, xb, dropoutSeed).logits, yb),
            variables,
          );
          optimizer.applyGradients(
            variables,
            variables.map((v) => grads[v.name] ?? tf.zerosLike(v)),
            decayMask,
          );
          return tf.keep(tf.add(previous, tf.mul(value, indices.length)));
        });
        previous.dispose();
        seenThisEpoch += indices.length;
        if (++batchesSinceCheck >= CHECK_EVERY_BATCHES) {
          batchesSinceCheck = 0;
          const running = (lossSum.dataSync()[0] ?? Number.NaN) / seenThisEpoch;
          if (checkLoss(running, `in epoch ${epoch} after ${seenThisEpoch} samples`)) break;
          await yieldToEventLoop();
          if (options.signal?.aborted) break;
        }
      }
      const loss = (lossSum.dataSync()[0] ?? Number.NaN) / Math.max(1, seenThisEpoch);
      lossSum.dispose();
      const epochTrainingMs = performance.now() - started;
      trainingMs += epochTrainingMs;
      samplesSeen += seenThisEpoch;
      if (run.status === "diverged" || checkLoss(loss, `at the end of epoch ${epoch}`)) break;
      if (options.signal?.aborted) {
        run.status = "stopped";
        run.reason = `stopped during epoch ${epoch}`;
        break;
      }
      const { valLoss, valAccuracy } = evaluate(network, xVal, yVal, split.validation.labels);
      const metrics: Record<string, number> = {
        epoch,
        loss,
        val_loss: valLoss,
        val_accuracy: valAccuracy,
        duration_ms: Math.round(performance.now() - started),
        // Training throughput of this epoch alone (forward + backward + update, no validation).
        samples_per_second: Math.round((seenThisEpoch / epochTrainingMs) * 1000),
        learning_rate: optimizer.learningRate,
      };
      history.push(metrics);
      if (epoch === 1) snapshots.push(measureLayerHealth(network, xDiag, yDiag, "epoch-1", 1));
      else if (epoch === hp.epochs) snapshots.push(measureLayerHealth(network, xDiag, yDiag, "final", epoch));
      if (Number.isNaN(valLoss)) {
        run.status = "diverged";
        run.reason = `diverged: validation loss is NaN after epoch ${epoch}`;
        break;
      }
      const decision = options.onEpoch ? await options.onEpoch(epoch, metrics) : "continue";
      if (decision === "prune") {
        run.status = "pruned";
        run.reason = `pruned after epoch ${epoch}`;
        break;
      }
      if (decision === "stop") {
        run.status = "stopped";
        run.reason = `stopped after epoch ${epoch}`;
        break;
      }
    }
    return {
      status: run.status,
      epochsRun: history.length,
      metrics: history.at(-1) ?? {},
      history,
      diagnostics: flagDiagnostics(snapshots),
      ...(run.reason === undefined ? {} : { reason: run.reason }),
      kernels: readLayerKernels(network),
      samplesPerSecond: trainingMs > 0 ? (samplesSeen / trainingMs) * 1000 : 0,
    };
  } finally {
    optimizer.dispose();
    disposeMlpNetwork(network);
    for (const t of [xTrain, yTrain, xVal, yVal, xDiag, yDiag]) t.dispose();
  }
}

function evaluate(
  network: ReturnType<typeof createMlpNetwork>,
  xVal: tf.Tensor2D,
  yVal: tf.Tensor2D,
  labels: Int32Array,
): { valLoss: number; valAccuracy: number } {
  const count = labels.length;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, count - start);
    const [chunkLoss, predictions] = tf.tidy(() => {
      const xb = tf.slice(xVal, [start, 0], [size, xVal.shape[1]]);
      const yb = tf.slice(yVal, [start, 0], [size, yVal.shape[1]]);
      const logits = forwardMlp(network, xb).logits;
      return [softmaxCrossEntropy(logits, yb).dataSync()[0] ?? Number.NaN, tf.argMax(logits, 1).dataSync()];
    });
    lossSum += chunkLoss * size;
    predictions.forEach((p, i) => {
      if (p === labels[start + i]) correct++;
    });
  }
  return { valLoss: lossSum / count, valAccuracy: correct / count };
}
