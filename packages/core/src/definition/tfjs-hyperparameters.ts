import type { ParamValue } from "@hpo/contracts";
import { weightInitializerForms, weightInitializerNames } from "../initializers/weight-initializers.js";

/**
 * The hyperparameters the built-in TensorFlow.js trainer understands. A tfjs study may tune only
 * these (as `space` params) or fix them (`trainer.fixed`); the trainer reads the same table, so a name is
 * known here exactly when the trainer uses it.
 */
export type TfjsHyperparameterDomain =
  | { kind: "categorical"; choices: readonly string[] }
  /** Numbers with optional bounds; `exclusiveMin` / `exclusiveMax` make that bound open. */
  | { kind: "int" | "float"; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean };

export interface TfjsHyperparameter {
  name: string;
  description: string;
  domain: TfjsHyperparameterDomain;
}

export const tfjsHyperparameters: readonly TfjsHyperparameter[] = [
  { name: "layers", description: "Number of hidden dense layers", domain: { kind: "int", min: 1 } },
  { name: "hidden_units", description: "Units per hidden layer", domain: { kind: "int", min: 1 } },
  {
    name: "activation",
    description: "Hidden-layer activation",
    domain: { kind: "categorical", choices: ["relu", "tanh", "sigmoid", "elu"] },
  },
  {
    name: "initializer",
    description: "Weight initialization (see the core's weightInitializers)",
    domain: { kind: "categorical", choices: weightInitializerNames },
  },
  {
    name: "init_stddev",
    description: "σ of the `random` initializer (default 0.05)",
    domain: { kind: "float", min: 0, exclusiveMin: true },
  },
  {
    name: "init_form",
    description: "Normal or uniform form of the initializer",
    domain: { kind: "categorical", choices: weightInitializerForms },
  },
  {
    name: "optimizer",
    description: "Optimizer",
    domain: { kind: "categorical", choices: ["sgd", "momentum", "adam", "rmsprop"] },
  },
  {
    name: "momentum",
    description: "Momentum β of the `momentum` optimizer",
    domain: { kind: "float", min: 0, max: 1, exclusiveMax: true },
  },
  {
    name: "adam_beta1",
    description: "Adam β1",
    domain: { kind: "float", min: 0, max: 1, exclusiveMax: true },
  },
  {
    name: "adam_beta2",
    description: "Adam β2",
    domain: { kind: "float", min: 0, max: 1, exclusiveMax: true },
  },
  { name: "adam_epsilon", description: "Adam ε", domain: { kind: "float", min: 0, exclusiveMin: true } },
  {
    name: "learning_rate",
    description: "Learning rate",
    domain: { kind: "float", min: 0, exclusiveMin: true },
  },
  {
    name: "lr_decay",
    description: "Exponential learning-rate decay rate per epoch",
    domain: { kind: "float", min: 0 },
  },
  { name: "batch_size", description: "Mini-batch size", domain: { kind: "int", min: 1 } },
  {
    name: "epochs",
    description: "Training epochs (overrides trainer.epochs)",
    domain: { kind: "int", min: 1 },
  },
  {
    name: "dropout",
    description: "Dropout rate after each hidden layer",
    domain: { kind: "float", min: 0, max: 1, exclusiveMax: true },
  },
  { name: "weight_decay", description: "L2 weight decay", domain: { kind: "float", min: 0 } },
];

/** The names the tfjs trainer knows, in the order of the table above. */
export const tfjsHyperparameterNames: readonly string[] = tfjsHyperparameters.map((h) => h.name);

export function findTfjsHyperparameter(name: string): TfjsHyperparameter | undefined {
  return tfjsHyperparameters.find((h) => h.name === name);
}

function describeBounds(domain: Extract<TfjsHyperparameterDomain, { kind: "int" | "float" }>): string {
  const parts: string[] = [];
  if (domain.min !== undefined) parts.push(`${domain.exclusiveMin === true ? ">" : ">="} ${domain.min}`);
  if (domain.max !== undefined) parts.push(`${domain.exclusiveMax === true ? "<" : "<="} ${domain.max}`);
  return parts.join(" and ");
}

/**
 * Why a value is outside a hyperparameter's domain, as a plain sentence; undefined when it is allowed.
 * Used for `trainer.fixed` values, categorical choices and the bounds of numeric space params.
 */
export function explainTfjsValueProblem(
  hyperparameter: TfjsHyperparameter,
  value: ParamValue,
): string | undefined {
  const { domain, name } = hyperparameter;
  if (domain.kind === "categorical") {
    return typeof value === "string" && domain.choices.includes(value)
      ? undefined
      : `${JSON.stringify(value)} is not a valid ${name}; expected one of ${domain.choices.join(", ")}`;
  }
  if (typeof value !== "number") return `${name} must be a number, got ${JSON.stringify(value)}`;
  if (domain.kind === "int" && !Number.isInteger(value)) return `${name} must be an integer, got ${value}`;
  const belowMin =
    domain.min !== undefined && (domain.exclusiveMin === true ? value <= domain.min : value < domain.min);
  const aboveMax =
    domain.max !== undefined && (domain.exclusiveMax === true ? value >= domain.max : value > domain.max);
  return belowMin || aboveMax ? `${name} must be ${describeBounds(domain)}, got ${value}` : undefined;
}
