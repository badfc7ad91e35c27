import type { Params } from "@hpo/contracts";

export const demoInitializers = ["zeros", "random", "xavier", "he"] as const;

export interface DemoBudget {
  trials: number;
  epochs: number;
  /** Digits used (training + validation); fewer is faster. */
  samples: number;
  parallelism: number;
  seed: number;
}

/** Sized to finish in a few minutes on 2 cores with the WebAssembly backend (README, "CLI"). */
export const defaultDemoBudget: DemoBudget = {
  trials: 16,
  epochs: 3,
  samples: 3000,
  parallelism: 2,
  seed: 42,
};

/**
 * The seed course's experiment: a fully connected network on handwritten digits, trained with momentum
 * SGD, tuned over the learning rate, the minibatch size (powers of 2), momentum β, hidden units, layers and
 * the four weight initializers, by TPE.
 */
export function demoStudyDefinition(name: string, budget: DemoBudget): Record<string, unknown> {
  return {
    name,
    description: "hpo demo: digits MLP, momentum SGD, four initializers (zeros, random, Xavier, He)",
    objective: { metric: "val_accuracy", direction: "maximize" },
    space: [
      { name: "learning_rate", type: "float", low: 0.001, high: 0.5, log: true },
      { name: "batch_size", type: "categorical", choices: [16, 32, 64, 128] },
      { name: "momentum", type: "float", low: 0.5, high: 0.99 },
      { name: "hidden_units", type: "int", low: 16, high: 128, log: true },
      { name: "layers", type: "int", low: 1, high: 3 },
      { name: "initializer", type: "categorical", choices: [...demoInitializers] },
    ],
    sampler: { type: "tpe", nStartupTrials: Math.min(8, Math.max(1, budget.trials - 4)) },
    budget: { maxTrials: budget.trials, parallelism: budget.parallelism },
    trainer: {
      type: "tfjs",
      dataset: "digits",
      epochs: budget.epochs,
      maxSamples: budget.samples,
      fixed: { optimizer: "momentum", activation: "relu" },
    },
    seed: budget.seed,
  };
}

/**
 * The hand-tried baseline, once per initializer, enqueued before the sampler's trials: every initializer is
 * compared at least once on equal terms, whatever TPE explores after (the course's trial and error).
 */
export function demoManualTrials(): Params[] {
  return demoInitializers.map((initializer) => ({
    learning_rate: 0.05,
    batch_size: 32,
    momentum: 0.9,
    hidden_units: 64,
    layers: 2,
    initializer,
  }));
}
