import { describe, expect, it } from "vitest";
import type { Space } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import { boundaryMeanValue, FLAT_HALF_WIDTH, withBoundaryMean } from "./boundary-mean.js";
import { createGpEncoding, type GpEncoding } from "./gp-encoding.js";
import { appendObservation, conditionGp, predict, predictWithGradient, type GpModel } from "./gp-model.js";

const floats = (d: number): Space =>
  Array.from({ length: d }, (_, i) => ({ name: `x${i}`, type: "float" as const, low: 0, high: 1 }));

/** The walls' shape, written out independently of the module: Σ max(0, |u − ½| − ¼)². */
function walls(row: ArrayLike<number>, columns: readonly number[]): number {
  let s = 0;
  for (const j of columns) s += Math.max(0, Math.abs((row[j] ?? 0.5) - 0.5) - 0.25) ** 2;
  return s;
}

function model(encoding: GpEncoding, n: number, f: (row: Float64Array) => number, seed: number): GpModel {
  const rng = createRng(seed);
  const d = encoding.columns.dims;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, i * d + d);
    for (let j = 0; j < d; j++) row[j] = rng.next();
    encoding.canonicalize(row);
    y[i] = f(row);
  }
  const hyper = { lengthScales: new Float64Array(d).fill(0.4), signalVariance: 1, noiseVariance: 1e-4 };
  return conditionGp(x, y, n, encoding.columns, hyper);
}

describe("boundary-rising prior mean", () => {
  const encoding = createGpEncoding(floats(3));
  const all = [0, 1, 2];

  it("recovers the offset and weight of data that rise at the walls exactly", () => {
    const fitted = withBoundaryMean(
      model(encoding, 25, (r) => 2 + 3 * walls(r, all), 1),
      encoding,
    );
    expect(fitted.priorMean?.offset).toBeCloseTo(2, 6);
    expect(fitted.priorMean?.beta).toBeCloseTo(3, 6);
    // Everything is explained by the mean, so the prediction at an unseen corner is the mean's.
    const corner = Float64Array.from([0, 1, 0]);
    expect(predict(fitted, corner, 0).mean).toBeCloseTo(2 + 3 * walls(corner, all), 4);
  });

  it("stays zero-mean when the data fall towards the boundary", () => {
    const plain = model(encoding, 25, (r) => -walls(r, all), 2);
    expect(withBoundaryMean(plain, encoding)).toBe(plain);
  });

  it("is flat over the middle half of every column", () => {
    const fitted = withBoundaryMean(
      model(encoding, 25, (r) => 1 + walls(r, all), 3),
      encoding,
    );
    const mean = fitted.priorMean;
    expect(mean).toBeDefined();
    if (mean === undefined) return;
    const edge = 0.5 + FLAT_HALF_WIDTH;
    expect(boundaryMeanValue(mean, Float64Array.from([0.5, 0.3, edge]), 0, 3)).toBeCloseTo(mean.offset, 12);
    expect(boundaryMeanValue(mean, Float64Array.from([0.5, 0.3, 0.95]), 0, 3)).toBeGreaterThan(mean.offset);
  });

  it("puts its gradient into the mean's gradient (finite differences)", () => {
    const fitted = withBoundaryMean(
      model(encoding, 20, (r) => walls(r, all) + Math.sin(5 * (r[0] ?? 0)) * 0.01, 4),
      encoding,
    );
    expect(fitted.priorMean).toBeDefined();
    const at = Float64Array.from([0.08, 0.6, 0.9]);
    const { meanGrad } = predictWithGradient(fitted, at, 0);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const up = Float64Array.from(at);
      const down = Float64Array.from(at);
      up[j] = (up[j] ?? 0) + h;
      down[j] = (down[j] ?? 0) - h;
      const numeric = (predict(fitted, up, 0).mean - predict(fitted, down, 0).mean) / (2 * h);
      expect(meanGrad[j]).toBeCloseTo(numeric, 4);
    }
  });

  it("keeps a believer fantasy at the predicted mean (residuals are appended, not raw values)", () => {
    const fitted = withBoundaryMean(
      model(encoding, 20, (r) => 1 + 2 * walls(r, all), 5),
      encoding,
    );
    expect(fitted.priorMean).toBeDefined();
    const at = Float64Array.from([0.02, 0.97, 0.5]);
    const before = predict(fitted, at, 0).mean;
    appendObservation(fitted, at, before);
    expect(predict(fitted, at, 0).mean).toBeCloseTo(before, 6);
  });

  it("ignores an inactive conditional param's column", () => {
    const conditional = createGpEncoding([
      { name: "kind", type: "categorical", choices: ["a", "b"] },
      { name: "u", type: "float", low: 0, high: 1 },
      { name: "v", type: "float", low: 0, high: 1, when: { kind: "b" } },
    ]);
    const uColumn = conditional.params[1]?.column ?? -1;
    const vColumn = conditional.params[2]?.column ?? -1;
    const fitted = withBoundaryMean(
      model(conditional, 30, (r) => 1 + walls(r, [uColumn]), 6),
      conditional,
    );
    const mean = fitted.priorMean;
    expect(mean).toBeDefined();
    if (mean === undefined) return;
    const d = conditional.columns.dims;
    const row = new Float64Array(d);
    row[0] = 0; // kind "a": v inactive
    row[uColumn] = 0.5;
    row[vColumn] = 0.99;
    conditional.canonicalize(row);
    row[vColumn] = 0.99; // even with a stray value in the inactive column
    expect(boundaryMeanValue(mean, row, 0, d)).toBeCloseTo(mean.offset, 12);
  });
});
