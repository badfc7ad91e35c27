import type { Direction, Space } from "@hpo/contracts";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { createEncoding } from "../space/space-encoding.js";

/**
 * The safety gate of warm start: do the prior trials predict the new study at all? Each of the new
 * study's completed trials (the latest MAX_CHECKED) is predicted from the prior trials by its NEIGHBOURS
 * nearest prior trials (mean value), and the Kendall rank correlation τ between those predictions and the
 * observed values measures agreement (rank-based, so the two studies' scales need not match; the idea of
 * RGPE's ranking loss, Feurer, Letham & Bakshy 2018, "Scalable meta-learning for Bayesian optimization
 * using ranking-weighted Gaussian process ensembles", reduced to one prior). Once the study has
 * MIN_CHECKED trials, samplers use the priors only while τ ≥ MIN_AGREEMENT: a misleading earlier study is
 * dropped after a handful of trials instead of steering the whole run.
 */

export const MIN_CHECKED = 5;
export const MIN_AGREEMENT = 0.2;
const MAX_CHECKED = 40;
const NEIGHBOURS = 3;

type Valued = HistoryTrial & { value: number };

function valued(t: HistoryTrial): t is Valued {
  return t.state === "complete" && typeof t.value === "number" && Number.isFinite(t.value);
}

/** Kendall's τ-a between two equally long lists. */
function kendallTau(a: readonly number[], b: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      const s = Math.sign((a[i] ?? 0) - (a[j] ?? 0)) * Math.sign((b[i] ?? 0) - (b[j] ?? 0));
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  const pairs = (a.length * (a.length - 1)) / 2;
  return pairs > 0 ? (concordant - discordant) / pairs : 0;
}

/** τ between prior-based predictions and the study's values; undefined while too few trials to judge. */
export function priorAgreement(
  space: Space,
  priors: readonly HistoryTrial[],
  trials: readonly HistoryTrial[],
  direction: Direction,
): number | undefined {
  const own = trials.filter(valued).slice(-MAX_CHECKED);
  const prior = priors.filter(valued);
  if (own.length < MIN_CHECKED || prior.length === 0) return undefined;
  const encoding = createEncoding(space);
  const sign = direction === "maximize" ? -1 : 1;
  const rows = prior.map((t) => encoding.encode(t.params));
  const predicted = own.map((t) => {
    const x = encoding.encode(t.params);
    const dist = rows.map((r) => {
      let s = 0;
      for (let j = 0; j < x.length; j++) {
        const a = x[j] ?? Number.NaN;
        const b = r[j] ?? Number.NaN;
        // Inactive on one side only: as far as a whole coordinate.
        s +=
          Number.isNaN(a) || Number.isNaN(b) ? (Number.isNaN(a) === Number.isNaN(b) ? 0 : 1) : (a - b) ** 2;
      }
      return s;
    });
    const nearest = dist
      .map((d, i) => ({ d, i }))
      .sort((p, q) => p.d - q.d || p.i - q.i)
      .slice(0, NEIGHBOURS);
    return nearest.reduce((acc, { i }) => acc + sign * (prior[i]?.value ?? 0), 0) / nearest.length;
  });
  return kendallTau(
    predicted,
    own.map((t) => sign * t.value),
  );
}

/**
 * TPE: among the first MIN_CHECKED own trials, these turns are space-filling (its Sobol start-up design)
 * even with priors: the agreement gate needs trials OUTSIDE the prior's favourite region to tell
 * a misleading prior (whose good region is bad here) from a helpful one.
 */
export const EXPLORE_TURNS: readonly number[] = [1, 3];

/** Whether samplers should use the priors for this request (see priorAgreement). */
export function priorsAgree(
  space: Space,
  priors: readonly HistoryTrial[],
  trials: readonly HistoryTrial[],
  direction: Direction,
): boolean {
  const tau = priorAgreement(space, priors, trials, direction);
  return tau === undefined || tau >= MIN_AGREEMENT;
}
