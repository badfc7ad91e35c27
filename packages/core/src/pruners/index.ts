export { createPruner } from "./create-pruner.js";
export type { PruneDecision, PruneRequest, Pruner, StepReport } from "./pruner-types.js";
export { assignBracket, computeBracketLayout, type BracketLayout } from "./hyperband-pruner.js";
export { computeRungStep } from "./successive-halving-pruner.js";
export {
  simulatePrunedStudy,
  type SimulatePrunedStudyOptions,
  type SimulatedStudy,
} from "./simulate-pruned-study.js";
export { createDominancePruner } from "./dominance-pruner.js";
