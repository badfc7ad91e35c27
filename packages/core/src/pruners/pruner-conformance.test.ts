import type { Direction, PrunerConfigInput } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { createPruner } from "./create-pruner.js";
import { assignBracket, computeBracketLayout } from "./hyperband-pruner.js";
import type { Pruner } from "./pruner-types.js";
import { simulatePrunedStudy } from "./simulate-pruned-study.js";

/**
 * Synthetic learning curves: trial n converges to its quality q(n) as loss(step) = q + 20 / step (steps 1..9).
 * Curves never cross, so the best trial is best at every step. q is a permutation of 0..29 that puts the best
 * trial (q = 0) at number 17, in the middle of the study; trials BAD_TRIALS are clearly bad (q = 100).
 */
const TRIALS = 30;
const STEPS = 9;
const BEST_TRIAL = 17;
const BAD_TRIALS = [12, 21, 26];

function quality(n: number): number {
  return BAD_TRIALS.includes(n) ? 100 : (n * 17 + 11) % TRIALS;
}

function makeCurves(direction: Direction): number[][] {
  const sign = direction === "minimize" ? 1 : -1; // maximize: accuracy-like curves, mirrored
  return Array.from({ length: TRIALS }, (_, n) =>
    Array.from({ length: STEPS }, (_, k) => sign * (quality(n) + 20 / (k + 1))),
  );
}

const hyperband = { type: "hyperband", minResource: 1, maxResource: 9, reductionFactor: 3 } as const;
const hyperbandLayout = computeBracketLayout(1, 9, 3);
const lastBracket = hyperbandLayout.bracketCount - 1;

const configs: [string, PrunerConfigInput][] = [
  ["median", { type: "median" }],
  ["median with warm-up", { type: "median", warmupSteps: 3, minTrials: 3 }],
  ["percentile 25", { type: "percentile", percentile: 25 }],
  ["successive-halving", { type: "successive-halving" }],
  ["successive-halving η=3 s=1", { type: "successive-halving", reductionFactor: 3, minEarlyStoppingRate: 1 }],
  ["hyperband", hyperband],
  ["hyperband auto maxResource", { type: "hyperband", reductionFactor: 3 }],
  ["dominance (one objective)", { type: "dominance" }],
];

/** Wraps a pruner so it never sees its previous state, as a study rebuilt from history without it. */
function forgetState(pruner: Pruner): Pruner {
  return { type: pruner.type, decide: (req) => pruner.decide({ ...req, state: null }) };
}

describe.each(configs)("pruner conformance: %s", (_label, config) => {
  describe.each([
    ["minimize", 1],
    ["minimize", 4],
    ["maximize", 1],
    ["maximize", 4],
  ] as const)("%s, parallelism %i", (direction, parallelism) => {
    const run = () =>
      simulatePrunedStudy({
        pruner: createPruner(config),
        direction,
        curves: makeCurves(direction),
        parallelism,
      });
    const study = run();

    it("never prunes the best curve", () => {
      expect(study.prunedAtStep[BEST_TRIAL]).toBeUndefined();
      expect(study.trials[BEST_TRIAL]?.state).toBe("complete");
    });

    it("prunes the clearly bad curves (except in Hyperband's no-pruning bracket)", () => {
      for (const n of BAD_TRIALS) {
        const exempt = config.type === "hyperband" && assignBracket(n, hyperbandLayout) === lastBracket;
        if (exempt) expect(study.prunedAtStep[n]).toBeUndefined();
        else expect(study.prunedAtStep[n], `trial ${n}`).toBeDefined();
      }
    });

    it("respects its warm-up: nothing is pruned before the first step it may decide", () => {
      const earliest =
        config.type === "median"
          ? (config.warmupSteps ?? 0)
          : config.type === "successive-halving"
            ? (config.reductionFactor ?? 4) ** (config.minEarlyStoppingRate ?? 0)
            : 1;
      for (const step of study.prunedAtStep)
        if (step !== undefined) expect(step).toBeGreaterThanOrEqual(earliest);
    });

    it("is deterministic and gives the same decisions with its state JSON round-tripped or dropped", () => {
      expect(run()).toEqual(study);
      const raw = simulatePrunedStudy({
        pruner: createPruner(config),
        direction,
        curves: makeCurves(direction),
        parallelism,
        roundTripState: false,
      });
      expect(raw).toEqual(study);
      const rebuilt = simulatePrunedStudy({
        pruner: forgetState(createPruner(config)),
        direction,
        curves: makeCurves(direction),
        parallelism,
      });
      expect(rebuilt.prunedAtStep).toEqual(study.prunedAtStep);
    });

    it("saves training budget: fewer steps are run than without pruning", () => {
      const stepsRun = study.trials.reduce((sum, t) => sum + t.reports.length, 0);
      expect(stepsRun).toBeLessThan(TRIALS * STEPS);
      expect(study.reasons.every((r) => r.length > 0)).toBe(true);
    });
  });
});

describe("the none pruner over the same curves", () => {
  it("runs every trial to completion", () => {
    const study = simulatePrunedStudy({
      pruner: createPruner({ type: "none" }),
      direction: "minimize",
      curves: makeCurves("minimize"),
    });
    expect(study.prunedAtStep.every((s) => s === undefined)).toBe(true);
    expect(study.trials.every((t) => t.state === "complete" && t.reports.length === STEPS)).toBe(true);
  });
});
