import type { Direction } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { createPruner } from "./create-pruner.js";

const directions: Direction[] = ["minimize", "maximize"];

/** Completed trials that reported (loss, accuracy) at steps 1..3. */
function peers(vectors: [number, number][]): HistoryTrial[] {
  return vectors.map(([a, b], i) => ({
    number: i,
    params: {},
    state: "complete",
    value: a,
    values: [a, b],
    reports: [1, 2, 3].map((step) => ({ step, value: a, values: [a, b] })),
  }));
}

function decide(vector: [number, number], trials: HistoryTrial[], config = {}) {
  return createPruner({ type: "dominance", ...config }).decide({
    direction: "minimize",
    directions,
    trial: { number: 99, reports: [{ step: 2, value: vector[0], values: vector }] },
    trials,
    state: null,
  });
}

describe("dominance pruner (several objectives)", () => {
  // Ten finished trials on a front: loss 0.1..1.0 with accuracy 0.9..0.0 (better loss, better accuracy).
  const front = peers(Array.from({ length: 10 }, (_, i): [number, number] => [0.1 * (i + 1), 0.9 - 0.1 * i]));

  it("prunes a trial dominated by at least half of the completed trials at the same step", () => {
    // (0.75, 0.1): dominated by trials with loss <= 0.7 and accuracy >= 0.1 → 7 of 10.
    const d = decide([0.75, 0.1], front);
    expect(d.prune).toBe(true);
    expect(d.reason).toContain("7 of 10");
  });

  it("keeps a trial on the front even when it is bad in one objective", () => {
    // Worst loss of all, but the best accuracy: nobody dominates it (a single-objective pruner would prune).
    expect(decide([5, 0.95], front).prune).toBe(false);
    // Best loss, worst accuracy: kept as well.
    expect(decide([0.01, -1], front).prune).toBe(false);
  });

  it("respects the directions (the same vector under flipped accuracy direction)", () => {
    const flipped = createPruner({ type: "dominance" }).decide({
      direction: "minimize",
      directions: ["minimize", "minimize"],
      trial: { number: 99, reports: [{ step: 2, value: 0.75, values: [0.75, 0.1] }] },
      trials: front,
      state: null,
    });
    // Minimizing both: only trials with loss <= 0.7 AND value <= 0.1 dominate (none: they have 0.9..0.3).
    expect(flipped.prune).toBe(false);
  });

  it("waits for minTrials completed peers at that step and for the warm-up", () => {
    expect(decide([0.75, 0.1], front.slice(0, 4)).prune).toBe(false);
    expect(decide([0.75, 0.1], front, { warmupSteps: 3 }).prune).toBe(false);
    // A stricter fraction keeps it (7/10 < 0.8).
    expect(decide([0.75, 0.1], front, { dominatedFraction: 0.8 }).prune).toBe(false);
  });

  it("ignores running and pruned peers and peers that did not report that step", () => {
    const mixed = front.map((t, i): HistoryTrial =>
      i < 6 ? { ...t, state: i % 2 === 0 ? "running" : "pruned" } : t,
    );
    expect(decide([0.75, 0.1], mixed).reason).toContain("only 4 completed");
  });
});
