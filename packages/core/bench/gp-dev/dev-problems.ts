import type { Params, Space } from "@hpo/contracts";
import { benchmarkProblems } from "../../src/bench-problems/benchmark-problems.js";

/**
 * The public benchmark problems (core's benchmarkProblems) plus a few extra, unseen-style problems
 * (Ackley-6, Levy-8, a conditional mixed space) used to check that the GP is not tuned to the public four.
 * The optimizer bench (packages/core/bench/run-optimizer-bench.ts) is the reference for reported numbers.
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
  ...benchmarkProblems,
  ackley6,
  levy8,
  "cond-mixed": conditionalMixed,
};
