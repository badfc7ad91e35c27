import type { Direction, PrunerConfigInput } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import type { HistoryTrial, TrialStateForSampler } from "../samplers/sampler-types.js";
import { createPruner } from "./create-pruner.js";
import { computePercentile } from "./report-math.js";

/** A trial whose reports are values[k] at step firstStep + k. */
function makeTrial(
  number: number,
  values: readonly number[],
  state: TrialStateForSampler = "complete",
  firstStep = 1,
): HistoryTrial {
  const reports = values.map((value, k) => ({ step: firstStep + k, value }));
  const last = values[values.length - 1];
  return state === "complete" && last !== undefined
    ? { number, params: {}, state, value: last, reports }
    : { number, params: {}, state, reports };
}

/** Five completed trials with values 1..5 at every one of steps 1..6 (median 3). */
const fiveCompleted = [1, 2, 3, 4, 5].map((v, i) => makeTrial(i, Array<number>(6).fill(v)));

function decide(
  config: PrunerConfigInput,
  reports: { step: number; value: number }[],
  trials: HistoryTrial[] = fiveCompleted,
  direction: Direction = "minimize",
) {
  return createPruner(config).decide({ direction, trial: { number: 99, reports }, trials, state: null });
}

describe("median pruner (Optuna MedianPruner semantics)", () => {
  it("prunes a trial whose best value is worse than the median of completed trials at the same step", () => {
    const decision = decide({ type: "median" }, [{ step: 1, value: 3.5 }]);
    expect(decision.prune).toBe(true);
    expect(decision.reason).toContain("median 3");
    expect(decision.state).toBeNull();
  });

  it("keeps a trial at or better than the median", () => {
    expect(decide({ type: "median" }, [{ step: 1, value: 3 }]).prune).toBe(false);
    expect(decide({ type: "median" }, [{ step: 1, value: 0.5 }]).prune).toBe(false);
  });

  it("judges the best value so far, not the latest one (a bad last epoch after a good one is kept)", () => {
    const reports = [
      { step: 1, value: 2 },
      { step: 2, value: 9 },
    ];
    expect(decide({ type: "median" }, reports).prune).toBe(false);
  });

  it("is direction aware: for maximize, lower is worse", () => {
    const reports = [{ step: 1, value: 2.5 }];
    expect(decide({ type: "median" }, reports, fiveCompleted, "maximize").prune).toBe(true);
    expect(decide({ type: "median" }, [{ step: 1, value: 3.5 }], fiveCompleted, "maximize").prune).toBe(
      false,
    );
  });

  it("respects warm-up: steps before warmupSteps are never pruned", () => {
    const config = { type: "median", warmupSteps: 3 } as const;
    const bad = (steps: number) => Array.from({ length: steps }, (_, k) => ({ step: k + 1, value: 100 }));
    expect(decide(config, bad(1)).prune).toBe(false);
    expect(decide(config, bad(2)).prune).toBe(false);
    expect(decide(config, bad(2)).reason).toContain("warm-up");
    expect(decide(config, bad(3)).prune).toBe(true);
  });

  it("waits for minTrials completed trials that reported the step", () => {
    const four = fiveCompleted.slice(0, 4);
    const decision = decide({ type: "median" }, [{ step: 1, value: 100 }], four);
    expect(decision.prune).toBe(false);
    expect(decision.reason).toContain("only 4 completed trials");
    expect(decide({ type: "median", minTrials: 4 }, [{ step: 1, value: 100 }], four).prune).toBe(true);
  });

  it("compares only with completed trials, never with running, pruned or failed ones", () => {
    const others: HistoryTrial[] = [
      makeTrial(10, [0, 0], "running"),
      makeTrial(11, [0, 0], "pruned"),
      makeTrial(12, [0, 0], "failed"),
      makeTrial(13, [0, 0], "running"),
      makeTrial(14, [0, 0], "abandoned"),
    ];
    const decision = decide({ type: "median", minTrials: 1 }, [{ step: 1, value: 50 }], others);
    expect(decision.prune).toBe(false);
    expect(decision.reason).toContain("only 0 completed trials");
  });

  it("ignores the trial's own entry in the history", () => {
    const self = makeTrial(99, [100], "complete");
    const decision = decide({ type: "median", minTrials: 1 }, [{ step: 1, value: 100 }], [self]);
    expect(decision.prune).toBe(false);
  });

  it("compares at the exact step: other trials' values at other steps do not count", () => {
    const shortOnes = [1, 2, 3, 4, 5].map((v, i) => makeTrial(i, [v]));
    const decision = decide(
      { type: "median" },
      [
        { step: 1, value: 0 },
        { step: 2, value: 100 },
      ],
      shortOnes,
    );
    expect(decision.prune).toBe(false);
    expect(decision.reason).toContain("only 0 completed trials reported step 2");
  });

  it("checks only the first report of each interval window after the warm-up", () => {
    const config = { type: "median", warmupSteps: 1, intervalSteps: 2 } as const;
    const bad = (steps: number[]) => steps.map((step) => ({ step, value: 100 }));
    expect(decide(config, bad([1])).prune).toBe(true); // step 1 = warm-up end, checked
    expect(decide(config, bad([1, 2])).prune).toBe(false); // same window as step 1
    expect(decide(config, bad([1, 2, 3])).prune).toBe(true); // 1 + 2
    expect(decide(config, bad([1, 2, 3, 4])).prune).toBe(false);
    // A trial skipping step 5 is checked at step 6, the first report of the window [5, 7).
    expect(decide(config, bad([1, 2, 3, 4, 6])).prune).toBe(true);
  });

  it("prunes a trial whose every report is NaN, and never on a trial with no report", () => {
    expect(decide({ type: "median" }, [{ step: 1, value: Number.NaN }]).prune).toBe(true);
    expect(decide({ type: "median" }, []).prune).toBe(false);
  });

  it("accepts reports in any order and lets a re-sent step replace the earlier value", () => {
    const reports = [
      { step: 2, value: 100 },
      { step: 1, value: 100 },
    ];
    expect(decide({ type: "median", minTrials: 5 }, reports).prune).toBe(true);
    const resent = [
      { step: 1, value: 100 },
      { step: 1, value: 0.5 },
    ];
    expect(decide({ type: "median" }, resent).prune).toBe(false);
  });
});

