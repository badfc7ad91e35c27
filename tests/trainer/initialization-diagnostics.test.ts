import { beforeAll, describe, expect, it } from "vitest";
import {
  loadDataset,
  resolveTfjsHyperparameters,
  selectTfjsBackend,
  splitDataset,
  trainTfjsModel,
  type DatasetSplit,
  type Params,
} from "./support/tfjs-imports.js";

/**
 * The seed course's claim, on a real network trained on real digits: with all-zero weights every hidden unit
 * of a layer computes the same function and receives the same gradient, so training never breaks the
 * symmetry; xavier and he break it from the first step.
 */
describe("initialization diagnostics", () => {
  let digits: DatasetSplit;
  beforeAll(async () => {
    await selectTfjsBackend("wasm");
    digits = splitDataset(await loadDataset("digits"), { validationSplit: 0.25, maxSamples: 1200, seed: 3 });
  });

  const train = (params: Params) =>
    trainTfjsModel({
      hyperparameters: resolveTfjsHyperparameters({
        layers: 2,
        hidden_units: 16,
        optimizer: "momentum",
        learning_rate: 0.05,
        epochs: 3,
        ...params,
      }),
      split: digits,
      seed: 11,
    });

  /** Max |w[i][j] − w[i][0]| over the incoming weights of every unit j of a [fanIn × units] kernel. */
  const spreadAcrossUnits = (kernel: Float32Array, units: number): number => {
    let spread = 0;
    for (let row = 0; row < kernel.length; row += units) {
      for (let j = 1; j < units; j++)
        spread = Math.max(spread, Math.abs((kernel[row + j] ?? 0) - (kernel[row] ?? 0)));
    }
    return spread;
  };
  const maxAbs = (kernel: Float32Array): number => kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

  it("zeros: after training, all hidden units of each layer still have identical incoming weights, flagged", async () => {
    const result = await train({ initializer: "zeros", activation: "sigmoid" });
    expect(result.status).toBe("complete");
    const [first, second] = result.kernels;
    if (!first || !second) throw new Error("expected two hidden layers");
    // The weights did move (sigmoid(0) = 0.5 feeds gradients through) ...
    expect(maxAbs(first)).toBeGreaterThan(1e-6);
    expect(maxAbs(second)).toBeGreaterThan(1e-4);
    // ... but every unit moved identically.
    expect(spreadAcrossUnits(first, 16)).toBeLessThan(1e-6 * (1 + maxAbs(first)));
    expect(spreadAcrossUnits(second, 16)).toBeLessThan(1e-6 * (1 + maxAbs(second)));
    expect(result.diagnostics.flags).toContain("symmetric-weights");
    for (const snapshot of result.diagnostics.snapshots) {
      expect(snapshot.layers.filter((l) => l.kind === "hidden").every((l) => l.symmetricWeights)).toBe(true);
    }
    // The network cannot do better than a constant guess: 10 classes, about chance.
    expect(result.metrics.val_accuracy).toBeLessThan(0.3);
  });

  it("zeros with tanh or relu: every hidden unit outputs 0, so the layers are also flagged dead", async () => {
    const result = await train({ initializer: "zeros", activation: "tanh", epochs: 1 });
    expect(result.diagnostics.flags).toEqual(expect.arrayContaining(["dead-units", "symmetric-weights"]));
    expect(result.diagnostics.snapshots[0]?.layers[0]?.deadFraction).toBe(1);
  });

  it.each([
    ["he", "relu"],
    ["xavier", "tanh"],
    ["xavier", "sigmoid"],
  ])("%s with %s: units differ and nothing is flagged", async (initializer, activation) => {
    const result = await train({
      initializer,
      activation,
      init_form: initializer === "he" ? "uniform" : "normal",
    });
    const [first, second] = result.kernels;
    if (!first || !second) throw new Error("expected two hidden layers");
    expect(spreadAcrossUnits(first, 16)).toBeGreaterThan(1e-3);
    expect(spreadAcrossUnits(second, 16)).toBeGreaterThan(1e-3);
    expect(result.diagnostics.flags).toEqual([]);
    expect(result.metrics.val_accuracy).toBeGreaterThan(0.2); // learning, above chance (0.1)
    const init = result.diagnostics.snapshots[0];
    for (const layer of init?.layers ?? []) expect(layer.gradientNorm).toBeGreaterThan(0);
  });

  it("a large random initialization saturates tanh units and is flagged", async () => {
    const result = await train({ initializer: "random", init_stddev: 1, activation: "tanh", epochs: 1 });
    expect(result.diagnostics.flags).toContain("saturated");
    expect(result.diagnostics.snapshots[0]?.layers[0]?.saturatedFraction).toBeGreaterThan(0.25);
  });
});
