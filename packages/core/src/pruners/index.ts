export { createPruner } from "./create-pruner.js";
export {
  hyperbandPrunerConfigSchema,
  medianPrunerConfigSchema,
  nonePrunerConfigSchema,
  percentilePrunerConfigSchema,
  prunerConfigSchema,
  successiveHalvingPrunerConfigSchema,
  type HyperbandPrunerConfig,
  type MedianPrunerConfig,
  type PercentilePrunerConfig,
  type PrunerConfig,
  type PrunerConfigInput,
  type SuccessiveHalvingPrunerConfig,
} from "./pruner-config.js";
export type { PruneDecision, PruneRequest, Pruner, StepReport } from "./pruner-types.js";
export { assignBracket, computeBracketLayout, type BracketLayout } from "./hyperband-pruner.js";
export { computeRungStep } from "./successive-halving-pruner.js";
export {
  simulatePrunedStudy,
  type SimulatePrunedStudyOptions,
  type SimulatedStudy,
} from "./simulate-pruned-study.js";
