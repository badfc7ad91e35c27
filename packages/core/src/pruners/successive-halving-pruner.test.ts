import type { Direction, PrunerConfigInput } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import type { HistoryTrial, TrialStateForSampler } from "../samplers/sampler-types.js";
import { createPruner } from "./create-pruner.js";
import { computeRungStep } from "./successive-halving-pruner.js";

/** A trial that reported `value` at each of the given steps. */
function makeTrial(
  number: number,
  steps: number[],
  value: number,
  state: TrialStateForSampler = "running",
): HistoryTrial {
  return { number, params: {}, state, reports: steps.map((step) => ({ step, value })) };
}

function decide(
  config: PrunerConfigInput,
  reports: { step: number; value: number }[],
  trials: HistoryTrial[],
  direction: Direction = "minimize",
) {
  return createPruner(config).decide({ direction, trial: { number: 50, reports }, trials, state: null });
}

const sha = { type: "successive-halving", minResource: 1, reductionFactor: 2 } as const;

describe("successive halving (ASHA, Li et al. 2020)", () => {
  it("places rung k at minResource · η^(s + k)", () => {
    const rule = { minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 };
    expect([0, 1, 2, 3].map((k) => computeRungStep(rule, k))).toEqual([1, 3, 9, 27]);
    expect(computeRungStep({ ...rule, minEarlyStoppingRate: 1 }, 0)).toBe(3);
    expect(computeRungStep({ minResource: 2, reductionFactor: 4, minEarlyStoppingRate: 0 }, 2)).toBe(32);
  });

  it("lets the first trial to reach a rung continue", () => {
    expect(decide(sha, [{ step: 1, value: 100 }], []).prune).toBe(false);
  });

  it("while fewer than η trials reached the rung, continues only the best so far", () => {
    const others = [makeTrial(0, [1], 5)];
    expect(decide(sha, [{ step: 1, value: 6 }], others).prune).toBe(true);
    expect(decide(sha, [{ step: 1, value: 5 }], others).prune).toBe(false);
    expect(decide(sha, [{ step: 1, value: 4 }], others).prune).toBe(false);
  });

  it("continues a trial in the top ⌊n/η⌋ of the n trials at the rung", () => {
    // η = 2, 7 others + this = 8 values: the top 4 continue.
    const others = [1, 2, 3, 4, 5, 6, 7].map((v, i) => makeTrial(i, [1], v, "complete"));
    expect(decide(sha, [{ step: 1, value: 3.5 }], others).prune).toBe(false);
    expect(decide(sha, [{ step: 1, value: 4 }], others).prune).toBe(false);
    const pruned = decide(sha, [{ step: 1, value: 4.5 }], others);
    expect(pruned.prune).toBe(true);
    expect(pruned.reason).toBe(
      "value 4.5 at rung 0 (step 1) is not in the top 1/2 of the 8 trials that reached it",
    );
  });

  it("is direction aware", () => {
    const others = [1, 2, 3].map((v, i) => makeTrial(i, [1], v));
    // η = 2, 4 values, top 2 continue: for maximize those are 3 and this trial if >= 2.
    expect(decide(sha, [{ step: 1, value: 2.5 }], others, "maximize").prune).toBe(false);
    expect(decide(sha, [{ step: 1, value: 1.5 }], others, "maximize").prune).toBe(true);
    expect(decide(sha, [{ step: 1, value: 1.5 }], others, "minimize").prune).toBe(false);
  });

  it("decides only on the report that first crosses a rung; between rungs it never prunes", () => {
    const others = [makeTrial(0, [1, 2, 3, 4], 0)];
    // Reached rung 0 (step 1) as the best then; step 2 and 3 are between rungs 1 and 2 (steps 2, 4).
    const reports = [
      { step: 1, value: 10 },
      { step: 2, value: 10 },
      { step: 3, value: 10 },
    ];
    // Step 2 is rung 1: worse than trial 0 there, pruned at that report.
    expect(decide(sha, reports.slice(0, 2), others).prune).toBe(true);
    // Had it survived step 2 (decided earlier), step 3 crosses no rung and never prunes.
    expect(decide(sha, reports, others).prune).toBe(false);
  });

  it("treats a promotion as final: rung 0 is not re-judged when better trials arrive later", () => {
    const laterBetter = [0.1, 0.2, 0.3].map((v, i) => makeTrial(i, [1], v));
    const reports = [
      { step: 1, value: 5 },
      { step: 2, value: 5 },
      { step: 3, value: 5 },
    ];
    // Step 3 is not a rung (rungs 1, 2, 4): nothing to decide even though rung 0 now looks bad.
    expect(decide(sha, reports, laterBetter).prune).toBe(false);
  });

  it("a report jumping over several rungs is judged at each of them", () => {
    // Trial 0: 5 at step 1 (rung 0), then 0 at step 4, its value at rungs 1 (step 2) and 2 (step 4).
    const others: HistoryTrial[] = [
      {
        number: 0,
        params: {},
        state: "running",
        reports: [
          { step: 1, value: 5 },
          { step: 4, value: 0 },
        ],
      },
    ];
    const decision = decide(sha, [{ step: 4, value: 1 }], others);
    expect(decision.prune).toBe(true);
    expect(decision.reason).toContain("rung 1 (step 2)");
    expect(decide(sha, [{ step: 4, value: -1 }], others).prune).toBe(false);
  });

  it("records a trial's value at a rung as its first report at or past the rung step", () => {
    // Trial 0 reported step 3 (value 0), never step 2: it counts at rung 1 (step 2) with value 0.
    const others: HistoryTrial[] = [
      {
        number: 0,
        params: {},
        state: "running",
        reports: [
          { step: 1, value: 9 },
          { step: 3, value: 0 },
        ],
      },
    ];
    const reports = [
      { step: 1, value: 1 },
      { step: 2, value: 1 },
    ];
    expect(decide(sha, reports, others).prune).toBe(true);
  });

  it("with minEarlyStoppingRate s, nothing is pruned before step minResource · η^s", () => {
    const config = { ...sha, minEarlyStoppingRate: 2 } as const;
    const others = [makeTrial(0, [1, 2, 3, 4], 0)];
    const reports = [1, 2, 3].map((step) => ({ step, value: 100 }));
    expect(decide(config, reports, others).prune).toBe(false);
    expect(decide(config, [...reports, { step: 4, value: 100 }], others).prune).toBe(true);
  });

  it("prunes a NaN value at a rung and ignores NaN competitors", () => {
    expect(decide(sha, [{ step: 1, value: Number.NaN }], []).prune).toBe(true);
    const nanOthers = [makeTrial(0, [1], Number.NaN), makeTrial(1, [1], Number.NaN)];
    expect(decide(sha, [{ step: 1, value: 7 }], nanOthers).prune).toBe(false);
  });

  it("counts every trial that reached the rung, whatever its state now", () => {
    const others = [
      makeTrial(0, [1], 1, "pruned"),
      makeTrial(1, [1], 1, "failed"),
      makeTrial(2, [1], 1, "complete"),
    ];
    // 4 values, η = 2: the top 2 (value 1, 1) continue; 2 is pruned.
    expect(decide(sha, [{ step: 1, value: 2 }], others).prune).toBe(true);
  });

  it("keeps no state", () => {
    expect(decide(sha, [{ step: 1, value: 1 }], []).state).toBeNull();
  });
});
