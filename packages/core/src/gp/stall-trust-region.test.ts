import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { createGpEncoding } from "./gp-encoding.js";
import { createGpSampler } from "./gp-sampler.js";
import { encodeHistory } from "./gp-fit-steps.js";
import {
  LENGTH_INIT,
  LENGTH_MIN,
  failureTolerance,
  replayOnModelScale,
  replayTrustRegion,
  trustRegionBox,
} from "./stall-trust-region.js";

const startup = [5, 4, 3, 2, 1];

describe("replayTrustRegion (TuRBO schedule, replayed from the values)", () => {
  it("stays global while the global step improves", () => {
    expect(replayTrustRegion([...startup, 0.5, 0.2, 0.1, 0.05, 0.01], 5, 4)).toEqual({
      mode: "global",
      length: LENGTH_INIT,
    });
  });

  it("turns local after tauFail stalls, halves per tauFail failures, doubles per 3 successes", () => {
    const stall = [2, 3, 4, 5];
    expect(replayTrustRegion([...startup, ...stall.slice(0, 3)], 5, 4).mode).toBe("global");
    expect(replayTrustRegion([...startup, ...stall], 5, 4)).toEqual({ mode: "local", length: LENGTH_INIT });
    expect(replayTrustRegion([...startup, ...stall, ...stall], 5, 4).length).toBe(LENGTH_INIT / 2);
    expect(replayTrustRegion([...startup, ...stall, ...stall, 0.5, 0.2, 0.1], 5, 4).length).toBe(LENGTH_INIT);
  });

  it("goes back to the global step once the region has collapsed (a restart)", () => {
    const values = [...startup];
    for (let i = 0; i < 4 * 8; i++) values.push(3);
    // 4 stalls turn it local; then each 4 failures halve 0.8 until it falls below 2^-7 after 7 halvings.
    expect(replayTrustRegion(values.slice(0, 5 + 4 + 4 * 6), 5, 4).mode).toBe("local");
    expect(LENGTH_INIT / 2 ** 6).toBeGreaterThanOrEqual(LENGTH_MIN);
    expect(replayTrustRegion(values.slice(0, 5 + 4 + 4 * 7), 5, 4)).toEqual({
      mode: "global",
      length: LENGTH_INIT,
    });
  });

  it("counts only improvements beyond 1e-3 of the start-up spread, whatever the offset", () => {
    const tiny = [...startup, 0.9999, 0.9998, 0.9997, 0.9996];
    expect(replayTrustRegion(tiny, 5, 4).mode).toBe("local");
    expect(
      replayTrustRegion(
        tiny.map((v) => v + 1e6),
        5,
        4,
      ).mode,
    ).toBe("local");
    expect(failureTolerance(2)).toBe(4);
    expect(failureTolerance(9)).toBe(9);
  });

  // Start-up spread 3 − 1 = 2: a large step beats the best by more than 0.2, the floor is 0.002.
  const stall = [2, 3, 4, 5];

  it("counts a valley's steady small steps as successes: the region grows", () => {
    // Steps of 0.05 (a fortieth of the spread), each as large as the last: progress along a valley.
    const valley = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65];
    const schedule = replayTrustRegion([...startup, ...stall, ...valley], 5, 4);
    expect(schedule.mode).toBe("local");
    expect(schedule.length).toBeGreaterThan(LENGTH_INIT);
  });

  it("counts a basin's geometric polish as failures: the region shrinks", () => {
    // Each gain a fifth of the one before (0.1, 0.02, 0.004, 0.0008): all above the floor but the last, none
    // a large step, none keeping the pace.
    const polish = [0.9, 0.88, 0.876, 0.8752];
    expect(replayTrustRegion([...startup, ...stall, ...polish], 5, 4)).toEqual({
      mode: "local",
      length: LENGTH_INIT / 2,
    });
  });

  it("counts large steps as successes even when each is smaller than the last", () => {
    const large = [0.5, 0.25, 0.01];
    expect(replayTrustRegion([...startup, ...stall, ...large], 5, 4).length).toBe(2 * LENGTH_INIT);
  });
});

