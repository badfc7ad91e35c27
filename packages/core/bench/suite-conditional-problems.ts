import type { Params, Space } from "@hpo/contracts";
import type { SuiteProblem } from "./suite-problems.js";

/**
 * Conditional spaces for the widened suite: the shape of a real network-tuning study, where the optimizer
 * decides which of its own params exist and the depth decides how many layer widths do (`when` conditions;
 * inactive params are absent from a trial). The objectives are analytic surrogates of a validation loss, so
 * the optimum is known: every term is a square with its minimum inside the box, and each branch has its own
 * floor, so a search must find the best BRANCH (not only the best values inside a good one). A second-best
 * branch a little above the best makes them deceptive, as real optimizers are (Adam vs well-tuned momentum).
 * Each evaluate reads only the params active for its branch values, as a trainer would.
 */

const num = (p: Params, name: string, fallback: number): number => {
  const value = p[name];
  return typeof value === "number" ? value : fallback;
};

const optimizers = ["sgd", "momentum", "adam", "rmsprop"] as const;

const conditionalMlpSpace: Space = [
  { name: "optimizer", type: "categorical", choices: [...optimizers] },
  { name: "learning_rate", type: "float", low: 1e-5, high: 1, log: true },
  { name: "momentum", type: "float", low: 0, high: 0.99, when: { optimizer: "momentum" } },
  { name: "beta2", type: "float", low: 0.9, high: 0.9999, when: { optimizer: "adam" } },
  { name: "rho", type: "float", low: 0.8, high: 0.99, when: { optimizer: "rmsprop" } },
  { name: "layers", type: "int", low: 1, high: 4 },
  { name: "units1", type: "int", low: 16, high: 1024, log: true },
  { name: "units2", type: "int", low: 16, high: 1024, log: true, when: { layers: [2, 3, 4] } },
  { name: "units3", type: "int", low: 16, high: 1024, log: true, when: { layers: [3, 4] } },
  { name: "units4", type: "int", low: 16, high: 1024, log: true, when: { layers: 4 } },
  { name: "dropout", type: "float", low: 0, high: 0.6 },
];

/**
 * An MLP's validation loss (development problem). Optimizer terms, in log10 of the learning rate: SGD best
 * at 10^-1 (floor 0.30); momentum best when lr / (1 − m) = 10^-0.5 with m near 0.9 (floor 0.22); Adam
 * best at 10^-3 with β₂ near 0.999 (floor 0.20, the optimum); RMSprop best at 10^-3.3 with ρ near 0.9
 * (floor 0.24). Capacity: three layers of 256, 128, 64 units; dropout best at 0.1 per layer.
 */
const conditionalMlp: SuiteProblem = {
  name: "conditional-mlp",
  heldOut: false,
  space: conditionalMlpSpace,
  optimum: 0.2,
  evaluate: (p) => {
    const lr = Math.log10(num(p, "learning_rate", 1e-3));
    let optimizerTerm: number;
    switch (p.optimizer) {
      case "sgd":
        optimizerTerm = 0.3 + 0.05 * (lr + 1) ** 2;
        break;
      case "momentum": {
        const m = num(p, "momentum", 0);
        optimizerTerm = 0.22 + 0.05 * (lr - Math.log10(1 - m) + 0.5) ** 2 + 0.5 * (m - 0.9) ** 2;
        break;
      }
      case "adam":
        optimizerTerm = 0.2 + 0.05 * (lr + 3) ** 2 + 2e3 * (num(p, "beta2", 0.999) - 0.999) ** 2;
        break;
      default:
        optimizerTerm = 0.24 + 0.05 * (lr + 3.3) ** 2 + 2 * (num(p, "rho", 0.9) - 0.9) ** 2;
    }
    const layers = num(p, "layers", 1);
    const targets = [8, 7, 6, 5];
    let capacity = 0.02 * (layers - 3) ** 2;
    for (let i = 0; i < layers; i++)
      capacity += 0.01 * (Math.log2(num(p, `units${i + 1}`, 16)) - (targets[i] ?? 5)) ** 2;
    const dropout = 0.4 * (num(p, "dropout", 0) - 0.1 * layers) ** 2;
    return optimizerTerm + capacity + dropout;
  },
};

/**
 * A gradient-boosted model's validation error (development problem, added 2026-11-30 as the development
 * counterpart of conditional-cnn's shape: weak conditional ints with their best value inside the box, so a
 * sampler that leaves them at a box edge pays a small but visible regret). The booster chooses its own
 * params (tree: max depth, best 6 of 1..16; dart: depth and drop rate; linear: none), the learning rate
 * couples with the number of rounds (best lr · rounds ≈ 30, as shrinkage trades against rounds), the
 * regularizer is a categorical with a conditional integer weight (l2, best 4 of 0..20). Floors: tree 0.10
 * (optimum), dart 0.105, linear 0.15; regularizer "none" adds 0.02, "l1" 0.008, "l2" 0 at weight 4.
 */
