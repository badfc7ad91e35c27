import { readFileSync } from "node:fs";
import type { Space } from "@hpo/contracts";

/**
 * The multi-objective and constrained problems of bench/data/mo-problems.json (a copy of the shared
 * benchmark file), re-implemented from their formulas; `checkTestPoints` must pass before any figure counts.
 */
export interface MoProblem {
  name: string;
  kind: "mo" | "constrained";
  space: Space;
  objectives: number;
  budget: number;
  /** Objective values (minimized) and, for constrained problems, constraint values (<= 0 feasible). */
  evaluate(x: readonly number[]): { f: number[]; c: number[] };
  ref?: number[];
  trueHv?: number;
  optimum?: number;
  testPoints: { x: number[]; f: number[] | number; c?: number[] }[];
}

interface RawProblem {
  name: string;
  dim?: number;
  ref?: number[];
  trueHv?: number;
  optimum?: number;
  testPoints: { x: number[]; f: number[] | number; c?: number[] }[];
}

const dataUrl = new URL("./data/mo-problems.json", import.meta.url);
const raw = JSON.parse(readFileSync(dataUrl, "utf8")) as {
  multiObjective: RawProblem[];
  constrained: RawProblem[];
};

const unitSpace = (dim: number): Space =>
  Array.from({ length: dim }, (_, i) => ({ name: `x${i}`, type: "float" as const, low: 0, high: 1 }));

const zdtG = (x: readonly number[]): number => {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += x[i] ?? 0;
  return 1 + (9 * s) / (x.length - 1);
};

const formulas: Record<string, (x: readonly number[]) => { f: number[]; c: number[] }> = {
  zdt1: (x) => {
    const g = zdtG(x);
    const f1 = x[0] ?? 0;
    return { f: [f1, g * (1 - Math.sqrt(f1 / g))], c: [] };
  },
  zdt2: (x) => {
    const g = zdtG(x);
    const f1 = x[0] ?? 0;
    return { f: [f1, g * (1 - (f1 / g) ** 2)], c: [] };
  },
  dtlz2: (x) => {
    let g = 0;
    for (let i = 2; i < x.length; i++) g += ((x[i] ?? 0) - 0.5) ** 2;
    const a = ((x[0] ?? 0) * Math.PI) / 2;
    const b = ((x[1] ?? 0) * Math.PI) / 2;
    return {
      f: [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)],
      c: [],
    };
  },
  gramacy: (x) => {
    const x0 = x[0] ?? 0;
    const x1 = x[1] ?? 0;
    return {
      f: [x0 + x1],
      c: [1.5 - x0 - 2 * x1 - 0.5 * Math.sin(2 * Math.PI * (x0 * x0 - 2 * x1)), x0 * x0 + x1 * x1 - 1.5],
    };
  },
};

function build(p: RawProblem, kind: MoProblem["kind"]): MoProblem {
  const evaluate = formulas[p.name];
  if (evaluate === undefined) throw new Error(`no formula for ${p.name}`);
  const dim = p.testPoints[0]?.x.length ?? p.dim ?? 2;
  const objectives = Array.isArray(p.testPoints[0]?.f) ? p.testPoints[0].f.length : 1;
  const problem: MoProblem = {
    name: p.name,
    kind,
    space: unitSpace(dim),
    objectives,
    budget: kind === "mo" ? 100 : 60,
    evaluate,
    testPoints: p.testPoints,
  };
  if (p.ref !== undefined) problem.ref = p.ref;
  if (p.trueHv !== undefined) problem.trueHv = p.trueHv;
  if (p.optimum !== undefined) problem.optimum = p.optimum;
  return problem;
}

export const moProblems: MoProblem[] = [
  ...raw.multiObjective.map((p) => build(p, "mo")),
  ...raw.constrained.map((p) => build(p, "constrained")),
];

/** Throws unless every test point is reproduced to 1e-12 relative error. */
export function checkTestPoints(problem: MoProblem): void {
  for (const tp of problem.testPoints) {
    const got = problem.evaluate(tp.x);
    const want = [...(Array.isArray(tp.f) ? tp.f : [tp.f]), ...(tp.c ?? [])];
    const have = [...got.f, ...(tp.c === undefined ? [] : got.c)];
    want.forEach((w, i) => {
      const h = have[i] ?? Number.NaN;
      if (!(Math.abs(h - w) <= 1e-12 * Math.max(1, Math.abs(w))))
        throw new Error(`${problem.name}: test point ${JSON.stringify(tp.x)} gives ${h}, expected ${w}`);
    });
  }
}
