import { describe, expect, it } from "vitest";
import { createRng } from "./create-rng.js";

describe("createRng", () => {
  it("is deterministic per (seed, streams) and differs across streams", () => {
    const a = Array.from({ length: 5 }, createRng(42, 1, 2).next);
    const b = Array.from({ length: 5 }, createRng(42, 1, 2).next);
    const c = Array.from({ length: 5 }, createRng(42, 1, 3).next);
    const d = Array.from({ length: 5 }, createRng(42 + 2 ** 40, 1, 2).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  it("produces uniform [0,1) values, unbiased ints and standard normals", () => {
    const rng = createRng(7);
    let sum = 0;
    let sq = 0;
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = rng.nextInt(10);
      bins[k] = (bins[k] ?? 0) + 1;
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(600);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.03);
  });
});
