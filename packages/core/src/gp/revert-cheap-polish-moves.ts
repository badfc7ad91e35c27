/**
 * After the acquisition's L-BFGS polish: put back, column by column, the start's value wherever the polish's
 * move bought less than `budgetNats` of log EI, cheapest first, while the polished row's total loss stays
 * within the budget.
 *
 * Why: on a column the model barely resolves (long length scale) the posterior variance still grows towards the
 * box's edge, so the polish carries the column to a bound for a sliver of EI, the boundary over-exploration of
 * Siivola, Vehtari, Vanhatalo, González & Andersen 2018 ("Correcting boundary over-exploration deficiencies in
 * Bayesian optimization with virtual derivative sign observations"). Trial after trial then lands on the bound
 * of weak params whose best value is inside. The start is a quasi-uniform point or a perturbation of an
 * incumbent, so keeping its value where the model has no real preference samples weak params spread over their
 * range instead. A move worth more than the budget (a factor e^0.2 ≈ 1.22 in EI at the default) is kept: that
 * is the polish doing its job on the columns that matter. The price: the polish's trips to the bounds are also
 * exploration, and a problem with two basins in two of seven params (three-hump-camel-in-7d) ends in the wrong
 * one more often without them. Measured in docs/benchmarks.md ("Weak params left at the box edge").
 * The optimizer passes only `revertibleColumns` (below).
 */
export function revertCheapPolishMoves(
  polished: Float64Array,
  start: Float64Array,
  columns: readonly number[],
  budgetNats: number,
  canonicalize: (row: Float64Array) => void,
  score: (row: Float64Array) => number,
): Float64Array {
  const base = score(polished);
  if (!Number.isFinite(base)) return polished;
  const withStartValue = (row: Float64Array, column: number): Float64Array => {
    const out = new Float64Array(row);
    out[column] = start[column] ?? 0;
    canonicalize(out);
    return out;
  };
  const costs: { column: number; cost: number }[] = [];
  for (const column of columns) {
    if (polished[column] === start[column]) continue;
    costs.push({ column, cost: base - score(withStartValue(polished, column)) });
  }
  costs.sort((a, b) => a.cost - b.cost);
  let out = polished;
  for (const { column, cost } of costs) {
    if (!(cost <= budgetNats)) break;
    const candidate = withStartValue(out, column);
    // Reverts interact (EI is not separable), so the budget is checked on the row with every revert so far.
    if (base - score(candidate) <= budgetNats) out = candidate;
  }
  return out;
}

/**
 * The columns whose polish moves may be put back: not those where the start holds an incumbent's own value.
 *
 * Why: a perturbation start (acquisition-optimizer.ts) moves a few columns of an incumbent and copies the
 * rest. Where few of many params matter, the polish nudges the copied params that matter for a sliver of EI,
 * and putting those nudges back restores the incumbent's exact values there, while the weak params the
 * perturbation moved keep their new values. The proposal is then the incumbent again in every param that
 * matters, with only weak params changed: a trial that teaches the model nothing. Traced on
 * three-hump-camel-in-7d (suite-problems.ts, seed 0): trials 18, 22, 23 and 28 repeated the incumbent's
 * values in the two params that matter exactly (the same 0.4072 each time), the global step stalled on these,
 * and the stall region then converged in the wrong basin.
 * Restoring values that spread weak params over their range is what the revert is for; restoring copied
 * incumbent values is not. Measured in docs/benchmarks.md ("Weak params left at the box edge").
 */
export function revertibleColumns(
  columns: readonly number[],
  start: Float64Array,
  incumbents: readonly Float64Array[],
): number[] {
  return columns.filter((j) => !incumbents.some((incumbent) => incumbent[j] === start[j]));
}
