import * as tf from "@tensorflow/tfjs-core";
import { createRng, describeInitializerDistribution } from "@hpo/core";
import type { Activation, TfjsHyperparameters } from "./hyperparameters.js";

/** One dense layer: y = x·W + b. `kernel` is [fanIn, units]: column j holds unit j's incoming weights. */
export interface DenseLayer {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly fanIn: number;
  readonly units: number;
}

/** A multilayer perceptron: `layers` hidden layers of `hidden_units`, then a softmax output layer. */
export interface MlpNetwork {
  readonly hidden: readonly DenseLayer[];
  readonly output: DenseLayer;
  readonly activation: Activation;
  readonly dropout: number;
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  /** Post-activation output of each hidden layer (before dropout). */
  hiddenActivations: tf.Tensor2D[];
}

/**
 * Draws a [fanIn, units] weight matrix from the core's shared initializer definition (zeros, random σ,
 * xavier, he; normal or uniform) with the trial's seeded RNG, in JavaScript: the same seed gives the same
 * weights on every backend.
 */
export function drawInitialWeights(
  hp: Pick<TfjsHyperparameters, "initializer" | "init_form" | "init_stddev">,
  fanIn: number,
  units: number,
  seed: number,
  layerIndex: number,
): Float32Array {
  const values = new Float32Array(fanIn * units);
  const distribution = describeInitializerDistribution(hp.initializer, hp.init_form, fanIn, units, {
    stddev: hp.init_stddev,
  });
  const rng = createRng(seed, 0x1717, layerIndex);
  if (distribution.kind === "normal") {
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * distribution.stddev;
  } else if (distribution.kind === "uniform") {
    const width = distribution.high - distribution.low;
    for (let i = 0; i < values.length; i++) values[i] = distribution.low + rng.next() * width;
  }
  return values;
}

function createDenseLayer(
  hp: TfjsHyperparameters,
  fanIn: number,
  units: number,
  seed: number,
  layerIndex: number,
  namePrefix: string,
): DenseLayer {
  const weights = drawInitialWeights(hp, fanIn, units, seed, layerIndex);
  // tidy disposes the initial-value tensors; the variables keep their own reference to the data.
  return {
    kernel: tf.tidy(() =>
      tf.variable(tf.tensor2d(weights, [fanIn, units]), true, `${namePrefix}/dense${layerIndex}/kernel`),
    ),
    // Biases start at zero for every initializer, as in Keras/tfjs defaults and the course.
    bias: tf.tidy(() => tf.variable(tf.zeros([units]), true, `${namePrefix}/dense${layerIndex}/bias`)),
    fanIn,
    units,
  };
}

let networkCounter = 0;

export function createMlpNetwork(
  hp: TfjsHyperparameters,
  numFeatures: number,
  numClasses: number,
  seed: number,
): MlpNetwork {
  // Variable names must be unique per process (the tfjs engine keeps a global registry); the RNG stream of
  // each layer depends only on its position, so the process's history never changes the weights.
  const prefix = `mlp${++networkCounter}`;
  const hidden: DenseLayer[] = [];
  let fanIn = numFeatures;
  for (let l = 0; l < hp.layers; l++) {
    hidden.push(createDenseLayer(hp, fanIn, hp.hidden_units, seed, l, prefix));
    fanIn = hp.hidden_units;
  }
  const output = createDenseLayer(hp, fanIn, numClasses, seed, hp.layers, prefix);
  return { hidden, output, activation: hp.activation, dropout: hp.dropout };
}

export function applyActivation(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "elu":
      return tf.elu(x);
  }
}

/**
 * Forward pass. With `dropoutSeed` set, inverted dropout (Srivastava et al. 2014, scaled by 1/(1-p) at
 * training time so inference needs no rescaling) masks each hidden layer with a seeded uniform draw.
 */
export function forwardMlp(network: MlpNetwork, x: tf.Tensor2D, dropoutSeed?: number): ForwardResult {
  const hiddenActivations: tf.Tensor2D[] = [];
  let h = x;
  network.hidden.forEach((layer, l) => {
    const a = applyActivation(
      tf.add<tf.Tensor2D>(tf.matMul(h, layer.kernel), layer.bias),
      network.activation,
    );
    hiddenActivations.push(a);
    if (dropoutSeed !== undefined && network.dropout > 0) {
      const keep = tf.greaterEqual(
        tf.randomUniform(a.shape, 0, 1, "float32", dropoutSeed + l),
        network.dropout,
      );
      h = tf.div<tf.Tensor2D>(tf.mul(a, tf.cast(keep, "float32")), 1 - network.dropout);
    } else {
      h = a;
    }
  });
  const logits = tf.add<tf.Tensor2D>(tf.matMul(h, network.output.kernel), network.output.bias);
  return { logits, hiddenActivations };
}

export function listTrainableLayers(network: MlpNetwork): DenseLayer[] {
  return [...network.hidden, network.output];
}

export function disposeMlpNetwork(network: MlpNetwork): void {
  for (const layer of listTrainableLayers(network)) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
}

/** Copies the weights out (kernel as rows of fanIn, each row `units` long), for tests and diagnostics. */
export function readLayerKernels(network: MlpNetwork): Float32Array[] {
  return listTrainableLayers(network).map((layer) => layer.kernel.dataSync() as Float32Array);
}
