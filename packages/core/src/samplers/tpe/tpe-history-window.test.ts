import { describe, expect, it } from "vitest";
import { countGood } from "./rank-observations.js";
import { tpeHistoryWindow } from "./tpe-history-window.js";

describe("tpeHistoryWindow", () => {
  it("holds the whole good group: its best trials are at least the good group's cap", () => {
    const n = tpeHistoryWindow.recent + tpeHistoryWindow.best;
    expect(countGood(n, 0.1, n)).toBeLessThanOrEqual(tpeHistoryWindow.best);
    expect(countGood(1_000_000, 0.5, 1_000_000)).toBeLessThanOrEqual(tpeHistoryWindow.best);
  });
});
