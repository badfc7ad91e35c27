import { describe, expect, it } from "vitest";
import type { Params } from "@hpo/contracts";
import { suiteProblems } from "../../bench/suite-problems.js";
import { warmStartPairs } from "../../bench/warm-start-bench.js";
import { createRng } from "../rng/create-rng.js";
import { validateStudyDefinition } from "../definition/validate-study-definition.js";

/** The optima the widened suite and the warm-start pairs score against (a wrong optimum fakes regrets). */
const xs = (values: readonly number[], extra: Params = {}): Params =>
  Object.fromEntries([...values.map((v, i) => [`x${i + 1}`, v]), ...Object.entries(extra)]) as Params;

const argmins: Record<string, Params> = {
  rastrigin2: xs([0, 0]),
  rastrigin5: xs([0, 0, 0, 0, 0]),
  "rastrigin3-asym": xs([0, 0, 0]),
  michalewicz2: xs([2.2029055, 1.5707963]),
  griewank4: xs([0, 0, 0, 0]),
  schwefel2: xs([420.9687463, 420.9687463]),
  zakharov4: xs([0, 0, 0, 0]),
  zakharov8: xs(new Array<number>(8).fill(0)),
  "dixon-price4": xs([1, 2, 3, 4].map((i) => 2 ** (-(2 ** i - 2) / 2 ** i))),
  powell4: xs([0, 0, 0, 0]),
  powell8: xs(new Array<number>(8).fill(0)),
  "hartmann3-in-10d": {
    ...xs([0.114614, 0.555649, 0.852547]),
    ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`z${i + 1}`, 0.3])),
  },
  "branin-in-8d": {
    ...xs([Math.PI, 2.275]),
    ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`z${i + 1}`, 0.7])),
  },
  "mixed-int-cat": { n: 27, kind: "c", u: 2.5, v: 0.1 },
  "conditional-mlp": {
    optimizer: "adam",
    learning_rate: 1e-3,
    beta2: 0.999,
    layers: 3,
    units1: 256,
    units2: 128,
    units3: 64,
    dropout: 0.3,
  },
  "conditional-gbm": {
    booster: "tree",
    eta: 0.1,
    rounds: 300,
    max_depth: 6,
    subsample: 0.8,
    regularizer: "l2",
    l2_weight: 4,
    colsample: 0.7,
  },
  "conditional-cnn": {
    schedule: "cosine",
    learning_rate: 0.1,
    batch_size: 128,
    warmup_epochs: 3,
    augment: "randaugment",
    strength: 9,
    weight_decay: 10 ** -3.3,
  },
  // The relevant params sit at x3, x6 and x2, x5; the others are irrelevant.
  "goldstein-price-in-8d": xs([0.4, 0.9, 0, 0.1, 0.5, -1, 0.7, 0.2]),
  "three-hump-camel-in-7d": xs([0.3, 0, 0.8, 0.1, 0, 0.6, 0.9]),
};

function randomParams(problem: (typeof suiteProblems)[number], rng: ReturnType<typeof createRng>): Params {
  const p: Params = {};
  for (const s of problem.space) {
    if (s.type === "categorical") p[s.name] = s.choices[rng.nextInt(s.choices.length)] ?? 0;
    else if (s.type === "int") p[s.name] = s.low + rng.nextInt(s.high - s.low + 1);
    else p[s.name] = s.low + rng.next() * (s.high - s.low);
  }
  return p;
}

describe("widened suite problems", () => {
  it.each(suiteProblems.filter((p) => argmins[p.name] !== undefined).map((p) => [p.name, p] as const))(
    "%s reaches its stated optimum at its known minimizer and nowhere lower",
    (_, problem) => {
      const at = argmins[problem.name] ?? {};
      expect(problem.evaluate(at)).toBeCloseTo(problem.optimum, 4);
      const rng = createRng(5, problem.name.length);
      for (let k = 0; k < 2000; k++)
        expect(problem.evaluate(randomParams(problem, rng))).toBeGreaterThan(problem.optimum - 1e-6);
    },
  );

  it("the noisy problem is deterministic per point and scores the noise-free value", () => {
    const noisy = suiteProblems.find((p) => p.name === "hartmann3-noisy");
    const at = xs([0.3, 0.4, 0.5]);
    expect(noisy?.evaluate(at)).toBe(noisy?.evaluate(at));
    expect(noisy?.evaluate(at)).not.toBe(noisy?.trueValue?.(at));
  });

  it("the conditional problems are valid spaces and read only the params their branch makes active", () => {
    for (const name of ["conditional-mlp", "conditional-gbm", "conditional-cnn"]) {
      const problem = suiteProblems.find((p) => p.name === name);
      if (problem === undefined) throw new Error(`missing ${name}`);
      const checked = validateStudyDefinition({
        name,
        objective: { metric: "loss", direction: "minimize" },
        space: problem.space,
        budget: { maxTrials: 40 },
      });
      expect(checked.ok ? [] : checked.issues).toEqual([]);
      expect(checked.ok).toBe(true);
      const at = argmins[name] ?? {};
      const inactive: Params = {
        momentum: 0.1,
        rho: 0.99,
        units4: 1024,
        decay_factor: 0.9,
        decay_every: 5,
        rate_drop: 0.5,
      };
      expect(problem.evaluate({ ...at, ...inactive })).toBe(problem.evaluate(at));
    }
  });

  it("warm-start targets keep their optimum inside the box (the optimum moved, its value did not)", () => {
    const pairs = warmStartPairs();
    const branin = pairs[0]?.target;
    expect(branin?.evaluate({ x1: Math.PI + 0.75, x2: 2.275 + 0.75 })).toBeCloseTo(0.397887, 5);
    const h3 = pairs[1]?.target;
    expect(h3?.evaluate(xs([0.164614, 0.605649, 0.902547]))).toBeCloseTo(-3.86278, 4);
    const mirrored = pairs[3]?.target;
    expect(mirrored?.evaluate(xs([1 - 0.114614, 1 - 0.555649, 1 - 0.852547]))).toBeCloseTo(-3.86278, 4);
  });
});
