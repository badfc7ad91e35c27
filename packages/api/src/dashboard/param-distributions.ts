import {
  choiceKey,
  type BoxStats,
  type ParamSpec,
  type ParamSummary,
  type ParamValue,
  type Params,
  type Space,
} from "@hpo/contracts";

export const histogramBins = 20;

/** The q-quantile of sorted values, linearly interpolated (Postgres' percentile_cont, NumPy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}

export function boxStatsOf(values: readonly number[]): BoxStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p05: quantile(sorted, 0.05),
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
    mean: sum / sorted.length,
  };
}

/**
 * Where a numeric value falls among `bins` equal bins of [low, high] (equal in log space for log params),
 * or null outside the range. The top edge belongs to the last bin.
 */
export function binOf(
  spec: { low: number; high: number; log?: boolean | undefined },
  value: number,
  bins: number,
): number | null {
  const log = spec.log === true;
  const low = log ? Math.log(spec.low) : spec.low;
  const high = log ? Math.log(spec.high) : spec.high;
  const x = log ? Math.log(value) : value;
  if (!Number.isFinite(x) || x < low || x > high || high <= low) return null;
  return Math.min(bins - 1, Math.floor(((x - low) / (high - low)) * bins));
}

/** The edges of `bins` equal bins of the param's range, in the param's own units. */
export function binEdges(
  spec: { low: number; high: number; log?: boolean | undefined },
  bins: number,
): number[] {
  const log = spec.log === true;
  const low = log ? Math.log(spec.low) : spec.low;
  const high = log ? Math.log(spec.high) : spec.high;
  return Array.from({ length: bins + 1 }, (_, i) => {
    const x = low + ((high - low) * i) / bins;
    return log ? Math.exp(x) : x;
  });
}

/** Index of a categorical value among the choices (1, "1" and true are different choices). */
export function choiceIndex(spec: Extract<ParamSpec, { type: "categorical" }>, value: ParamValue): number {
  const key = choiceKey(value);
  return spec.choices.findIndex((choice) => choiceKey(choice) === key);
}

/** Histograms of numeric params and the objective's spread per choice of categorical ones. */
export function summarizeParams(
  space: Space,
  rows: readonly { params: Params; value: number }[],
): ParamSummary[] {
  return space.map((spec): ParamSummary => {
    if (spec.type === "categorical") {
      const values: number[][] = spec.choices.map(() => []);
      for (const row of rows) {
        const raw = row.params[spec.name];
        if (raw === undefined) continue;
        values[choiceIndex(spec, raw)]?.push(row.value);
      }
      return {
        name: spec.name,
        type: "categorical",
        choices: spec.choices.map((choice, index) => {
          const taken = values[index] ?? [];
          return { choice, count: taken.length, box: boxStatsOf(taken) };
        }),
      };
    }
    const histogram = new Array<number>(histogramBins).fill(0);
    for (const row of rows) {
      const raw = row.params[spec.name];
      if (typeof raw !== "number") continue;
      const bin = binOf(spec, raw, histogramBins);
      if (bin !== null) histogram[bin] = (histogram[bin] ?? 0) + 1;
    }
    return {
      name: spec.name,
      type: spec.type,
      log: spec.log === true,
      low: spec.low,
      high: spec.high,
      histogram,
    };
  });
}
