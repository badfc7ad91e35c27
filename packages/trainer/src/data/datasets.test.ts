import { describe, expect, it } from "vitest";
import { parseCsvDataset } from "./load-csv-dataset.js";
import { generateMoons } from "./generate-moons.js";
import { generateSpirals } from "./generate-spirals.js";
import { loadIris } from "./load-iris.js";
import { permuteIndices, splitDataset } from "./split-dataset.js";

describe("datasets", () => {
  it("generates the same spirals and moons for the same seed, different ones for another", () => {
    expect(generateSpirals({ seed: 1 }).features).toEqual(generateSpirals({ seed: 1 }).features);
    expect(generateSpirals({ seed: 1 }).features).not.toEqual(generateSpirals({ seed: 2 }).features);
    const moons = generateMoons({ samples: 101 });
    expect(moons.numSamples).toBe(101);
    expect([...new Set(moons.labels)]).toEqual([0, 1]);
    expect(generateSpirals().numSamples).toBe(900);
  });

  it("loads iris: 150 samples, 4 features, 3 classes of 50", () => {
    const iris = loadIris();
    expect([iris.numSamples, iris.numFeatures, iris.numClasses]).toEqual([150, 4, 3]);
    expect(iris.labels.filter((l) => l === 2)).toHaveLength(50);
  });

  it("permutes with a seed: a permutation, reproducible", () => {
    const order = permuteIndices(100, 5);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(permuteIndices(100, 5)).toEqual(order);
    expect(permuteIndices(100, 6)).not.toEqual(order);
  });

  it("splits train/validation with maxSamples and standardizes with training statistics", () => {
    const split = splitDataset(loadIris(), { validationSplit: 0.2, maxSamples: 100, seed: 1 });
    expect(split.train.count).toBe(80);
    expect(split.validation.count).toBe(20);
    for (let c = 0; c < 4; c++) {
      const column = [...split.train.features].filter((_, i) => i % 4 === c);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
    }
    expect(() => splitDataset(loadIris(), { validationSplit: 1, seed: 1 })).toThrow("validationSplit");
  });

  it("parses CSV with a header, a named label column and quoted fields", () => {
    const ds = parseCsvDataset('a,label,b\n1,"x",2\n3,y,4\n5,x,6\n', { name: "t", labelColumn: "label" });
    expect([ds.numSamples, ds.numFeatures, ds.numClasses]).toEqual([3, 2, 2]);
    expect([...ds.features]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...ds.labels]).toEqual([0, 1, 0]);
    expect(ds.classNames).toEqual(["x", "y"]);
  });

  it("CSV errors name the line and column", () => {
    expect(() => parseCsvDataset("a,b,c\n1,2,x\n1,abc,y\n", { name: "t" })).toThrow(
      't: line 3, column "b": "abc" is not a number',
    );
    expect(() => parseCsvDataset("a,b\n1,x\n", { name: "t", labelColumn: "z" })).toThrow(
      'label column "z" not found',
    );
    expect(() => parseCsvDataset("1,2,x\n1,2\n3,4,y\n", { name: "t" })).toThrow(
      "line 2 has 2 fields, expected 3",
    );
  });
});
