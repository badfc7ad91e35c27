import { choiceKey, type ParamSpec, type ParamValue, type Params, type Space } from "@hpo/contracts";
import { createNumericEncoder } from "../space/space-encoding.js";
import { isParamActive } from "../space/param-activity.js";
import type { KernelColumns } from "./kernel.js";

/**
 * The GP's view of a space: one column per numeric param (unit cube, log- and step-aware, via core's
 * numeric encoder) and ONE column per categorical holding the choice index, used with a Hamming distance in
 * the kernel (exact categoricals, no one-hot relaxation to round).
 *
 * Conditional params: an inactive numeric is imputed at 0.5 and a 0/1 "active" flag column (categorical,
 * Hamming) is added for it; an inactive categorical gets its own extra index `size`. So all inactive
 * trials coincide on those columns (distance 0 between them) and differ from active ones only through the
 * flag's own length scale, which the likelihood learns (cf. Lévesque et al. 2017, "Bayesian optimization for
 * conditional hyperparameter spaces", imputation + indicator).
 */

interface NumericColumn {
  kind: "numeric";
  spec: ParamSpec & { type: "float" | "int" };
  column: number;
  flagColumn: number;
  /** Grid size (Infinity for continuous floats). */
  gridSize: number;
  toUnit(value: number): number;
  fromUnit(u: number): number;
  snapUnit(u: number): number;
}

interface CategoricalColumn {
  kind: "categorical";
  spec: ParamSpec & { type: "categorical" };
  column: number;
  size: number;
  keys: string[];
}

type GpColumnParam = NumericColumn | CategoricalColumn;

export interface GpEncoding {
  readonly space: Space;
  readonly columns: KernelColumns;
  readonly params: readonly GpColumnParam[];
  /** Number of values each categorical column can take (incl. the inactive index), 0 for continuous. */
  readonly categoryCounts: Int32Array;
  /** Columns optimized by gradient (numeric params, not flags). */
  readonly continuousColumns: readonly number[];
  encode(params: Readonly<Params>, out?: Float64Array): Float64Array;
  decode(row: ArrayLike<number>): Params;
  /** encode(decode(row)): snaps ints/steps, sets inactive columns and flags consistently. */
  canonicalize(row: Float64Array): void;
}

const INACTIVE_NUMERIC = 0.5;

export function createGpEncoding(space: Space): GpEncoding {
  const params: GpColumnParam[] = [];
  const isCat: number[] = [];
  const counts: number[] = [];
  const continuousColumns: number[] = [];
  for (const spec of space) {
    const conditional = spec.when !== undefined && Object.keys(spec.when).length > 0;
    if (spec.type === "categorical") {
      const column = isCat.length;
      isCat.push(1);
      counts.push(spec.choices.length + (conditional ? 1 : 0));
      params.push({
        kind: "categorical",
        spec,
        column,
        size: spec.choices.length,
        keys: spec.choices.map(choiceKey),
      });
    } else {
      const column = isCat.length;
      isCat.push(0);
      counts.push(0);
      continuousColumns.push(column);
      let flagColumn = -1;
      if (conditional) {
        flagColumn = isCat.length;
        isCat.push(1);
        counts.push(2);
      }
      params.push({ kind: "numeric", spec, column, flagColumn, ...createNumericEncoder(spec) });
    }
  }
  const dims = isCat.length;
  const columns: KernelColumns = { dims, isCategorical: Uint8Array.from(isCat) };

  const encode = (values: Readonly<Params>, out: Float64Array = new Float64Array(dims)): Float64Array => {
    for (const p of params) {
      const v = values[p.spec.name];
      if (p.kind === "numeric") {
        const active = typeof v === "number";
        const u = active ? p.toUnit(v) : INACTIVE_NUMERIC;
        out[p.column] = Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : INACTIVE_NUMERIC;
        if (p.flagColumn >= 0) out[p.flagColumn] = active ? 1 : 0;
      } else {
        const k = v === undefined ? -1 : p.keys.indexOf(choiceKey(v));
        out[p.column] = k >= 0 ? k : p.size;
      }
    }
    return out;
  };

  const decode = (row: ArrayLike<number>): Params => {
    const out: Params = {};
    for (const p of params) {
      if (!isParamActive(p.spec, out)) continue;
      if (p.kind === "numeric") {
        out[p.spec.name] = p.fromUnit(row[p.column] ?? INACTIVE_NUMERIC);
      } else {
        const raw = Math.round(row[p.column] ?? 0);
        const k = raw >= 0 && raw < p.size ? raw : 0;
        const choice: ParamValue | undefined = p.spec.choices[k];
        if (choice !== undefined) out[p.spec.name] = choice;
      }
    }
    return out;
  };

  const canonicalize = (row: Float64Array): void => {
    const active: Params = {};
    for (const p of params) {
      const on = isParamActive(p.spec, active);
      if (p.kind === "numeric") {
        if (on) {
          const u = p.snapUnit(row[p.column] ?? INACTIVE_NUMERIC);
          row[p.column] = u;
          active[p.spec.name] = p.fromUnit(u);
        } else row[p.column] = INACTIVE_NUMERIC;
        if (p.flagColumn >= 0) row[p.flagColumn] = on ? 1 : 0;
      } else if (on) {
        const raw = Math.round(row[p.column] ?? 0);
        const k = raw >= 0 && raw < p.size ? raw : 0;
        row[p.column] = k;
        const choice = p.spec.choices[k];
        if (choice !== undefined) active[p.spec.name] = choice;
      } else row[p.column] = p.size;
    }
  };

  return {
    space,
    columns,
    params,
    categoryCounts: Int32Array.from(counts),
    continuousColumns,
    encode,
    decode,
    canonicalize,
  };
}
