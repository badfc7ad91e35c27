import { describe, expect, it } from "vitest";
import { revertCheapPolishMoves, revertibleColumns } from "./revert-cheap-polish-moves.js";

const identity = (): void => undefined;

describe("revertCheapPolishMoves (the polish's moves that bought almost no EI are put back)", () => {
  it("puts back a column whose move bought a sliver and keeps the move that mattered", () => {
    // A strong column 0 (optimum 0.3) and a weak column 1 whose score creeps up towards the bound 0.
    const score = (r: Float64Array): number => -100 * ((r[0] ?? 0) - 0.3) ** 2 - 0.01 * (r[1] ?? 0);
    const start = Float64Array.of(0.9, 0.6);
    const polished = Float64Array.of(0.3, 0);
    const out = revertCheapPolishMoves(polished, start, [0, 1], 0.2, identity, score);
    expect(Array.from(out)).toEqual([0.3, 0.6]);
    expect(Array.from(polished)).toEqual([0.3, 0]);
  });

  it("spends the budget on the whole row, cheapest moves first", () => {
    // Three weak columns whose moves bought 0.05, 0.12 and 0.15 nats: only the first two fit in 0.2.
    const weights = [0.05, 0.12, 0.15];
    const score = (r: Float64Array): number => -weights.reduce((s, w, j) => s + w * (r[j] ?? 0), 0);
    const out = revertCheapPolishMoves(
      Float64Array.of(0, 0, 0),
      Float64Array.of(1, 1, 1),
      [0, 1, 2],
      0.2,
      identity,
      score,
    );
    expect(Array.from(out)).toEqual([1, 1, 0]);
  });

  it("leaves columns it is not given, unmoved columns and non-finite scores alone", () => {
    const flat = (): number => 0;
    const polished = Float64Array.of(0, 0.5, 1);
    const start = Float64Array.of(1, 0.5, 0);
    expect(Array.from(revertCheapPolishMoves(polished, start, [0], 0.2, identity, flat))).toEqual([
      1, 0.5, 1,
    ]);
    const out = revertCheapPolishMoves(polished, start, [0, 1, 2], 0.2, identity, () => -Infinity);
    expect(out).toBe(polished);
  });

  it("scores the canonical row (ints snapped) when deciding", () => {
    const snap = (r: Float64Array): void => void (r[0] = Math.round((r[0] ?? 0) * 4) / 4);
    const seen: number[] = [];
    const score = (r: Float64Array): number => {
      seen.push(r[0] ?? NaN);
      return -0.01 * (r[0] ?? 0);
    };
    const out = revertCheapPolishMoves(Float64Array.of(0), Float64Array.of(0.6), [0], 0.2, snap, score);
    expect(out[0]).toBe(0.5);
    expect(seen.every((v) => v * 4 === Math.round(v * 4))).toBe(true);
  });
});

describe("revertibleColumns (never restore an incumbent's copied values)", () => {
  const incumbents = [Float64Array.of(0.2, 0.4, 0.6, 0.8), Float64Array.of(0.1, 0.3, 0.5, 0.7)];

  it("drops the columns a perturbation start copied from any incumbent", () => {
    // Start: column 0 copied from the best, column 2 from the second, columns 1 and 3 moved.
    const start = Float64Array.of(0.2, 0.45, 0.5, 0.05);
    expect(revertibleColumns([0, 1, 2, 3], start, incumbents)).toEqual([1, 3]);
  });

  it("keeps every column of a quasi-uniform start, and only the columns it is given", () => {
    const start = Float64Array.of(0.91, 0.12, 0.33, 0.64);
    expect(revertibleColumns([0, 1, 2, 3], start, incumbents)).toEqual([0, 1, 2, 3]);
    expect(revertibleColumns([2], start, incumbents)).toEqual([2]);
    expect(revertibleColumns([0, 1], start, [])).toEqual([0, 1]);
  });
});
