import type { Params, Space, SyntheticProblemName } from "@hpo/contracts";

/**
 * The four public benchmark problems, all minimized. Formulas follow the reference definitions term by
 * term: a test reproduces every test point of packages/core/test/fixtures/bench-problem-test-points.json
 * to 1e-12 relative error.
 */

/** The synthetic trainer runs exactly these problems: its spec's `problem` names one of them. */
export type BenchmarkProblemName = SyntheticProblemName;

export interface BenchmarkProblem {
  name: BenchmarkProblemName;
  space: Space;
  optimum: number;
  evaluate(params: Params): number;
}

function num(params: Params, name: string): number {
  const v = params[name];
  if (typeof v !== "number") throw new TypeError(`param "${name}" must be a number`);
  return v;
}

/** Branin–Hoo (Dixon & Szegő 1978): three global minima, value 5/(4π)·... = 0.397887. */
function branin(params: Params): number {
  const x1 = num(params, "x1");
  const x2 = num(params, "x2");
  const a = 1;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const r = 6;
  const s = 10;
  const t = 1 / (8 * Math.PI);
  return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s;
}

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN_A = [
  [3.0, 10.0, 30.0],
  [0.1, 10.0, 35.0],
  [3.0, 10.0, 30.0],
  [0.1, 10.0, 35.0],
];
const HARTMANN_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.0381, 0.5743, 0.8828],
];

function hartmann3(params: Params): number {
  const x = [num(params, "x1"), num(params, "x2"), num(params, "x3")];
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 3; j++) {
      inner += (HARTMANN_A[i]?.[j] ?? 0) * ((x[j] ?? 0) - (HARTMANN_P[i]?.[j] ?? 0)) ** 2;
    }
    total += (HARTMANN_ALPHA[i] ?? 0) * Math.exp(-inner);
  }
  return -total;
}

function rosenbrock4(params: Params): number {
  const x = [num(params, "x1"), num(params, "x2"), num(params, "x3"), num(params, "x4")];
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const xi = x[i] ?? 0;
    const next = x[i + 1] ?? 0;
    total += 100 * (next - xi ** 2) ** 2 + (xi - 1) ** 2;
  }
  return total;
}

const INIT_SHIFT: Record<string, number> = { zeros: 0, random: -0.5, xavier: 0, he: -0.25 };

/**
 * A smooth stand-in for tuning a small neural network: one penalty per hyperparameter, with the best
 * learning rate shifted by momentum, batch size, initializer and depth, as in real training.
 */
function mlpSurrogateA(params: Params): number {
  const lr = num(params, "learning_rate");
  const m = num(params, "momentum");
  const h = num(params, "hidden_units");
  const L = num(params, "layers");
  const batch = num(params, "batch_size");
  const decay = num(params, "lr_decay");
  const init = params.initializer;
  if (typeof init !== "string" || !(init in INIT_SHIFT))
    throw new TypeError('param "initializer" is invalid');
  const b = Math.log2(batch / 32);
  const uStar = -2.0 + 0.25 * b + (INIT_SHIFT[init] ?? 0) - 0.1 * (L - 1);
  const d = Math.log10(lr) - Math.log10(1 - m) - uStar;
  const sLr = 0.25 * d ** 2 + 0.1 * Math.max(d, 0) ** 3;
  const sMom = 1.5 * (m - 0.9) ** 2;
  const sHidden = 0.05 * (Math.log2(h) - (8 - 0.5 * (L - 1))) ** 2;
  const sLayers = 0.02 * (L - 4) ** 2;
  const sInit =
    init === "zeros"
      ? 1.0
      : init === "random"
        ? 0.12
        : init === "xavier"
          ? 0.01 + 0.025 * (L - 1)
          : 0.1 - 0.025 * (L - 1);
  const sBatch = 0.02 * (b - 1) ** 2;
  const sDecay = 80 * (decay - (0.95 + 0.01 * b)) ** 2;
  const S = sLr + sMom + sHidden + sLayers + sInit + sBatch + sDecay;
  return 0.08 + 2.22 * (1 - Math.exp(-S));
}

const unitBox = (names: string[], low: number, high: number): Space =>
  names.map((name) => ({ name, type: "float" as const, low, high }));

export const benchmarkProblems: Record<BenchmarkProblemName, BenchmarkProblem> = {
  branin: {
    name: "branin",
    space: [
      { name: "x1", type: "float", low: -5, high: 10 },
      { name: "x2", type: "float", low: 0, high: 15 },
    ],
    optimum: 0.3978873577297384,
    evaluate: branin,
  },
  hartmann3: {
    name: "hartmann3",
    space: unitBox(["x1", "x2", "x3"], 0, 1),
    optimum: -3.862779787332663,
    evaluate: hartmann3,
  },
  rosenbrock4: {
    name: "rosenbrock4",
    space: unitBox(["x1", "x2", "x3", "x4"], -5, 10),
    optimum: 0,
    evaluate: rosenbrock4,
  },
  "mlp-surrogate-a": {
    name: "mlp-surrogate-a",
    space: [
      { name: "learning_rate", type: "float", low: 1e-5, high: 1, log: true },
      { name: "batch_size", type: "categorical", choices: [32, 64, 128, 256] },
      { name: "momentum", type: "float", low: 0, high: 0.99 },
      { name: "hidden_units", type: "int", low: 16, high: 512, log: true },
      { name: "layers", type: "int", low: 1, high: 5 },
      { name: "initializer", type: "categorical", choices: ["zeros", "random", "xavier", "he"] },
      { name: "lr_decay", type: "float", low: 0.9, high: 1 },
    ],
    optimum: 0.12395894525900335,
    evaluate: mlpSurrogateA,
  },
};
