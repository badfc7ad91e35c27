import { maxGoodObservations } from "./rank-observations.js";

/**
 * What TPE needs to read of a long history: every pending trial (the constant liar), the best trials
 * that can form the good group, and the most recent trials, from which the bad group's density g(x) is
 * estimated. The good group is at most the best 25 observations (`countGood`, Optuna's default γ rule), so
 * the best 25 complete trials of the whole history are exactly the good group whenever the window holds
 * at least 25 / γ observations. g(x) is a kernel density over the other trials weighted towards the
 * recent ones (`recencyWeights`, Optuna's default_weights): the newest `recent` trials are an estimate of
 * it whose cost does not grow with the study (Watanabe 2023, §3: the model is a weighted kernel density,
 * and the weights already favour the newest trials). Within the window the recency ramp runs over the
 * window, so old best trials weigh less than they would in the full history.
 *
 * Past `recent + best` trials this bounds an ask's reads and its TPE fit to ~1,025 trials: at 100,000
 * trials an ask went from ~2 s (loading and fitting everything) to tens of milliseconds (docs/scaling.md).
 */
export interface TpeHistoryWindow {
  /** The newest trials of any state, by number. */
  recent: number;
  /** The best complete trials by the objective's value. */
  best: number;
}

export const tpeHistoryWindow: TpeHistoryWindow = { recent: 1_000, best: maxGoodObservations };
