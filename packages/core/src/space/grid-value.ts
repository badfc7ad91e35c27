/**
 * The k-th value of a stepped numeric grid low, low + step, …, high, computed one way everywhere (encoding,
 * validation, grid sampler) so the same grid point is always the same double. Rounding to 14 significant
 * digits removes binary noise (0.1 + 0.2 → 0.3) while keeping every representable user step distinct.
 */
export function gridValue(low: number, step: number, k: number, count: number): number {
  if (k <= 0) return low;
  const raw = low + k * step;
  const high = low + (count - 1) * step;
  const value = Number.isInteger(low) && Number.isInteger(step) ? raw : Number(raw.toPrecision(14));
  return k >= count - 1 ? Number(high.toPrecision(15)) : value;
}

/** Number of grid values of a stepped range (the schema guarantees the step divides the range). */
export function gridCount(low: number, high: number, step: number): number {
  return Math.round((high - low) / step) + 1;
}