describe("trustRegionBox", () => {
  const space: Space = [
    { name: "x", type: "float", low: 0, high: 1 },
    { name: "y", type: "float", low: 0, high: 1 },
    { name: "c", type: "categorical", choices: ["a", "b", "c"] },
  ];
  const encoding = createGpEncoding(space);

  it("is longer along the smoother column, clipped to the cube, categoricals free", () => {
    const c = encoding.columns.isCategorical.indexOf(1);
    const scales = new Float64Array(encoding.columns.dims).fill(1);
    scales[0] = 0.5;
    scales[1] = 2;
    const box = trustRegionBox(Float64Array.from([0.5, 0.9, 0]), 0.4, scales, encoding);
    // Geometric mean of the continuous scales is 1: sides 0.2 and 0.8.
    expect(box.lower[0]).toBeCloseTo(0.4);
    expect(box.upper[0]).toBeCloseTo(0.6);
    expect(box.lower[1]).toBeCloseTo(0.5);
    expect(box.upper[1]).toBe(1);
    expect([box.lower[c], box.upper[c]]).toEqual([0, 1]);
  });

  it("caps the length scales at TuRBO's bounds, so irrelevant columns cannot squeeze the relevant sides", () => {
    const embedded = createGpEncoding(
      Array.from({ length: 5 }, (_, i) => ({ name: `x${i}`, type: "float" as const, low: 0, high: 1 })),
    );
    const center = new Float64Array(5).fill(0.5);
    const side = (scales: number[], j: number): number => {
      const box = trustRegionBox(center, 0.8, Float64Array.from(scales), embedded);
      return (box.upper[j] ?? 0) - (box.lower[j] ?? 0);
    };
    // ℓ = 50..100 on three irrelevant columns count as ℓ = 2: G = (0.1 · 0.15 · 8)^(1/5) ≈ 0.654.
    const capped = side([0.1, 0.15, 2, 2, 2], 0);
    expect(side([0.1, 0.15, 50, 80, 100], 0)).toBeCloseTo(capped, 12);
    expect(capped).toBeCloseTo((0.8 * 0.1) / Math.pow(0.1 * 0.15 * 8, 1 / 5), 10);
    // Uncapped, G would be ≈ 5.7 and the side 0.014: the failure the cap removes.
    expect(capped).toBeGreaterThan(0.1);
    // A column below the lower bound counts as 0.005.
    expect(side([1e-4, 1, 1, 1, 1], 0)).toBeCloseTo(side([0.005, 1, 1, 1, 1], 0), 12);
  });
});

describe("the GP sampler after a stall", () => {
  // 1-D so the region is exactly [best − L/2, best + L/2]. The best trial is at 0.3; every later trial failed
  // to improve, and [0.7, 1] was never sampled, which a global EI step finds attractive. The boundary-rising
  // prior mean (boundary-mean.ts) is off, so that the region is the only difference.
  const space: Space = [{ name: "x", type: "float", low: 0, high: 1 }];
  const f = (x: number): number => (x - 0.3) ** 2 + 0.05 * Math.sin(40 * x);
  const xs = [0.05, 0.15, 0.3, 0.45, 0.6];
  for (let i = 0; i < 4 + 4 * 3; i++) xs.push(0.02 + 0.04 * ((i * 7) % 16) * (0.62 / 0.6));
  const best = xs.reduce((m, x) => (f(x) < f(m) ? x : m), 1);
  const trials: HistoryTrial[] = xs.map((x, number) => ({
    number,
    params: { x },
    state: "complete",
    value: f(x),
    reports: [],
  }));
  const ask = (stallRegion: boolean): number => {
    const sampler = createGpSampler({}, space, "believer", stallRegion, false, false);
    const r = sampler.sample({
      space,
      direction: "minimize",
      trials,
      count: 1,
      seed: 1,
      firstNumber: trials.length,
      state: null,
    });
    return Number(r.suggestions[0]?.x);
  };

  it("proposes inside the shrunken trust region around the incumbent", () => {
    const values = trials.map((t) => t.value ?? 0);
    const schedule = replayTrustRegion(values, 5, failureTolerance(1));
    expect(schedule.mode).toBe("local");
    expect(Math.abs(ask(true) - best)).toBeLessThanOrEqual(schedule.length / 2 + 1e-9);
  });

  it("without the region, the same history sends the global step elsewhere", () => {
    const values = trials.map((t) => t.value ?? 0);
    const schedule = replayTrustRegion(values, 5, failureTolerance(1));
    expect(Math.abs(ask(false) - best)).toBeGreaterThan(schedule.length / 2);
  });
});

describe("the schedule's input", () => {
  it("is the study's own values in number order, without warm-start priors (negative numbers)", () => {
    const space: Space = [{ name: "x", type: "float", low: 0, high: 1 }];
    const trial = (number: number, value: number): HistoryTrial => ({
      number,
      params: { x: 0.5 },
      state: "complete",
      value,
      reports: [],
    });
    const history = encodeHistory(
      [trial(-2, 9), trial(-1, 8), trial(1, 3), trial(0, 4)],
      createGpEncoding(space),
      -1,
      0,
    );
    expect(history.ownValues).toEqual([-4, -3]);
    expect(history.observed).toHaveLength(4);
  });
});

describe("replayOnModelScale (the success test on the GP's warped output scale)", () => {
  // A heavy-tailed start-up (median ~3.6e4, best ~300), a stall that turns the region local, then steady
  // ~20% improvements near 50: far below the raw threshold 1e-3·(median − best) ≈ 36, clear on a log scale.
  const heavyStartup = [36600, 199800, 35690, 293, 202500];
  const stall = [303, 37760, 12850, 3957];
  const progress = [84, 67, 50, 34, 23.6, 18, 15.3, 13.2, 11.3];
  const values = [...heavyStartup, ...stall, ...progress];

  it("on raw values, counts the steady improvements as failures and shrinks the region", () => {
    expect(replayTrustRegion(values, 5, 4).length).toBeLessThan(LENGTH_INIT);
  });

  it("under the log warping, counts them as successes: the region grows instead", () => {
    const schedule = replayOnModelScale(values, 0, 5, 4);
    expect(schedule.mode).toBe("local");
    expect(schedule.length).toBeGreaterThan(LENGTH_INIT);
  });

  it("without warping (λ = 1) is the raw schedule", () => {
    expect(replayOnModelScale(values, 1, 5, 4)).toEqual(replayTrustRegion(values, 5, 4));
  });
});
