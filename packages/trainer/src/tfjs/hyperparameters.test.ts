import { describe, expect, it } from "vitest";
import { tfjsHyperparameterNames } from "@hpo/core";
import {
  HyperparameterError,
  resolveTfjsHyperparameters,
  tfjsHyperparameterDefaults,
} from "./hyperparameters.js";
import { hasSymmetricUnits } from "./layer-diagnostics.js";

describe("tfjs hyperparameters", () => {
  it("has a default for exactly the core's tfjsHyperparameterNames, which are the issue's list", () => {
    expect(Object.keys(tfjsHyperparameterDefaults).sort()).toEqual([...tfjsHyperparameterNames].sort());
    expect([...tfjsHyperparameterNames].sort()).toEqual(
      [
        "layers",
        "hidden_units",
        "activation",
        "initializer",
        "init_form",
        "init_stddev",
        "optimizer",
        "momentum",
        "adam_beta1",
        "adam_beta2",
        "adam_epsilon",
        "learning_rate",
        "lr_decay",
        "batch_size",
        "epochs",
        "dropout",
        "weight_decay",
      ].sort(),
    );
  });

  it("layers defaults < trainer.epochs < trainer.fixed < params", () => {
    const hp = resolveTfjsHyperparameters(
      { learning_rate: 0.1 },
      { fixed: { learning_rate: 0.5, layers: 3 }, epochs: 4 },
    );
    expect(hp).toMatchObject({
      learning_rate: 0.1,
      layers: 3,
      epochs: 4,
      optimizer: "adam",
      initializer: "he",
    });
    expect(resolveTfjsHyperparameters({ epochs: 2 }, { epochs: 4 }).epochs).toBe(2);
  });

  it("rejects unknown names and out-of-range values with the JSON path", () => {
    expect(() => resolveTfjsHyperparameters({ units: 3 })).toThrow(HyperparameterError);
    expect(() => resolveTfjsHyperparameters({ units: 3 })).toThrow(
      'params.units: unknown hyperparameter "units"',
    );
    expect(() => resolveTfjsHyperparameters({ layers: 2.5 })).toThrow(
      "params.layers: layers must be an integer",
    );
    expect(() => resolveTfjsHyperparameters({ learning_rate: 0 })).toThrow(
      "params.learning_rate: learning_rate must be > 0",
    );
    expect(() => resolveTfjsHyperparameters({ dropout: Number.NaN })).toThrow(
      "params.dropout: dropout must be finite",
    );
    expect(() => resolveTfjsHyperparameters({}, { fixed: { optimizer: "lbfgs" } })).toThrow(
      'trainer.fixed.optimizer: "lbfgs" is not a valid optimizer; expected one of sgd, momentum, adam, rmsprop',
    );
  });
});

describe("hasSymmetricUnits", () => {
  it("is true only when every unit (column) has the same incoming weights and bias", () => {
    // 2 inputs × 3 units, row-major.
    expect(hasSymmetricUnits(Float32Array.from([1, 1, 1, 2, 2, 2]), Float32Array.from([0, 0, 0]), 3)).toBe(
      true,
    );
    expect(hasSymmetricUnits(Float32Array.from([1, 1, 1.1, 2, 2, 2]), Float32Array.from([0, 0, 0]), 3)).toBe(
      false,
    );
    expect(hasSymmetricUnits(Float32Array.from([1, 1, 1, 2, 2, 2]), Float32Array.from([0, 0, 1]), 3)).toBe(
      false,
    );
    expect(hasSymmetricUnits(Float32Array.from([1, 2]), Float32Array.from([0]), 1)).toBe(false);
  });
});
