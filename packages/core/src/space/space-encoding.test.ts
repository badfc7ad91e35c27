import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { createEncoding } from "./space-encoding.js";
import { isParamActive } from "./param-activity.js";
import { validateParams } from "./validate-params.js";
import { createRng } from "../rng/create-rng.js";

const space: Space = [
  { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
  { name: "x", type: "float", low: -1, high: 1, step: 0.1 },
  { name: "units", type: "int", low: 8, high: 512, log: true },
  { name: "k", type: "int", low: 0, high: 10, step: 2 },
  { name: "opt", type: "categorical", choices: ["sgd", "momentum"] },
  { name: "m", type: "float", low: 0, high: 0.99, when: { opt: "momentum" } },
  { name: "bs", type: "categorical", choices: [64, 16, 32] },
];

describe("createEncoding", () => {
  const enc = createEncoding(space);

  it("lays out numerics as one dimension and categoricals as one-hot blocks", () => {
    expect(enc.dimension).toBe(5 + 2 + 3); // lr x units k m + opt(2) + bs(3)
    const bs = enc.param("bs");
    expect(bs?.kind === "categorical" && bs.ordinal).toEqual([1, 0, 0.5]);
    expect(enc.param("opt")?.kind === "categorical" && enc.param("opt")).toMatchObject({ ordinal: null });
  });

  it("decodes any point of the cube to valid params on the grid, only active ones", () => {
    const rng = createRng(3);
    for (let i = 0; i < 2000; i++) {
      const u = Array.from({ length: enc.dimension }, () => rng.next());
      const params = enc.decode(u);
      const check = validateParams(space, params);
      expect(check).toEqual({ ok: true, params });
      expect(Number.isInteger(params.units)).toBe(true);
      expect("m" in params).toBe(params.opt === "momentum");
    }
  });

  it("round-trips encode/decode and marks inactive dims NaN", () => {
    const params = { lr: 0.01, x: 0.3, units: 100, k: 4, opt: "sgd", bs: 32 };
    const x = enc.encode(params);
    expect(Number.isNaN(x[enc.param("m")?.offset ?? -1])).toBe(true);
    const back = enc.decode(x);
    expect(back.x).toBe(0.3);
    expect(back.units).toBe(100);
    expect(back.k).toBe(4);
    expect(back.bs).toBe(32);
    expect(back.lr).toBeCloseTo(0.01, 12);
  });

  it("gives every int value the same share of the cube", () => {
    const p = enc.param("k");
    if (p?.kind !== "numeric") throw new Error("k missing");
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const v = p.fromUnit((i + 0.5) / 6000);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10]);
    for (const c of counts.values()) expect(c).toBe(1000);
  });

  it("decodes endpoints exactly", () => {
    const lr = enc.param("lr");
    if (lr?.kind !== "numeric") throw new Error("lr missing");
    expect(lr.fromUnit(0)).toBe(1e-5);
    expect(lr.fromUnit(1)).toBe(1);
    const x = enc.param("x");
    if (x?.kind !== "numeric") throw new Error("x missing");
    expect(x.fromUnit(1)).toBe(1);
    expect(x.fromUnit(0)).toBe(-1);
    expect(x.gridSize).toBe(21);
  });
});

describe("isParamActive / validateParams", () => {
  it("follows when-conditions through chains", () => {
    const m = space[5];
    if (m === undefined) throw new Error("m missing");
    expect(isParamActive(m, { opt: "momentum" })).toBe(true);
    expect(isParamActive(m, { opt: "sgd" })).toBe(false);
    expect(isParamActive(m, {})).toBe(false);
  });

  it("reports each problem with the param name as path", () => {
    const r = validateParams(space, {
      lr: 2,
      x: 0.33,
      units: 8.5,
      k: 4,
      opt: "sgd",
      m: 0.5,
      bs: 8,
      extra: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path[0]).sort()).toEqual(["bs", "extra", "lr", "m", "units", "x"]);
  });

  it("snaps float grid values to the canonical double", () => {
    const r = validateParams(space, {
      lr: 0.1,
      x: 0.1 + 0.2,
      units: 8,
      k: 0,
      opt: "momentum",
      m: 0.5,
      bs: 16,
    });
    expect(r.ok && r.params.x).toBe(0.3);
  });
});
