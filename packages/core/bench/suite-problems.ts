import { benchmarkProblems, createRng, type BenchmarkProblem } from "@hpo/core";
import type { Params, Space } from "@hpo/contracts";
import { conditionalSuiteProblems } from "./suite-conditional-problems.js";

/**
 * The widened single-objective suite: classic test functions at several dimensions, on
 * asymmetric boxes, embedded in higher dimensions where few params matter, a mixed int/categorical space,
 * conditional spaces (suite-conditional-problems.ts) and a noisy objective. Definitions: Surjanovic & Bingham, Virtual Library of Simulation Experiments;
 * optima from the same source. `heldOut` problems are kept out of development: no default may be tuned on
 * them; they are only run to check a change that was decided on the others.
 * For the noisy problem, `evaluate` is what the optimizer sees and `trueValue` scores the trial it picked.
 */
export interface SuiteProblem extends Omit<BenchmarkProblem, "name"> {
  name: string;
  heldOut: boolean;
  trueValue?: (params: Params) => number;
}

const box = (d: number, low: number, high: number): Space =>
  Array.from({ length: d }, (_, i) => ({ name: `x${i + 1}`, type: "float" as const, low, high }));
const vec = (p: Params, d: number): number[] => Array.from({ length: d }, (_, i) => Number(p[`x${i + 1}`]));

const rastrigin = (x: readonly number[]): number =>
  10 * x.length + x.reduce((a, v) => a + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
const michalewicz = (x: readonly number[]): number =>
  -x.reduce((a, v, i) => a + Math.sin(v) * Math.sin(((i + 1) * v * v) / Math.PI) ** 20, 0);
const griewank = (x: readonly number[]): number =>
  1 +
  x.reduce((a, v) => a + (v * v) / 4000, 0) -
  x.reduce((a, v, i) => a * Math.cos(v / Math.sqrt(i + 1)), 1);
const schwefel = (x: readonly number[]): number =>
  418.9828872724338 * x.length - x.reduce((a, v) => a + v * Math.sin(Math.sqrt(Math.abs(v))), 0);
const zakharov = (x: readonly number[]): number => {
  const s2 = x.reduce((a, v, i) => a + 0.5 * (i + 1) * v, 0);
  return x.reduce((a, v) => a + v * v, 0) + s2 ** 2 + s2 ** 4;
};
const dixonPrice = (x: readonly number[]): number =>
  ((x[0] ?? 0) - 1) ** 2 + x.slice(1).reduce((a, v, i) => a + (i + 2) * (2 * v * v - (x[i] ?? 0)) ** 2, 0);
const powell = (x: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i + 3 < x.length; i += 4) {
    const [a, b, c, d] = [x[i] ?? 0, x[i + 1] ?? 0, x[i + 2] ?? 0, x[i + 3] ?? 0];
    s += (a + 10 * b) ** 2 + 5 * (c - d) ** 2 + (b - 2 * c) ** 4 + 10 * (a - d) ** 4;
  }
  return s;
};

function classic(
  name: string,
  d: number,
  low: number,
  high: number,
  f: (x: readonly number[]) => number,
  optimum: number,
  heldOut = false,
): SuiteProblem {
  return { name, heldOut, space: box(d, low, high), optimum, evaluate: (p) => f(vec(p, d)) };
}

/** A public problem whose params are x1..xk, embedded among `extra` irrelevant params. */
function embedded(base: BenchmarkProblem, extra: number, heldOut: boolean): SuiteProblem {
  const k = base.space.length;
  const space: Space = [
    ...base.space,
    ...Array.from({ length: extra }, (_, i) => ({
      name: `z${i + 1}`,
      type: "float" as const,
      low: 0,
      high: 1,
    })),
  ];
  return {
    name: `${base.name}-in-${k + extra}d`,
    heldOut,
    space,
    optimum: base.optimum,
    evaluate: (p) => base.evaluate(p),
  };
}

/**
 * A 2-D or 3-D function placed at the given (0-based) positions among `total` params x1..x{total}; every
 * other param is irrelevant, on [0, 1]. Unlike `embedded`, the relevant params are not the first ones: a
 * space-filling start-up projects best onto its first coordinates (Sobol's first two are a (0,2)-sequence),
 * and the ones a user would list are in no particular order.
 */
function embeddedAt(
  name: string,
  bounds: readonly (readonly [number, number])[],
  positions: readonly number[],
  total: number,
  f: (x: readonly number[]) => number,
  optimum: number,
): SuiteProblem {
  const at = new Map(positions.map((position, k) => [position, k]));
  const space: Space = Array.from({ length: total }, (_, i) => {
    const [low, high] = bounds[at.get(i) ?? -1] ?? [0, 1];
    return { name: `x${i + 1}`, type: "float" as const, low, high };
  });
  return {
    name,
    heldOut: false,
    space,
    optimum,
    evaluate: (p) => f(positions.map((position) => Number(p[`x${position + 1}`]))),
  };
}

