import type { StudyDefinition } from "@hpo/contracts";
import { chooseAutoSampler } from "./auto-sampler.js";
import { tpeHistoryWindow, type TpeHistoryWindow } from "./tpe/tpe-history-window.js";

/** What a model sampler reads of a long history: the newest trials and the best complete ones (plus every pending trial). */
export type HistoryWindow = TpeHistoryWindow;

/** The GP's model holds 250 trials by default (gp-sampler.ts DEFAULT_MAX_MODEL_TRIALS). */
const GP_DEFAULT_MODEL_TRIALS = 250;

/**
 * The GP's window. Past its model size the GP models the trials nearest the incumbent and restricts the
 * acquisition to their box (training-subset.ts, after TuRBO: Eriksson et al. 2019), and its stall trust
 * region replays the newest values (stall-trust-region.ts). The best `model size` complete trials hold the
 * incumbent's neighbourhood as far as the value tells it, and the newest 1,000 the region the study is
 * searching now; so the GP is bounded by a stated subset whatever the study's length, and the nearest
 * rows are chosen among these instead of among all trials.
 */
function gpHistoryWindow(maxTrainingTrials: number | undefined): HistoryWindow {
  return { recent: 1_000, best: Math.max(maxTrainingTrials ?? 0, GP_DEFAULT_MODEL_TRIALS) };
}

/**
 * The window the study's sampler reads of its history, or null to read all of it: random, Sobol, grid
 * and NSGA-II (which read none or need every trial), several objectives (the good group or the front is
 * an order over all trials) and constraints (feasibility orders before value). `auto` gets the window of
 * the sampler it chooses for this study (auto-sampler.ts: a pure function of the space and budget).
 */
export function historyWindowFor(definition: StudyDefinition): HistoryWindow | null {
  if (definition.objectives.length > 1 || definition.constraints.length > 0) return null;
  const sampler = definition.sampler;
  switch (sampler.type) {
    case "tpe":
      return tpeHistoryWindow;
    case "gp":
      return gpHistoryWindow(sampler.maxTrainingTrials);
    case "auto": {
      const choice = chooseAutoSampler({
        space: definition.space,
        budget: definition.budget,
        gpAvailable: true,
        objectives: definition.objectives.length,
      });
      if (choice === "tpe") return tpeHistoryWindow;
      if (choice === "gp") return gpHistoryWindow(undefined);
      return null;
    }
    default:
      return null;
  }
}
