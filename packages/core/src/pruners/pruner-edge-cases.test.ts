import type { PrunerConfigInput } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { createPruner } from "./create-pruner.js";
import { assignBracket, computeBracketLayout } from "./hyperband-pruner.js";
import type { PruneRequest } from "./pruner-types.js";
import { simulatePrunedStudy } from "./simulate-pruned-study.js";

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const allConfigs: PrunerConfigInput[] = [
  { type: "none" },
  { type: "median", minTrials: 1 },
  { type: "percentile", percentile: 10, minTrials: 1 },
  { type: "successive-halving", reductionFactor: 2 },
  { type: "hyperband", maxResource: 8, reductionFactor: 2 },
  { type: "hyperband", reductionFactor: 2 },
];

function history(): HistoryTrial[] {
  return [0, 1, 2, 3].map((n) => ({
    number: n,
    params: { x: n },
    state: "complete",
    value: n,
    reports: [1, 2, 3, 4, 5, 6, 7, 8].map((step) => ({ step, value: n + 1 / step })),
  }));
}

describe("pruner edge cases", () => {
  it.each(allConfigs)("$type never mutates its request (deeply frozen input)", (config) => {
    const req: PruneRequest = deepFreeze({
      direction: "minimize",
      trial: {
        number: 9,
        reports: [
          { step: 2, value: 9 },
          { step: 1, value: 9 },
        ],
      },
      trials: history(),
      state: { maxResource: 8 },
    });
    expect(() => createPruner(config).decide(req)).not.toThrow();
  });

  it.each(allConfigs)("$type gives the same decision from a second instance (no hidden memory)", (config) => {
    const req: PruneRequest = {
      direction: "minimize",
      trial: { number: 9, reports: [1, 2, 3, 4].map((step) => ({ step, value: 9 })) },
      trials: history(),
      state: null,
    };
    const first = createPruner(config);
    const a = first.decide(req);
    first.decide({ ...req, trial: { number: 10, reports: [{ step: 1, value: -5 }] } });
    expect(first.decide(req)).toEqual(a);
    expect(createPruner(config).decide(req)).toEqual(a);
  });

  it.each(allConfigs)("$type returns a JSON-serializable state", (config) => {
    const decision = createPruner(config).decide({
      direction: "maximize",
      trial: { number: 4, reports: [{ step: 1, value: 0 }] },
      trials: history(),
      state: null,
    });
    expect(JSON.parse(JSON.stringify(decision.state))).toEqual(decision.state);
  });

  it("successive halving reads unordered competitor reports correctly", () => {
    const competitor: HistoryTrial = {
      number: 0,
      params: {},
      state: "running",
      reports: [
        { step: 4, value: 100 },
        { step: 1, value: 0 },
        { step: 2, value: 0 },
      ],
    };
    const pruner = createPruner({ type: "successive-halving", reductionFactor: 2 });
    // At rung 0 (step 1) the competitor had 0: a trial with 1 is worse and the only other one → pruned.
    expect(
      pruner.decide({
        direction: "minimize",
        trial: { number: 1, reports: [{ step: 1, value: 1 }] },
        trials: [competitor],
        state: null,
      }).prune,
    ).toBe(true);
  });

  it("successive halving with a fractional minResource and steps counted from 0", () => {
    // Rungs at 0.5, 2, 8 (η = 4): step 0 is before the first rung, step 1 is the first report past it.
    const pruner = createPruner({ type: "successive-halving", minResource: 0.5 });
    const peer: HistoryTrial = {
      number: 0,
      params: {},
      state: "complete",
      reports: [0, 1, 2].map((step) => ({ step, value: 0 })),
    };
    const decide = (reports: { step: number; value: number }[]) =>
      pruner.decide({ direction: "minimize", trial: { number: 1, reports }, trials: [peer], state: null })
        .prune;
    expect(decide([{ step: 0, value: 5 }])).toBe(false);
    expect(
      decide([
        { step: 0, value: 5 },
        { step: 1, value: 5 },
      ]),
    ).toBe(true);
  });

  it("median with steps counted from 0 checks step 0 when there is no warm-up", () => {
    const peers = [0, 1, 2, 3, 4].map<HistoryTrial>((n) => ({
      number: n,
      params: {},
      state: "complete",
      reports: [{ step: 0, value: n }],
    }));
    const pruner = createPruner({ type: "median" });
    expect(
      pruner.decide({
        direction: "minimize",
        trial: { number: 9, reports: [{ step: 0, value: 9 }] },
        trials: peers,
        state: null,
      }).prune,
    ).toBe(true);
  });

  it("percentile 0 keeps only trials at least as good as the best completed one", () => {
    const peers = [1, 2, 3].map<HistoryTrial>((v, n) => ({
      number: n,
      params: {},
      state: "complete",
      reports: [{ step: 1, value: v }],
    }));
    const pruner = createPruner({ type: "percentile", percentile: 0, minTrials: 3 });
    const decide = (value: number) =>
      pruner.decide({
        direction: "minimize",
        trial: { number: 9, reports: [{ step: 1, value }] },
        trials: peers,
        state: null,
      }).prune;
    expect(decide(1)).toBe(false);
    expect(decide(1.01)).toBe(true);
  });

  it("hyperband brackets stay in range and deterministic for huge trial numbers", () => {
    const layout = computeBracketLayout(1, 243, 3);
    for (const n of [0, 1, 2 ** 31 - 1, 1e9 + 7, Number.MAX_SAFE_INTEGER]) {
      const bracket = assignBracket(n, layout);
      expect(bracket).toBeGreaterThanOrEqual(0);
      expect(bracket).toBeLessThan(layout.bracketCount);
      expect(assignBracket(n, layout)).toBe(bracket);
    }
  });

  it("hyperband with maxResource ≤ minResource·η has one bracket that never prunes", () => {
    const pruner = createPruner({ type: "hyperband", minResource: 1, maxResource: 2, reductionFactor: 3 });
    const study = simulatePrunedStudy({
      pruner,
      direction: "minimize",
      curves: Array.from({ length: 10 }, (_, n) => [n, n]), // each trial worse than all before it
    });
    expect(study.prunedAtStep.every((s) => s === undefined)).toBe(true);
  });

  it("hyperband's last bracket never prunes even when R / r is not a power of η", () => {
    // min 1, max 10, η 3: s_max = 2; the last bracket's rung would sit at step 9 < 10.
    const layout = computeBracketLayout(1, 10, 3);
    const pruner = createPruner({ type: "hyperband", minResource: 1, maxResource: 10, reductionFactor: 3 });
    const lastBracket = Array.from({ length: 200 }, (_, n) => n).filter(
      (n) => assignBracket(n, layout) === 2,
    );
    const study = simulatePrunedStudy({
      pruner,
      direction: "minimize",
      curves: Array.from({ length: 200 }, (_, n) => Array.from({ length: 10 }, () => n)),
    });
    expect(lastBracket.length).toBeGreaterThan(10);
    for (const n of lastBracket) expect(study.prunedAtStep[n]).toBeUndefined();
    expect(study.prunedAtStep.filter((s) => s !== undefined).length).toBeGreaterThan(50);
  });

  it("a trial with an empty report list is never pruned by any pruner", () => {
    for (const config of allConfigs) {
      const decision = createPruner(config).decide({
        direction: "minimize",
        trial: { number: 9, reports: [] },
        trials: history(),
        state: null,
      });
      expect(decision.prune).toBe(false);
    }
  });

  it("ties are not pruned: a trial equal to the median or the rung cut-off continues", () => {
    const peers = [1, 1, 1, 1, 1].map<HistoryTrial>((v, n) => ({
      number: n,
      params: {},
      state: "complete",
      reports: [{ step: 1, value: v }],
    }));
    const req = (type: "median" | "successive-halving"): boolean =>
      createPruner({ type }).decide({
        direction: "minimize",
        trial: { number: 9, reports: [{ step: 1, value: 1 }] },
        trials: peers,
        state: null,
      }).prune;
    expect(req("median")).toBe(false);
    expect(req("successive-halving")).toBe(false);
  });
});
