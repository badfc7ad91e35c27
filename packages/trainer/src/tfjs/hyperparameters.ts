import type { InitializerForm, InitializerName, Params, ParamValue } from "@hpo/core";

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
  /** Multiplicative learning-rate decay per epoch: lr_e = learning_rate · lr_decay^e (1 = no decay). */
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

type Check = (value: ParamValue) => string | undefined;

const integerIn =
  (low: number, high: number): Check =>
  (v) =>
    typeof v === "number" && Number.isInteger(v) && v >= low && v <= high
      ? undefined
      : `must be an integer in [${low}, ${high}]`;
const numberIn =
  (low: number, high: number, openLow = false): Check =>
  (v) =>
    typeof v === "number" && Number.isFinite(v) && (openLow ? v > low : v >= low) && v <= high
      ? undefined
      : `must be a number in ${openLow ? "(" : "["}${low}, ${high}]`;
const oneOf =
  (choices: readonly string[]): Check =>
  (v) =>
    typeof v === "string" && choices.includes(v) ? undefined : `must be one of ${choices.join(", ")}`;

/**
 * The hyperparameters the built-in trainer understands, with defaults and the range each must lie in.
 * Order matches @hpo/core's `tfjsHyperparameterNames` (the study validation rejects any other name).
 */
export const tfjsHyperparameterTable: {
  readonly [K in keyof TfjsHyperparameters]: { default: TfjsHyperparameters[K]; check: Check };
} = {
  layers: { default: 2, check: integerIn(1, 16) },
  hidden_units: { default: 64, check: integerIn(1, 4096) },
  activation: { default: "relu", check: oneOf(["relu", "tanh", "sigmoid", "elu"]) },
  initializer: { default: "he", check: oneOf(["zeros", "random", "xavier", "he"]) },
  init_form: { default: "normal", check: oneOf(["normal", "uniform"]) },
  init_stddev: { default: 0.05, check: numberIn(0, 10, true) },
  optimizer: { default: "adam", check: oneOf(["sgd", "momentum", "adam", "rmsprop"]) },
  learning_rate: { default: 0.001, check: numberIn(0, 1e4, true) },
  lr_decay: { default: 1, check: numberIn(0, 1, true) },
  momentum: { default: 0.9, check: numberIn(0, 1) },
  adam_beta1: { default: 0.9, check: numberIn(0, 1) },
  adam_beta2: { default: 0.999, check: numberIn(0, 1) },
  adam_epsilon: { default: 1e-7, check: numberIn(0, 1, true) },
  batch_size: { default: 32, check: integerIn(1, 65536) },
  epochs: { default: 10, check: integerIn(1, 10000) },
  dropout: { default: 0, check: numberIn(0, 0.95) },
  weight_decay: { default: 0, check: numberIn(0, 10) },
};

export const knownTfjsHyperparameterNames = Object.keys(
  tfjsHyperparameterTable,
) as (keyof TfjsHyperparameters)[];

export class HyperparameterError extends Error {
  constructor(
    message: string,
    readonly path: string[],
  ) {
    super(message);
    this.name = "HyperparameterError";
  }
}

function isKnownName(name: string): name is keyof TfjsHyperparameters {
  return Object.hasOwn(tfjsHyperparameterTable, name);
}

/**
 * Merges defaults < `trainer.epochs` < `trainer.fixed` < trial params and checks every value. Errors carry
 * the JSON path of the offending value (`params.learning_rate`, `trainer.fixed.layers`).
 */
export function resolveTfjsHyperparameters(
  params: Params,
  options: { fixed?: Params | undefined; epochs?: number | undefined } = {},
): TfjsHyperparameters {
  const resolved = Object.fromEntries(
    knownTfjsHyperparameterNames.map((name) => [name, tfjsHyperparameterTable[name].default]),
  ) as Record<string, ParamValue>;
  if (options.epochs !== undefined) resolved.epochs = options.epochs;
  const sources: [string[], Params | undefined][] = [
    [["trainer", "fixed"], options.fixed],
    [["params"], params],
  ];
  for (const [prefix, values] of sources) {
    for (const [name, value] of Object.entries(values ?? {})) {
      const path = [...prefix, name];
      if (!isKnownName(name)) {
        throw new HyperparameterError(
          `${path.join(".")}: unknown hyperparameter "${name}"; the tfjs trainer knows ${knownTfjsHyperparameterNames.join(", ")}`,
          path,
        );
      }
      const problem = tfjsHyperparameterTable[name].check(value);
      if (problem !== undefined) {
        throw new HyperparameterError(`${path.join(".")}: ${problem}, got ${JSON.stringify(value)}`, path);
      }
      resolved[name] = value;
    }
  }
  if (options.epochs !== undefined) {
    const problem = tfjsHyperparameterTable.epochs.check(resolved.epochs ?? 0);
    if (problem !== undefined)
      throw new HyperparameterError(`trainer.epochs: ${problem}`, ["trainer", "epochs"]);
  }
  return resolved as unknown as TfjsHyperparameters;
}
