import {
  type CategoricalParamSpec,
  type NumericParamSpec,
  type ParamValue,
  type Params,
  type Space,
  choiceKey,
} from "@hpo/contracts";
import { isParamActive } from "./param-activity.js";
import { gridCount, gridValue } from "./grid-value.js";

/**
 * The unit-cube encoding every model-based sampler shares (TPE, GP).
 *
 * - A numeric param is one dimension in [0, 1]; log params are encoded in log space. Ints and stepped
 *   floats get their range widened by half a step on each side, so each of the n grid values owns an
 *   interval of width 1/n: a uniform u is then uniform over the grid (Optuna does the same for ints), and
 *   `fromUnit` always returns an exact grid value.
 * - A categorical param is a one-hot block of `size` dimensions; `ordinal` gives, when every choice is a
 *   number, each choice's position on [0, 1] by rank, for models that prefer an ordinal view.
 * - Inactive params (their `when` is false) encode as NaN: the consumer decides how to impute them.
 */
export interface NumericEncodedParam {
  kind: "numeric";
  name: string;
  spec: NumericParamSpec;
  specIndex: number;
  offset: number;
  /** Number of distinct values (Infinity for a continuous float). */
  gridSize: number;
  toUnit(value: number): number;
  fromUnit(u: number): number;
  /** The unit position of the grid value nearest to u (identity for continuous floats). */
  snapUnit(u: number): number;
}

export interface CategoricalEncodedParam {
  kind: "categorical";
  name: string;
  spec: CategoricalParamSpec;
  specIndex: number;
  offset: number;
  size: number;
  choices: readonly ParamValue[];
  /** Rank position of each choice on [0, 1] when all choices are numbers, else null. */
  ordinal: readonly number[] | null;
  indexOf(value: ParamValue): number;
}

export type EncodedParam = NumericEncodedParam | CategoricalEncodedParam;

export interface SpaceEncoding {
  space: Space;
  params: readonly EncodedParam[];
  /** Total encoded dimensions (numerics + one-hot blocks). */
  dimension: number;
  param(name: string): EncodedParam | undefined;
  /** One-hot / unit vector; NaN for every dimension of an inactive param. */
  encode(params: Readonly<Params>): Float64Array;
  /** Inverse of encode: argmax for one-hot blocks, exact grid values, only active params. */
  decode(x: ArrayLike<number>): Params;
}

const clampUnit = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : Number.isNaN(u) ? 0.5 : u);

export function createNumericEncoder(
  spec: NumericParamSpec,
): Pick<NumericEncodedParam, "gridSize" | "toUnit" | "fromUnit" | "snapUnit"> {
  const log = spec.log === true;
  const step = spec.type === "int" ? (spec.step ?? 1) : spec.step;
  if (step === undefined) {
    const lo = log ? Math.log(spec.low) : spec.low;
    const width = (log ? Math.log(spec.high) : spec.high) - lo;
    const fromUnit = (u: number): number => {
      const t = lo + clampUnit(u) * width;
      const v = log ? Math.exp(t) : t;
      return v < spec.low ? spec.low : v > spec.high ? spec.high : v;
    };
    return {
      gridSize: Infinity,
      toUnit: (v) => ((log ? Math.log(v) : v) - lo) / width,
      fromUnit,
      snapUnit: clampUnit,
    };
  }
  const count = gridCount(spec.low, spec.high, step);
  // Half-step widening (log ints: half a unit on the raw scale, then logged).
  const lo = log ? Math.log(spec.low - 0.5) : spec.low - step / 2;
  const width = (log ? Math.log(spec.high + 0.5) : spec.high + step / 2) - lo;
  const indexOfUnit = (u: number): number => {
    const t = lo + clampUnit(u) * width;
    const k = log ? Math.round(Math.exp(t)) - spec.low : Math.round((t - spec.low) / step);
    return k < 0 ? 0 : k > count - 1 ? count - 1 : k;
  };
  // Log ints have step 1 (the schema forbids other steps with log).
  const valueAt = (k: number): number => (log ? spec.low + k : gridValue(spec.low, step, k, count));
  const toUnit = (v: number): number => ((log ? Math.log(v) : v) - lo) / width;
  return {
    gridSize: count,
    toUnit,
    fromUnit: (u) => valueAt(indexOfUnit(u)),
    snapUnit: (u) => toUnit(valueAt(indexOfUnit(u))),
  };
}

export function createEncoding(space: Space): SpaceEncoding {
  const params: EncodedParam[] = [];
  let offset = 0;
  space.forEach((spec, specIndex) => {
    if (spec.type === "categorical") {
      const keys = spec.choices.map(choiceKey);
      const numbers = spec.choices.every((c) => typeof c === "number");
      let ordinal: number[] | null = null;
      if (numbers && spec.choices.length > 1) {
        const sorted = [...spec.choices].sort((a, b) => Number(a) - Number(b));
        ordinal = spec.choices.map((c) => sorted.indexOf(c) / (spec.choices.length - 1));
      }
      params.push({
        kind: "categorical",
        name: spec.name,
        spec,
        specIndex,
        offset,
        size: spec.choices.length,
        choices: spec.choices,
        ordinal,
        indexOf: (v) => keys.indexOf(choiceKey(v)),
      });
      offset += spec.choices.length;
    } else {
      params.push({
        kind: "numeric",
        name: spec.name,
        spec,
        specIndex,
        offset,
        ...createNumericEncoder(spec),
      });
      offset += 1;
    }
  });
  const dimension = offset;
  const byName = new Map(params.map((p) => [p.name, p]));

  const encode = (values: Readonly<Params>): Float64Array => {
    const x = new Float64Array(dimension).fill(Number.NaN);
    for (const p of params) {
      const v = values[p.name];
      if (v === undefined) continue;
      if (p.kind === "numeric") {
        if (typeof v === "number") x[p.offset] = p.toUnit(v);
      } else {
        const k = p.indexOf(v);
        if (k < 0) continue;
        for (let j = 0; j < p.size; j++) x[p.offset + j] = j === k ? 1 : 0;
      }
    }
    return x;
  };

  const decode = (x: ArrayLike<number>): Params => {
    const out: Params = {};
    for (const p of params) {
      if (!isParamActive(p.spec, out)) continue;
      if (p.kind === "numeric") {
        out[p.name] = p.fromUnit(x[p.offset] ?? 0.5);
      } else {
        let best = 0;
        let bestValue = -Infinity;
        for (let j = 0; j < p.size; j++) {
          const v = x[p.offset + j] ?? 0;
          if (v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        const choice = p.choices[best];
        if (choice !== undefined) out[p.name] = choice;
      }
    }
    return out;
  };

  return { space, params, dimension, param: (name) => byName.get(name), encode, decode };
}
