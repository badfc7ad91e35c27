import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerName, TfjsHyperparameters } from "./hyperparameters.js";

/**
 * The four update rules, written out so the learning rate can decay per epoch without rebuilding the
 * optimizer (which would drop Adam's moment estimates) and so L2 weight decay is explicit:
 * - sgd:       w ← w − η·g
 * - momentum:  v ← μ·v + g;  w ← w − η·v   (heavy ball, Polyak 1964; as tf.train.momentum)
 * - adam:      m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − η·m̂/(√v̂ + ε),
 *              m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)   (Kingma & Ba 2015, Algorithm 1)
 * - rmsprop:   s ← ρ·s + (1−ρ)·g²;  w ← w − η·g/(√s + ε), ρ = 0.9, ε = 1e-7   (Hinton, Coursera lecture 6e)
 * Weight decay adds λ·w to the gradient of weight matrices (L2 regularization, not applied to biases).
 */
export interface Optimizer {
  readonly name: OptimizerName;
  learningRate: number;
  /** Applies one update for each variable from its gradient. */
  applyGradients(
    variables: readonly tf.Variable[],
    gradients: readonly tf.Tensor[],
    decayMask: readonly boolean[],
  ): void;
  dispose(): void;
}

const RMSPROP_RHO = 0.9;
const RMSPROP_EPSILON = 1e-7;

export function createOptimizer(hp: TfjsHyperparameters): Optimizer {
  const slots = new Map<tf.Variable, tf.Variable[]>();
  let step = 0;
  const slotsFor = (variable: tf.Variable, count: number): tf.Variable[] => {
    let state = slots.get(variable);
    if (!state) {
      state = Array.from({ length: count }, () => tf.variable(tf.zerosLike(variable), false));
      slots.set(variable, state);
    }
    return state;
  };
  const optimizer: Optimizer = {
    name: hp.optimizer,
    learningRate: hp.learning_rate,
    applyGradients(variables, gradients, decayMask) {
      step++;
      const lr = optimizer.learningRate;
      tf.tidy(() => {
        variables.forEach((variable, i) => {
          const raw = gradients[i];
          if (raw === undefined) return;
          const g =
            decayMask[i] && hp.weight_decay > 0 ? tf.add(raw, tf.mul(variable, hp.weight_decay)) : raw;
          switch (hp.optimizer) {
            case "sgd":
              variable.assign(tf.sub(variable, tf.mul(g, lr)));
              break;
            case "momentum": {
              const [v] = slotsFor(variable, 1);
              if (!v) return;
              v.assign(tf.add(tf.mul(v, hp.momentum), g));
              variable.assign(tf.sub(variable, tf.mul(v, lr)));
              break;
            }
            case "adam": {
              const [m, v] = slotsFor(variable, 2);
              if (!m || !v) return;
              m.assign(tf.add(tf.mul(m, hp.adam_beta1), tf.mul(g, 1 - hp.adam_beta1)));
              v.assign(tf.add(tf.mul(v, hp.adam_beta2), tf.mul(tf.square(g), 1 - hp.adam_beta2)));
              const mHat = tf.div(m, 1 - hp.adam_beta1 ** step);
              const vHat = tf.div(v, 1 - hp.adam_beta2 ** step);
              variable.assign(
                tf.sub(variable, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), hp.adam_epsilon)), lr)),
              );
              break;
            }
            case "rmsprop": {
              const [s] = slotsFor(variable, 1);
              if (!s) return;
              s.assign(tf.add(tf.mul(s, RMSPROP_RHO), tf.mul(tf.square(g), 1 - RMSPROP_RHO)));
              variable.assign(tf.sub(variable, tf.mul(tf.div(g, tf.add(tf.sqrt(s), RMSPROP_EPSILON)), lr)));
              break;
            }
          }
        });
      });
    },
    dispose() {
      for (const state of slots.values()) for (const v of state) v.dispose();
      slots.clear();
    },
  };
  return optimizer;
}
