import type { BenchmarkProblem } from "@hpo/core";
import type { Params, Space } from "@hpo/contracts";

/**
 * Held-out problems of the same kinds as the public four (continuous 2–6-D multimodal, and a mixed
 * conditional "neural-net-like" space), used to check that sampler defaults are not tuned to the public
 * four. Classic definitions: Surjanovic & Bingham, Virtual Library of Simulation Experiments.
 */
type ExtraProblem = Omit<BenchmarkProblem, "name"> & { name: string };

const box = (d: number, low: number, high: number): Space =>
  Array.from({ length: d }, (_, i) => ({ name: `x${i + 1}`, type: "float" as const, low, high }));
const vec = (p: Params, d: number): number[] => Array.from({ length: d }, (_, i) => Number(p[`x${i + 1}`]));

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

export const extraProblems: ExtraProblem[] = [
  {
    name: "hartmann6",
    space: box(6, 0, 1),
    optimum: -3.32237,
    evaluate: (p) => {
      const x = vec(p, 6);
      let total = 0;
      [1.0, 1.2, 3.0, 3.2].forEach((alpha, i) => {
        let inner = 0;
        for (let j = 0; j < 6; j++) inner += (H6_A[i]?.[j] ?? 0) * ((x[j] ?? 0) - (H6_P[i]?.[j] ?? 0)) ** 2;
        total += alpha * Math.exp(-inner);
      });
      return -total;
    },
  },
  {
    name: "ackley5",
    space: box(5, -32.768, 32.768),
    optimum: 0,
    evaluate: (p) => {
      const x = vec(p, 5);
      const s1 = x.reduce((a, v) => a + v * v, 0) / 5;
      const s2 = x.reduce((a, v) => a + Math.cos(2 * Math.PI * v), 0) / 5;
      return -20 * Math.exp(-0.2 * Math.sqrt(s1)) - Math.exp(s2) + 20 + Math.E;
    },
  },
  {
    name: "levy4",
    space: box(4, -10, 10),
    optimum: 0,
    evaluate: (p) => {
      const w = vec(p, 4).map((v) => 1 + (v - 1) / 4);
      const w0 = w[0] ?? 0;
      const wd = w[3] ?? 0;
      let s = Math.sin(Math.PI * w0) ** 2 + (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
      for (let i = 0; i < 3; i++) {
        const wi = w[i] ?? 0;
        s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
      }
      return s;
    },
  },
  {
    name: "styblinski3",
    space: box(3, -5, 5),
    optimum: -39.16617 * 3,
    evaluate: (p) => vec(p, 3).reduce((a, v) => a + (v ** 4 - 16 * v ** 2 + 5 * v) / 2, 0),
  },
  {
    name: "six-hump-camel",
    space: [
      { name: "x1", type: "float", low: -3, high: 3 },
      { name: "x2", type: "float", low: -2, high: 2 },
    ],
    optimum: -1.0316284534898774,
    evaluate: (p) => {
      const [x, y] = vec(p, 2) as [number, number];
      return (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
    },
  },
  {
    name: "mixed-conditional",
    space: [
      { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
      { name: "optimizer", type: "categorical", choices: ["sgd", "momentum", "adam"] },
      { name: "momentum", type: "float", low: 0.5, high: 0.999, when: { optimizer: "momentum" } },
      { name: "beta2", type: "float", low: 0.9, high: 0.9999, log: true, when: { optimizer: "adam" } },
      { name: "width", type: "int", low: 8, high: 1024, log: true },
      { name: "depth", type: "int", low: 1, high: 8 },
      { name: "dropout", type: "float", low: 0, high: 0.6, step: 0.05 },
      { name: "activation", type: "categorical", choices: ["relu", "tanh", "gelu"] },
    ],
    optimum: 0.05,
    evaluate: (p) => {
      const opt = String(p.optimizer);
      const best = opt === "adam" ? -3 : opt === "momentum" ? -2.2 : -1.2;
      const d = Math.log10(Number(p.lr)) - best;
      let s = 0.3 * d * d + (opt === "sgd" ? 0.15 : 0);
      if (opt === "momentum") s += 4 * (Number(p.momentum) - 0.92) ** 2;
      if (opt === "adam") s += 30 * (Math.log10(1 - Number(p.beta2)) + 3) ** 2 * 0.01;
      const depth = Number(p.depth);
      s += 0.04 * (Math.log2(Number(p.width)) - (6 + 0.3 * depth)) ** 2 + 0.03 * (depth - 4) ** 2;
      s += 2 * (Number(p.dropout) - (0.1 * Math.min(depth, 4)) / 2) ** 2;
      s += p.activation === "gelu" ? 0 : p.activation === "relu" ? 0.03 : 0.1;
      return 0.05 + 2 * (1 - Math.exp(-s));
    },
  },
];
