import { describe, expect, it } from "vitest";
import type { HistoryTrial, JsonValue } from "../samplers/sampler-types.js";
import { createPruner } from "./create-pruner.js";
import { assignBracket, computeBracketLayout } from "./hyperband-pruner.js";

function makeTrial(
  number: number,
  values: number[],
  state: HistoryTrial["state"] = "complete",
): HistoryTrial {
  return { number, params: {}, state, reports: values.map((value, k) => ({ step: k + 1, value })) };
}

/** The first n trial numbers that land in `bracket`. */
function numbersInBracket(
  bracket: number,
  layout: ReturnType<typeof computeBracketLayout>,
  n: number,
): number[] {
  const found: number[] = [];
  for (let number = 0; found.length < n; number++)
    if (assignBracket(number, layout) === bracket) found.push(number);
  return found;
}

describe("hyperband bracket layout (Li et al. 2018, Algorithm 1)", () => {
  it("reproduces the paper's R = 81, η = 3 table: n = 81, 34, 15, 8, 5 configurations per bracket", () => {
    expect(computeBracketLayout(1, 81, 3)).toEqual({ bracketCount: 5, trialsPerBracket: [81, 34, 15, 8, 5] });
  });

  it("s_max = ⌊log_η(R / r)⌋, robust to exact powers and to R ≤ r", () => {
    expect(computeBracketLayout(1, 27, 3).bracketCount).toBe(4);
    expect(computeBracketLayout(1, 26, 3).bracketCount).toBe(3);
    expect(computeBracketLayout(2, 1000, 10).bracketCount).toBe(3);
    expect(computeBracketLayout(5, 5, 3).bracketCount).toBe(1);
  });

  it("assigns brackets deterministically from the trial number, in Hyperband's proportions", () => {
    const layout = computeBracketLayout(1, 81, 3);
    const counts = [0, 0, 0, 0, 0];
    for (let n = 0; n < 14_300; n++)
      counts[assignBracket(n, layout)] = (counts[assignBracket(n, layout)] ?? 0) + 1;
    // 143 per iteration: shares within 1% of 81/143, 34/143, ...
    layout.trialsPerBracket.forEach((weight, i) => {
      expect(Math.abs((counts[i] ?? 0) / 14_300 - weight / 143)).toBeLessThan(0.01);
    });
    expect(assignBracket(1234, layout)).toBe(assignBracket(1234, computeBracketLayout(1, 81, 3)));
  });

  it("spreads consecutive trials over the brackets so a short study uses them all", () => {
    const layout = computeBracketLayout(1, 9, 3); // weights 9, 5, 3
    const first17 = Array.from({ length: 17 }, (_, n) => assignBracket(n, layout));
    expect(new Set(first17)).toEqual(new Set([0, 1, 2]));
  });
});

describe("hyperband pruner", () => {
  const config = { type: "hyperband", minResource: 1, maxResource: 9, reductionFactor: 3 } as const;
  const layout = computeBracketLayout(1, 9, 3);

  it("runs ASHA in the trial's bracket against trials of the same bracket only", () => {
    const [a, b, c] = numbersInBracket(0, layout, 3);
    const [other] = numbersInBracket(1, layout, 1);
    if (a === undefined || b === undefined || c === undefined || other === undefined)
      throw new Error("bracket");
    const pruner = createPruner(config);
    // A great trial in another bracket does not count against bracket 0.
    const otherBracket = [makeTrial(other, [0, 0, 0], "running")];
    expect(
      pruner.decide({
        direction: "minimize",
        trial: { number: a, reports: [{ step: 1, value: 5 }] },
        trials: otherBracket,
        state: null,
      }).prune,
    ).toBe(false);
    // A better trial in the same bracket does.
    const sameBracket = [makeTrial(b, [1, 1, 1], "running")];
    const decision = pruner.decide({
      direction: "minimize",
      trial: { number: c, reports: [{ step: 1, value: 5 }] },
      trials: sameBracket,
      state: null,
    });
    expect(decision.prune).toBe(true);
    expect(decision.reason).toMatch(/^bracket 0: value 5 at rung 0 \(step 1\)/);
  });

  it("bracket i starts pruning at step minResource · η^i; the last bracket never prunes", () => {
    const pruner = createPruner(config);
    const [first, second] = numbersInBracket(1, layout, 2);
    const [lastA, lastB] = numbersInBracket(2, layout, 2);
    if (first === undefined || second === undefined || lastA === undefined || lastB === undefined)
      throw new Error("x");
    const good = (n: number) => makeTrial(n, Array<number>(9).fill(0), "complete");
    const bad = (steps: number) => Array.from({ length: steps }, (_, k) => ({ step: k + 1, value: 100 }));
    const decideAt = (number: number, peer: number, steps: number) =>
      pruner.decide({
        direction: "minimize",
        trial: { number, reports: bad(steps) },
        trials: [good(peer)],
        state: null,
      }).prune;
    expect(decideAt(second, first, 1)).toBe(false);
    expect(decideAt(second, first, 2)).toBe(false);
    expect(decideAt(second, first, 3)).toBe(true); // bracket 1: first rung at step 3
    // Bracket 2's only rung would be step 9 = maxResource: reaching it means finishing, never a prune.
    for (let steps = 1; steps <= 9; steps++) expect(decideAt(lastB, lastA, steps)).toBe(false);
  });

  it("learns maxResource from completed trials when omitted, then pins it in its JSON state", () => {
    const pruner = createPruner({ type: "hyperband" });
    const request = (trials: HistoryTrial[], state: JsonValue | null) =>
      pruner.decide({
        direction: "minimize",
        trial: { number: 7, reports: [{ step: 1, value: 1 }] },
        trials,
        state,
      });
    const before = request([makeTrial(0, [1, 1, 1], "running")], null);
    expect(before.prune).toBe(false);
    expect(before.reason).toContain("none has completed yet");
    expect(before.state).toBeNull();

    const learned = request([makeTrial(0, Array<number>(27).fill(1), "complete")], null);
    expect(learned.state).toEqual({ maxResource: 27 });
    // A longer trial completing later does not change the pinned layout.
    const roundTripped = JSON.parse(JSON.stringify(learned.state)) as JsonValue;
    const later = request([makeTrial(0, Array<number>(81).fill(1), "complete")], roundTripped);
    expect(later.state).toEqual({ maxResource: 27 });
  });

  it("an explicit maxResource needs no state, and a malformed state is ignored", () => {
    const pruner = createPruner(config);
    const req = {
      direction: "minimize" as const,
      trial: { number: 0, reports: [{ step: 1, value: 1 }] },
      trials: [],
    };
    expect(pruner.decide({ ...req, state: null }).state).toBeNull();
    expect(pruner.decide({ ...req, state: { maxResource: "x" } }).prune).toBe(false);
    const auto = createPruner({ type: "hyperband" });
    expect(auto.decide({ ...req, state: [1, 2] }).reason).toContain("none has completed yet");
  });
});