const conditionalGbm: SuiteProblem = {
  name: "conditional-gbm",
  heldOut: false,
  space: [
    { name: "booster", type: "categorical", choices: ["tree", "dart", "linear"] },
    { name: "eta", type: "float", low: 1e-3, high: 1, log: true },
    { name: "rounds", type: "int", low: 20, high: 2000, log: true },
    { name: "max_depth", type: "int", low: 1, high: 16, when: { booster: ["tree", "dart"] } },
    { name: "rate_drop", type: "float", low: 0, high: 0.5, when: { booster: "dart" } },
    { name: "subsample", type: "float", low: 0.3, high: 1 },
    { name: "regularizer", type: "categorical", choices: ["none", "l1", "l2"] },
    { name: "l2_weight", type: "int", low: 0, high: 20, when: { regularizer: "l2" } },
    { name: "colsample", type: "float", low: 0.2, high: 1 },
  ],
  optimum: 0.1,
  evaluate: (p) => {
    const shrinkageGap = Math.log10(num(p, "eta", 0.1)) + Math.log10(num(p, "rounds", 300)) - Math.log10(30);
    const depthTerm = 3e-4 * (num(p, "max_depth", 6) - 6) ** 2;
    const boosterTerm =
      p.booster === "tree"
        ? 0.1 + depthTerm
        : p.booster === "dart"
          ? 0.105 + depthTerm + 0.05 * (num(p, "rate_drop", 0.1) - 0.1) ** 2
          : 0.15;
    const regularizerTerm =
      p.regularizer === "none"
        ? 0.02
        : p.regularizer === "l1"
          ? 0.008
          : 1.5e-4 * (num(p, "l2_weight", 4) - 4) ** 2;
    return (
      boosterTerm +
      0.025 * shrinkageGap ** 2 +
      regularizerTerm +
      0.02 * (num(p, "subsample", 0.8) - 0.8) ** 2 +
      0.01 * (num(p, "colsample", 0.7) - 0.7) ** 2
    );
  },
};

/**
 * A CNN's validation error (held out: not used for development). A learning-rate schedule chooses its own
 * params (step: decay factor and interval; cosine: warm-up epochs; constant: none), the batch size couples
 * with the learning rate (linear scaling: best lr ∝ batch), augmentation is a categorical with a
 * conditional strength. Floors: cosine 0.08 (optimum), step 0.09, constant 0.12; augmentation "none"
 * adds 0.03, "flip" 0.01, "randaugment" 0 at strength 9 of 0..15.
 */
const conditionalCnn: SuiteProblem = {
  name: "conditional-cnn",
  heldOut: true,
  space: [
    { name: "schedule", type: "categorical", choices: ["constant", "step", "cosine"] },
    { name: "learning_rate", type: "float", low: 1e-4, high: 1, log: true },
    { name: "batch_size", type: "int", low: 16, high: 512, log: true },
    { name: "decay_factor", type: "float", low: 0.05, high: 0.9, when: { schedule: "step" } },
    { name: "decay_every", type: "int", low: 5, high: 60, when: { schedule: "step" } },
    { name: "warmup_epochs", type: "int", low: 0, high: 10, when: { schedule: "cosine" } },
    { name: "augment", type: "categorical", choices: ["none", "flip", "randaugment"] },
    { name: "strength", type: "int", low: 0, high: 15, when: { augment: "randaugment" } },
    { name: "weight_decay", type: "float", low: 1e-6, high: 1e-2, log: true },
  ],
  optimum: 0.08,
  evaluate: (p) => {
    // Linear scaling: the best learning rate is 0.1 at batch 128.
    const lrGap =
      Math.log10(num(p, "learning_rate", 0.1)) - Math.log10(0.1 * (num(p, "batch_size", 128) / 128));
    const batchTerm = 0.004 * (Math.log2(num(p, "batch_size", 128)) - 7) ** 2;
    let scheduleTerm: number;
    switch (p.schedule) {
      case "step":
        scheduleTerm =
          0.09 +
          0.1 * (num(p, "decay_factor", 0.1) - 0.2) ** 2 +
          2e-5 * (num(p, "decay_every", 30) - 30) ** 2;
        break;
      case "cosine":
        scheduleTerm = 0.08 + 4e-4 * (num(p, "warmup_epochs", 0) - 3) ** 2;
        break;
      default:
        scheduleTerm = 0.12;
    }
    const augmentTerm =
      p.augment === "none" ? 0.03 : p.augment === "flip" ? 0.01 : 2e-4 * (num(p, "strength", 9) - 9) ** 2;
    const decayTerm = 0.006 * (Math.log10(num(p, "weight_decay", 5e-4)) + 3.3) ** 2;
    return scheduleTerm + 0.03 * lrGap ** 2 + batchTerm + augmentTerm + decayTerm;
  },
};

export const conditionalSuiteProblems: SuiteProblem[] = [conditionalMlp, conditionalGbm, conditionalCnn];