describe("percentile pruner", () => {
  it("computes numpy's linearly interpolated percentile", () => {
    expect(computePercentile([4, 1, 3, 2], 25)).toBeCloseTo(1.75, 15);
    expect(computePercentile([4, 1, 3, 2], 50)).toBeCloseTo(2.5, 15);
    expect(computePercentile([4, 1, 3, 2], 100)).toBe(4);
    expect(computePercentile([7], 30)).toBe(7);
    expect(computePercentile([Number.NaN, 2], 50)).toBe(2);
    expect(computePercentile([], 50)).toBeNaN();
    expect(computePercentile([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 50)).toBe(Infinity);
  });

  it("keeps only the top p%: 25 prunes what the median keeps", () => {
    // Completed values 1..5 at step 1: the 25th percentile is 2.
    expect(decide({ type: "percentile", percentile: 25 }, [{ step: 1, value: 2.5 }]).prune).toBe(true);
    expect(decide({ type: "percentile", percentile: 25 }, [{ step: 1, value: 2 }]).prune).toBe(false);
    expect(decide({ type: "percentile", percentile: 75 }, [{ step: 1, value: 3.9 }]).prune).toBe(false);
    expect(decide({ type: "percentile", percentile: 75 }, [{ step: 1, value: 4.1 }]).prune).toBe(true);
  });

  it("mirrors the percentile for maximize so 'top p%' means the best p% in both directions", () => {
    // Maximize, top 25%: the threshold is the 75th percentile of 1..5 = 4.
    const config = { type: "percentile", percentile: 25 } as const;
    expect(decide(config, [{ step: 1, value: 3.9 }], fiveCompleted, "maximize").prune).toBe(true);
    expect(decide(config, [{ step: 1, value: 4 }], fiveCompleted, "maximize").prune).toBe(false);
  });

  it("percentile 100 prunes only what is worse than every completed trial", () => {
    const config = { type: "percentile", percentile: 100 } as const;
    expect(decide(config, [{ step: 1, value: 5 }]).prune).toBe(false);
    expect(decide(config, [{ step: 1, value: 5.01 }]).prune).toBe(true);
  });
});
