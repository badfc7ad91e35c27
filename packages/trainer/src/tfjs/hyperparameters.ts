import {
  explainTfjsValueProblem,
  findTfjsHyperparameter,
  tfjsHyperparameterNames,
  type InitializerForm,
  type InitializerName,
} from "@hpo/core";
import type { Params, ParamValue } from "@hpo/contracts";

export type Activation = "relu" | "tanh" | "sigmoid" | "elu";
export type OptimizerName = "sgd" | "momentum" | "adam" | "rmsprop";

/** Everything the tfjs trainer builds a network and a training run from. */
export interface TfjsHyperparameters {
  layers: number;
  hidden_units: number;
  activation: Activation;
  initializer: InitializerName;
  init_form: InitializerForm;
  init_stddev: number;
  optimizer: OptimizerName;
  learning_rate: number;
  /** Exponential decay rate per epoch: epoch e (1-based) trains with learning_rate · exp(−lr_decay · (e−1)). */
  lr_decay: number;
  momentum: number;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
  batch_size: number;
  epochs: number;
  dropout: number;
  weight_decay: number;
}

/**
 * Defaults for every hyperparameter a study does not set. The names and their allowed values are the core's
 * `tfjsHyperparameters` table (the same one study validation uses), so a study accepted at creation is one
 * the trainer can run.
 */
export const tfjsHyperparameterDefaults: Readonly<TfjsHyperparameters> = {
  layers: 2,
  hidden_units: 64,
  activation: "relu",
  initializer: "he",
  init_form: "normal",
  init_stddev: 0.05,
  optimizer: "adam",
  learning_rate: 0.001,
  lr_decay: 0,
  momentum: 0.9,
  adam_beta1: 0.9,
  adam_beta2: 0.999,
  adam_epsilon: 1e-7,
  batch_size: 32,
  epochs: 10,
  dropout: 0,
  weight_decay: 0,
};

export const knownTfjsHyperparameterNames: readonly string[] = tfjsHyperparameterNames;

export class HyperparameterError extends Error {
  constructor(
    message: string,
    readonly path: string[],
  ) {
    super(message);
    this.name = "HyperparameterError";
  }
}

function checkValue(path: string[], name: string, value: ParamValue): void {
  const definition = findTfjsHyperparameter(name);
  if (!definition || !Object.hasOwn(tfjsHyperparameterDefaults, name)) {
    throw new HyperparameterError(
      `${path.join(".")}: unknown hyperparameter "${name}"; the tfjs trainer knows ${tfjsHyperparameterNames.join(", ")}`,
      path,
    );
  }
  const problem =
    typeof value === "number" && !Number.isFinite(value)
      ? `${name} must be finite, got ${value}`
      : explainTfjsValueProblem(definition, value);
  if (problem !== undefined) throw new HyperparameterError(`${path.join(".")}: ${problem}`, path);
}

/**
 * Merges defaults < `trainer.epochs` < `trainer.fixed` < trial params and checks every value. Errors carry
 * the JSON path of the offending value (`params.learning_rate`, `trainer.fixed.layers`).
 */
export function resolveTfjsHyperparameters(
  params: Params,
  options: { fixed?: Params | undefined; epochs?: number | undefined } = {},
): TfjsHyperparameters {
  const resolved: Record<string, ParamValue> = { ...tfjsHyperparameterDefaults };
  if (options.epochs !== undefined) {
    checkValue(["trainer", "epochs"], "epochs", options.epochs);
    resolved.epochs = options.epochs;
  }
  const sources: [string[], Params | undefined][] = [
    [["trainer", "fixed"], options.fixed],
    [["params"], params],
  ];
  for (const [prefix, values] of sources) {
    for (const [name, value] of Object.entries(values ?? {})) {
      checkValue([...prefix, name], name, value);
      resolved[name] = value;
    }
  }
  return resolved as unknown as TfjsHyperparameters;
}
