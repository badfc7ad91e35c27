import { describe, expect, it } from "vitest";
import { createRng } from "../rng/create-rng.js";
import { hypervolume } from "./hypervolume.js";
import { nonDominatedRanks, paretoFront } from "./pareto.js";

/** Brute force: the fraction of Monte-Carlo points of the reference box dominated by some point. */
function monteCarloHv(points: number[][], ref: number[], samples: number, seed: number): number {
  const rng = createRng(seed, 1);
  const lo = ref.map((_, k) => Math.min(...points.map((p) => p[k] ?? 0)));
  let box = 1;
  ref.forEach((r, k) => (box *= r - (lo[k] ?? 0)));
  let hit = 0;
  const u = new Array<number>(ref.length).fill(0);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < ref.length; k++) u[k] = (lo[k] ?? 0) + rng.next() * ((ref[k] ?? 0) - (lo[k] ?? 0));
    if (points.some((p) => p.every((v, k) => v <= (u[k] ?? 0)))) hit++;
  }
  return (box * hit) / samples;
}

function randomPoints(n: number, m: number, seed: number): number[][] {
  const rng = createRng(seed, 2);
  // Points near a concave front so many are non-dominated.
  return Array.from({ length: n }, () => {
    const raw = Array.from({ length: m }, () => rng.next() + 0.05);
    const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0));
    return raw.map((v) => v / norm + 0.2 * rng.next());
  });
}

describe("hypervolume", () => {
  it("is exact on hand-computed 2-D and 3-D cases", () => {
    const min2: ["minimize", "minimize"] = ["minimize", "minimize"];
    expect(
      hypervolume(
        [
          [1, 2],
          [2, 1],
        ],
        [3, 3],
        min2,
      ),
    ).toBeCloseTo(3, 12);
    // A dominated point and a point outside the box add nothing.
    expect(
      hypervolume(
        [
          [1, 2],
          [2, 1],
          [2.5, 2.5],
          [0, 4],
        ],
        [3, 3],
        min2,
      ),
    ).toBeCloseTo(3, 12);
    expect(hypervolume([[1, 1, 1]], [2, 3, 4], ["minimize", "minimize", "minimize"])).toBeCloseTo(6, 12);
    // Maximized objectives: the reference is in the user's direction too.
    expect(
      hypervolume(
        [
          [1, -2],
          [2, -1],
        ],
        [3, -3],
        ["minimize", "maximize"],
      ),
    ).toBeCloseTo(3, 12);
    expect(hypervolume([], [1, 1], min2)).toBe(0);
  });

  it.each([2, 3, 4, 5])("matches a Monte-Carlo estimate with %i objectives", (m) => {
    const points = randomPoints(m >= 4 ? 14 : 40, m, m);
    const ref = new Array<number>(m).fill(1.4);
    const exact = hypervolume(points, ref, new Array(m).fill("minimize"));
    const mc = monteCarloHv(points, ref, 200_000, m);
    expect(exact).toBeGreaterThan(0);
    // 200k samples: standard error well under 1% of the box here.
    expect(Math.abs(exact - mc) / mc).toBeLessThan(0.02);
  });

  it("WFG (4 objectives) equals the 3-D algorithm when the 4th objective is constant", () => {
    const p3 = randomPoints(30, 3, 9);
    const hv3 = hypervolume(p3, [1.5, 1.5, 1.5], ["minimize", "minimize", "minimize"]);
    const hv4 = hypervolume(
      p3.map((p) => [...p, 0]),
      [1.5, 1.5, 1.5, 2],
      ["minimize", "minimize", "minimize", "minimize"],
    );
    expect(hv4).toBeCloseTo(2 * hv3, 10);
  });

  it("matches a grid count exactly on integer points", () => {
    const points = [
      [0, 3, 1],
      [1, 1, 2],
      [2, 0, 0],
      [3, 2, 1],
      [1, 2, 0],
    ];
    const ref = [4, 4, 3];
    let cells = 0;
    for (let x = 0; x < 4; x++)
      for (let y = 0; y < 4; y++)
        for (let z = 0; z < 3; z++)
          if (points.some((p) => (p[0] ?? 9) <= x && (p[1] ?? 9) <= y && (p[2] ?? 9) <= z)) cells++;
    expect(hypervolume(points, ref, ["minimize", "minimize", "minimize"])).toBe(cells);
  });
});

describe("paretoFront", () => {
  it("keeps the non-dominated feasible points, in the user's directions", () => {
    const pts = [
      { values: [1, 5], feasible: true },
      { values: [2, 6], feasible: true }, // dominated by 0 (minimize, maximize): 6 > 5 is better in obj 2
      { values: [0, 1], feasible: false },
      { values: [3, 7], feasible: true },
      { values: [Number.NaN, 9], feasible: true },
    ];
    expect(paretoFront(pts, ["minimize", "minimize"])).toEqual([0]);
    expect(paretoFront(pts, ["minimize", "maximize"])).toEqual([0, 1, 3]);
  });

  it("ranks fronts as non-dominated sorting does", () => {
    expect(
      nonDominatedRanks([
        [1, 1],
        [2, 2],
        [0, 3],
        [3, 3],
        [1, 1],
      ]),
    ).toEqual([0, 1, 0, 2, 0]);
  });
});
