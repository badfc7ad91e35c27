/**
 * The four weight initializations taught by the seed course, as data shared by the tfjs trainer, the PyTorch
 * example, the docs and the dashboard. Each entry says which variance a layer's weights get; the trainer only
 * draws from the distribution that `describeInitializerDistribution` returns.
 *
 * - zeros: every weight 0. All units of a layer then compute the same function and receive the same gradient,
 *   so the symmetry is never broken (the course's cautionary example).
 * - random: small Gaussian N(0, σ²), σ configurable (default 0.05). Ignores the layer's size, so deep nets
 *   shrink or blow up their activations.
 * - xavier (Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks",
 *   eq. 12 and the "normalized initialization" eq. 16): Var(W) = 2 / (fan_in + fan_out), keeping activation and
 *   gradient variances equal across layers for symmetric activations (tanh, sigmoid's linear regime).
 * - he (He et al. 2015, "Delving Deep into Rectifiers", eq. 10): Var(W) = 2 / fan_in, compensating for ReLU
 *   zeroing half of its inputs.
 *
 * Uniform forms draw from U(-limit, limit) with limit = sqrt(3 · Var), which has the same variance as the
 * normal form (the variance of U(-a, a) is a² / 3).
 */

export type InitializerName = "zeros" | "random" | "xavier" | "he";
export type InitializerForm = "normal" | "uniform";
/** Which layer sizes the variance depends on: none, fan_in only, or the average of fan_in and fan_out. */
export type FanMode = "none" | "fan_in" | "fan_avg";

export interface InitializerOptions {
  /** Standard deviation of the `random` initializer (tfjs hyperparameter `init_stddev`). */
  stddev?: number;
}

export interface WeightInitializer {
  readonly name: InitializerName;
  /** Human title for docs and the dashboard. */
  readonly title: string;
  /** Other names users know it by (accepted by `findWeightInitializer`). */
  readonly aliases: readonly string[];
  /** The forms the trainer can draw it in; `zeros` has no randomness, so its form is irrelevant. */
  readonly forms: readonly InitializerForm[];
  readonly fanMode: FanMode;
  /** The variance formula as text (shown in docs and the dashboard). */
  readonly formula: string;
  /** Where the formula comes from. */
  readonly reference: string;
  /** Var(W) for a dense layer with `fanIn` inputs and `fanOut` outputs. Pure. */
  variance(fanIn: number, fanOut: number, options?: InitializerOptions): number;
}

/** Default σ of the `random` initializer (the course's "small random numbers"). */
export const DEFAULT_RANDOM_INIT_STDDEV = 0.05;

function checkFans(fanIn: number, fanOut: number): void {
  if (!(Number.isInteger(fanIn) && fanIn >= 1 && Number.isInteger(fanOut) && fanOut >= 1)) {
    throw new RangeError(`fan_in and fan_out must be positive integers, got ${fanIn} and ${fanOut}`);
  }
}

function resolveStddev(options: InitializerOptions | undefined): number {
  const stddev = options?.stddev ?? DEFAULT_RANDOM_INIT_STDDEV;
  if (!(Number.isFinite(stddev) && stddev >= 0)) {
    throw new RangeError(`init_stddev must be a finite number >= 0, got ${stddev}`);
  }
  return stddev;
}

export const weightInitializers: Readonly<Record<InitializerName, WeightInitializer>> = {
  zeros: {
    name: "zeros",
    title: "Zeros",
    aliases: ["zero"],
    forms: [],
    fanMode: "none",
    formula: "W = 0",
    reference: "Counter-example: identical units never break symmetry",
    variance(fanIn, fanOut) {
      checkFans(fanIn, fanOut);
      return 0;
    },
  },
  random: {
    name: "random",
    title: "Small random (Gaussian)",
    aliases: ["gaussian"],
    forms: ["normal", "uniform"],
    fanMode: "none",
    formula: "Var(W) = σ² (σ = init_stddev, default 0.05)",
    reference: "Fixed-scale random initialization",
    variance(fanIn, fanOut, options) {
      checkFans(fanIn, fanOut);
      const stddev = resolveStddev(options);
      return stddev * stddev;
    },
  },
  xavier: {
    name: "xavier",
    title: "Xavier / Glorot",
    aliases: ["glorot"],
    forms: ["normal", "uniform"],
    fanMode: "fan_avg",
    formula: "Var(W) = 2 / (fan_in + fan_out)",
    reference: "Glorot & Bengio 2010, eq. 12 / 16",
    variance(fanIn, fanOut) {
      checkFans(fanIn, fanOut);
      return 2 / (fanIn + fanOut);
    },
  },
  he: {
    name: "he",
    title: "He (Kaiming)",
    aliases: ["kaiming"],
    forms: ["normal", "uniform"],
    fanMode: "fan_in",
    formula: "Var(W) = 2 / fan_in",
    reference: "He et al. 2015, eq. 10",
    variance(fanIn, fanOut) {
      checkFans(fanIn, fanOut);
      return 2 / fanIn;
    },
  },
};

/** The initializer names, in the course's order (the choices of an `initializer` categorical). */
export const weightInitializerNames: readonly InitializerName[] = ["zeros", "random", "xavier", "he"];
export const weightInitializerForms: readonly InitializerForm[] = ["normal", "uniform"];

/** Looks an initializer up by name or alias (case-insensitive); undefined when unknown. */
export function findWeightInitializer(name: string): WeightInitializer | undefined {
  const wanted = name.trim().toLowerCase();
  return weightInitializerNames
    .map((n) => weightInitializers[n])
    .find((init) => init.name === wanted || init.aliases.includes(wanted));
}

/** The distribution a trainer draws one layer's weights from. */
export type InitializerDistribution =
  | { kind: "zeros" }
  | { kind: "normal"; mean: 0; stddev: number }
  | { kind: "uniform"; low: number; high: number };

/**
 * The concrete distribution for a dense layer: normal N(0, Var) or uniform U(-√(3·Var), √(3·Var)).
 * Plain (untruncated) normal, so the empirical variance matches the formula.
 */
export function describeInitializerDistribution(
  name: InitializerName,
  form: InitializerForm,
  fanIn: number,
  fanOut: number,
  options?: InitializerOptions,
): InitializerDistribution {
  const variance = weightInitializers[name].variance(fanIn, fanOut, options);
  if (name === "zeros") return { kind: "zeros" };
  if (form === "normal") return { kind: "normal", mean: 0, stddev: Math.sqrt(variance) };
  const limit = Math.sqrt(3 * variance);
  return { kind: "uniform", low: -limit, high: limit };
}