/**
 * Goldstein–Price in the log form of Picheny, Wagner & Ginsbourger 2013 ("A benchmark of kriging-based
 * infill criteria for noisy optimization"): (log GP(x) − 8.693) / 2.427 on [−2, 2]², four local minima, the
 * global one GP(0, −1) = 3.
 */
const goldsteinPriceLog = (x: readonly number[]): number => {
  const [a, b] = [x[0] ?? 0, x[1] ?? 0];
  const p1 = 1 + (a + b + 1) ** 2 * (19 - 14 * a + 3 * a * a - 14 * b + 6 * a * b + 3 * b * b);
  const p2 = 30 + (2 * a - 3 * b) ** 2 * (18 - 32 * a + 12 * a * a + 48 * b - 36 * a * b + 27 * b * b);
  return (Math.log(p1 * p2) - 8.693) / 2.427;
};
/** Three-hump camel on [−5, 5]² (Surjanovic & Bingham): three local minima, the global f(0, 0) = 0. */
const threeHumpCamel = (x: readonly number[]): number => {
  const [a, b] = [x[0] ?? 0, x[1] ?? 0];
  return 2 * a * a - 1.05 * a ** 4 + a ** 6 / 6 + a * b + b * b;
};

/** Deterministic noise from the params (same params, same noise), N(0, sigma²). */
function noisy(base: BenchmarkProblem, sigma: number): SuiteProblem {
  return {
    name: `${base.name}-noisy`,
    heldOut: false,
    space: base.space,
    optimum: base.optimum,
    trueValue: (p) => base.evaluate(p),
    evaluate: (p) => {
      const key = base.space
        .map((s) => Number(p[s.name]))
        .reduce((h, v) => (h * 31 + Math.floor(v * 1e9)) % 2147483647, 7);
      return base.evaluate(p) + sigma * createRng(key, 0x4e4f4953).normal();
    },
  };
}

/** A mixed space: an int, a categorical with offsets, and two floats on asymmetric ranges. */
const mixedIntCat: SuiteProblem = {
  name: "mixed-int-cat",
  heldOut: false,
  space: [
    { name: "n", type: "int", low: 0, high: 40 },
    { name: "kind", type: "categorical", choices: ["a", "b", "c", "d", "e"] },
    { name: "u", type: "float", low: -1, high: 4 },
    { name: "v", type: "float", low: 1e-3, high: 10, log: true },
  ],
  optimum: 0,
  evaluate: (p) => {
    const offset: Record<string, number> = { a: 0.8, b: 0.3, c: 0, d: 0.5, e: 1.2 };
    const shift: Record<string, number> = { a: 0, b: 1, c: 2.5, d: -0.5, e: 1.5 };
    const kind = String(p.kind);
    const n = Number(p.n);
    const u = Number(p.u);
    const lv = Math.log10(Number(p.v));
    return (
      (offset[kind] ?? 1) +
      0.01 * (n - 27) ** 2 +
      (u - (shift[kind] ?? 0)) ** 2 +
      0.5 * (lv + 1) ** 2 * (1 + 0.2 * Math.abs(u))
    );
  },
};

export const suiteProblems: SuiteProblem[] = [
  classic("rastrigin2", 2, -5.12, 5.12, rastrigin, 0),
  classic("rastrigin5", 5, -5.12, 5.12, rastrigin, 0, true),
  classic("rastrigin3-asym", 3, -2, 7, rastrigin, 0),
  classic("michalewicz2", 2, 0, Math.PI, michalewicz, -1.8013034100985537),
  classic("michalewicz5", 5, 0, Math.PI, michalewicz, -4.687658, true),
  classic("griewank4", 4, -50, 80, griewank, 0),
  classic("schwefel2", 2, -500, 500, schwefel, 0),
  classic("zakharov4", 4, -5, 10, zakharov, 0),
  classic("zakharov8", 8, -5, 10, zakharov, 0, true),
  classic("dixon-price4", 4, -10, 10, dixonPrice, 0),
  classic("powell4", 4, -4, 5, powell, 0, true),
  classic("powell8", 8, -4, 5, powell, 0),
  embedded(benchmarkProblems.hartmann3, 7, false),
  embedded(benchmarkProblems.branin, 6, true),
  embeddedAt(
    "goldstein-price-in-8d",
    [
      [-2, 2],
      [-2, 2],
    ],
    [2, 5],
    8,
    goldsteinPriceLog,
    (Math.log(3) - 8.693) / 2.427,
  ),
  embeddedAt(
    "three-hump-camel-in-7d",
    [
      [-5, 5],
      [-5, 5],
    ],
    [1, 4],
    7,
    threeHumpCamel,
    0,
  ),
  mixedIntCat,
  ...conditionalSuiteProblems,
  noisy(benchmarkProblems.hartmann3, 0.1),
];
