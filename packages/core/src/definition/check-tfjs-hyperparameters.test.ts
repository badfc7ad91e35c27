import type { Space } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { checkTfjsHyperparameters } from "./check-tfjs-hyperparameters.js";
import {
  explainTfjsValueProblem,
  findTfjsHyperparameter,
  tfjsHyperparameterNames,
} from "./tfjs-hyperparameters.js";

describe("tfjs hyperparameters", () => {
  it("lists exactly issue 6's names", () => {
    expect(tfjsHyperparameterNames).toEqual([
      "layers",
      "hidden_units",
      "activation",
      "initializer",
      "init_stddev",
      "init_form",
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
    ]);
  });

  it("takes the initializer choices and forms from the shared initializer data", () => {
    expect(findTfjsHyperparameter("initializer")?.domain).toEqual({
      kind: "categorical",
      choices: ["zeros", "random", "xavier", "he"],
    });
    expect(findTfjsHyperparameter("init_form")?.domain).toEqual({
      kind: "categorical",
      choices: ["normal", "uniform"],
    });
  });

  it("explains values outside a domain", () => {
    const dropout = findTfjsHyperparameter("dropout");
    const layers = findTfjsHyperparameter("layers");
    const optimizer = findTfjsHyperparameter("optimizer");
    if (dropout === undefined || layers === undefined || optimizer === undefined) throw new Error("missing");
    expect(explainTfjsValueProblem(dropout, 0)).toBeUndefined();
    expect(explainTfjsValueProblem(dropout, 1)).toBe("dropout must be >= 0 and < 1, got 1");
    expect(explainTfjsValueProblem(layers, 2.5)).toBe("layers must be an integer, got 2.5");
    expect(explainTfjsValueProblem(layers, "two")).toBe('layers must be a number, got "two"');
    expect(explainTfjsValueProblem(optimizer, "adagrad")).toBe(
      '"adagrad" is not a valid optimizer; expected one of sgd, momentum, adam, rmsprop',
    );
    expect(explainTfjsValueProblem(optimizer, "rmsprop")).toBeUndefined();
  });
});

describe("checkTfjsHyperparameters", () => {
  it("accepts known names with usable values", () => {
    const space: Space = [
      { name: "learning_rate", type: "float", low: 1e-4, high: 0.1, log: true },
      { name: "activation", type: "categorical", choices: ["relu", "tanh"] },
      { name: "batch_size", type: "categorical", choices: [32, 64] },
      { name: "epochs", type: "int", low: 1, high: 20 },
    ];
    expect(checkTfjsHyperparameters(space, { init_form: "uniform", init_stddev: 0.1 })).toEqual([]);
  });

  it("rejects an unusable categorical choice at the choice's path", () => {
    const space: Space = [{ name: "optimizer", type: "categorical", choices: ["sgd", "adagrad"] }];
    expect(checkTfjsHyperparameters(space, undefined)).toEqual([
      {
        path: ["space", 0, "choices", 1],
        message: '"adagrad" is not a valid optimizer; expected one of sgd, momentum, adam, rmsprop',
      },
    ]);
  });

  it("rejects bounds outside the domain at low / high", () => {
    const space: Space = [
      { name: "dropout", type: "float", low: 0, high: 1 },
      { name: "learning_rate", type: "float", low: 0, high: 1 },
    ];
    expect(checkTfjsHyperparameters(space, undefined).map((i) => i.path)).toEqual([
      ["space", 0, "high"],
      ["space", 1, "low"],
    ]);
  });

  it("requires int or categorical params for integer hyperparameters and categorical for named choices", () => {
    const space: Space = [
      { name: "layers", type: "float", low: 1, high: 4 },
      { name: "activation", type: "int", low: 0, high: 3 },
    ];
    const issues = checkTfjsHyperparameters(space, undefined);
    expect(issues.map((i) => i.path)).toEqual([
      ["space", 0, "type"],
      ["space", 1, "type"],
    ]);
    expect(issues[1]?.message).toContain("relu, tanh, sigmoid, elu");
  });

  it("rejects a fixed value outside its domain and a name both tuned and fixed", () => {
    const space: Space = [{ name: "layers", type: "int", low: 1, high: 3 }];
    expect(checkTfjsHyperparameters(space, { layers: 2, batch_size: 0 })).toEqual([
      {
        path: ["trainer", "fixed", "layers"],
        message: '"layers" is tuned in the space; it cannot also be fixed',
      },
      { path: ["trainer", "fixed", "batch_size"], message: "batch_size must be >= 1, got 0" },
    ]);
  });
});
