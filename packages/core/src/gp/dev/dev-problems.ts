import type { Params, Space } from "../../space/space-schema.js";

/**
 * Development-only copies of the public benchmark problems (../../shared/bench/problems.json) plus a few
 * extra, unseen-style problems (Ackley-6, Levy-8, a conditional mixed space) used to check that the GP is
 * not tuned to the public four. The bench harness of the core package is the reference for reported numbers.
 */
export interface DevProblem {
  name: string;
  space: Space;
  optimum: number;
  evaluate(params: Params): number;
}

const num = (p: Params, k: string): number => {
  const v = p[k];
  return typeof v === "number" ? v : 0;
};

const branin: DevProblem = {
  name: "branin",
  space: [
    { name: "x1", type: "float", low: -5, high: 10 },
    { name: "x2", type: "float", low: 0, high: 15 },
  ],
  optimum: 0.3978873577297384,
  evaluate(p) {
    const x1 = num(p, "x1");
    const x2 = num(p, "x2");
    const b = 5.1 / (4 * Math.PI * Math.PI);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_A = [
  [3.0, 10, 30],
  [0.1, 10, 35],
  [3.0, 10, 30],
  [0.1, 10, 35],
];
const H_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.0381, 0.5743, 0.8828],
];
const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const hartmann3: DevProblem = {
  name: "hartmann3",
  space: ["x1", "x2", "x3"].map((name) => ({ name, type: "float" as const, low: 0, high: 1 })),
  optimum: -3.862779787332663,
  evaluate(p) {
    const x = [num(p, "x1"), num(p, "x2"), num(p, "x3")];
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let e = 0;
      for (let j = 0; j < 3; j++) e += (H_A[i]?.[j] ?? 0) * ((x[j] ?? 0) - (H_P[i]?.[j] ?? 0)) ** 2;
      s -= (H_ALPHA[i] ?? 0) * Math.exp(-e);
    }
    return s;
  },
};

const rosenbrock4: DevProblem = {
  name: "rosenbrock4",
  space: ["x1", "x2", "x3", "x4"].map((name) => ({ name, type: "float" as const, low: -5, high: 10 })),
  optimum: 0,
  evaluate(p) {
    const x = [num(p, "x1"), num(p, "x2"), num(p, "x3"), num(p, "x4")];
    let s = 0;
    for (let i = 0; i < 3; i++) s += 100 * ((x[i + 1] ?? 0) - (x[i] ?? 0) ** 2) ** 2 + ((x[i] ?? 0) - 1) ** 2;
    return s;
  },
};

const mlp: DevProblem = {
  name: "mlp-surrogate-a",
  space: [
    { name: "learning_rate", type: "float", low: 1e-5, high: 1, log: true },
    { name: "batch_size", type: "categorical", choices: [32, 64, 128, 256] },
    { name: "momentum", type: "float", low: 0, high: 0.99 },
    { name: "hidden_units", type: "int", low: 16, high: 512, log: true },
    { name: "layers", type: "int", low: 1, high: 5 },
    { name: "initializer", type: "categorical", choices: ["zeros", "random", "xavier", "he"] },
    { name: "lr_decay", type: "float", low: 0.9, high: 1.0 },
  ],
  optimum: 0.12395894525900335,
  evaluate(p) {
    const lr = num(p, "learning_rate");
    const m = num(p, "momentum");
    const h = num(p, "hidden_units");
    const L = num(p, "layers");
    const init = String(p.initializer);
    const b = Math.log2(num(p, "batch_size") / 32);
    const sInit: Record<string, number> = { zeros: 0, random: -0.5, xavier: 0, he: -0.25 };
    const uStar = -2 + 0.25 * b + (sInit[init] ?? 0) - 0.1 * (L - 1);
    const d = Math.log10(lr) - Math.log10(1 - m) - uStar;
    const sLr = 0.25 * d * d + 0.1 * Math.max(d, 0) ** 3;
    const sMom = 1.5 * (m - 0.9) ** 2;
    const sHidden = 0.05 * (Math.log2(h) - (8 - 0.5 * (L - 1))) ** 2;
    const sLayers = 0.02 * (L - 4) ** 2;
    const sInitPen: Record<string, number> = {
      zeros: 1.0,
      random: 0.12,
      xavier: 0.01 + 0.025 * (L - 1),
      he: 0.1 - 0.025 * (L - 1),
    };
    const sBatch = 0.02 * (b - 1) ** 2;
    const sDecay = 80 * (num(p, "lr_decay") - (0.95 + 0.01 * b)) ** 2;
    const S = sLr + sMom + sHidden + sLayers + (sInitPen[init] ?? 0) + sBatch + sDecay;
    return 0.08 + 2.22 * (1 - Math.exp(-S));
  },
};

/** Extra problems, not public ones: a check against tuning to the four. */
const ackley6: DevProblem = {
  name: "ackley6",
  space: Array.from({ length: 6 }, (_, i) => ({
    name: `x${i}`,
    type: "float" as const,
    low: -32.768,
    high: 20,
  })),
  optimum: 0,
  evaluate(p) {
    const x = Array.from({ length: 6 }, (_, i) => num(p, `x${i}`));
    const s1 = x.reduce((a, v) => a + v * v, 0) / 6;
    const s2 = x.reduce((a, v) => a + Math.cos(2 * Math.PI * v), 0) / 6;
    return -20 * Math.exp(-0.2 * Math.sqrt(s1)) - Math.exp(s2) + 20 + Math.E;
  },
};

const levy8: DevProblem = {
  name: "levy8",
  space: Array.from({ length: 8 }, (_, i) => ({ name: `x${i}`, type: "float" as const, low: -10, high: 10 })),
  optimum: 0,
  evaluate(p) {
    const w = Array.from({ length: 8 }, (_, i) => 1 + (num(p, `x${i}`) - 1) / 4);
    const w0 = w[0] ?? 0;
    const wd = w[7] ?? 0;
    let s = Math.sin(Math.PI * w0) ** 2;
    for (let i = 0; i < 7; i++) {
      const wi = w[i] ?? 0;
      s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
    }
    s += (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
    return s;
  },
};

const conditionalMixed: DevProblem = {
  name: "cond-mixed",
  space: [
    { name: "opt", type: "categorical", choices: ["sgd", "momentum", "adam"] },
    { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
    { name: "m", type: "float", low: 0, high: 0.99, when: { opt: "momentum" } },
    { name: "beta2", type: "float", low: 0.9, high: 0.9999, when: { opt: "adam" } },
    { name: "units", type: "int", low: 8, high: 256, log: true },
    { name: "dropout", type: "float", low: 0, high: 0.8, step: 0.05 },
    { name: "act", type: "categorical", choices: ["relu", "tanh", "gelu"] },
  ],
  optimum: 0.05,
  evaluate(p) {
    const opt = String(p.opt);
    const lr = Math.log10(num(p, "lr"));
    let target = -1.5;
    let extra = 0.2;
    if (opt === "momentum") {
      const m = num(p, "m");
      target = -2.2 + Math.log10(1 / (1 - m)) * -0.8;
      extra = 0.3 * (m - 0.9) ** 2 + 0.05;
    } else if (opt === "adam") {
      target = -3.1;
      extra = 200 * (num(p, "beta2") - 0.999) ** 2;
    }
    const u = Math.log2(num(p, "units"));
    const act = String(p.act);
    const actPen = act === "gelu" ? 0 : act === "relu" ? 0.03 : 0.12;
    const S =
      0.3 * (lr - target) ** 2 + extra + 0.04 * (u - 6.5) ** 2 + 2 * (num(p, "dropout") - 0.25) ** 2 + actPen;
    return 0.05 + 2 * (1 - Math.exp(-S));
  },
};

export const devProblems: Record<string, DevProblem> = {
  branin,
  hartmann3,
  rosenbrock4,
  "mlp-surrogate-a": mlp,
  ackley6,
  levy8,
  "cond-mixed": conditionalMixed,
};
