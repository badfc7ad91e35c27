export { HpoError, isHpoError, type HpoErrorOptions } from "./errors/hpo-error.js";
export { createRng, type Rng } from "./rng/create-rng.js";
export { parseSpace, type ValidationIssue } from "./space/parse-space.js";
export { isParamActive } from "./space/param-activity.js";
export { validateParams, type ValidateParamsResult } from "./space/validate-params.js";
export { findSamplerSpaceIssues } from "./samplers/sampler-space-issues.js";
export {
  isPendingState,
  requestDirections,
  trialValues,
  type JsonValue,
  type TrialStateForSampler,
  type HistoryTrial,
  type SampleRequest,
  type SampleResult,
  type Sampler,
} from "./samplers/sampler-types.js";
export {
  createEncoding,
  type SpaceEncoding,
  type EncodedParam,
  type NumericEncodedParam,
  type CategoricalEncodedParam,
} from "./space/space-encoding.js";
export { gridValue, gridCount } from "./space/grid-value.js";
export * from "./initializers/index.js";
export * from "./pruners/index.js";
export { createSampler, availableSamplerTypes } from "./samplers/create-sampler.js";
export {
  chooseAutoSampler,
  AUTO_GP_MAX_PARAMS,
  AUTO_GP_MAX_TRIALS,
  AUTO_NSGA2_MIN_TRIALS,
  type AutoChoiceInput,
} from "./samplers/auto-sampler.js";
export { createNsga2Sampler, defaultPopulationSize } from "./samplers/nsga2-sampler.js";
export {
  constraintViolations,
  isFeasible,
  totalViolation,
  MISSING_METRIC_VIOLATION,
} from "./constraints/constraint-violations.js";
export {
  paretoFront,
  nonDominatedRanks,
  dominatesLoss,
  toLosses,
  type ParetoPoint,
} from "./multi-objective/pareto.js";
export { hypervolume } from "./multi-objective/hypervolume.js";
export { dominanceOrder } from "./multi-objective/dominance-order.js";
export { createRandomSampler } from "./samplers/random-sampler.js";
export { createSobolSampler } from "./samplers/sobol-sampler.js";
export { createGridSampler, enumerateGrid, MAX_GRID_POINTS } from "./samplers/grid-sampler.js";
export {
  createTpeSampler,
  createTpeSamplerWithSettings,
  DEFAULT_TPE_SETTINGS,
  type TpeSettings,
} from "./samplers/tpe/tpe-sampler.js";
export { tpeHistoryWindow, type TpeHistoryWindow } from "./samplers/tpe/tpe-history-window.js";
export { historyWindowFor, type HistoryWindow } from "./samplers/sampler-history-window.js";
export { sobolPoint, sobolCoordinate, sobolInteger, SOBOL_MAX_DIMENSION } from "./samplers/sobol-sequence.js";
export { decodeUnitPoint, paramsKey } from "./samplers/decode-unit-point.js";
export {
  benchmarkProblems,
  type BenchmarkProblem,
  type BenchmarkProblemName,
} from "./bench-problems/benchmark-problems.js";
export {
  createStudy,
  type Study,
  type StudyTrial,
  type CreateStudyOptions,
  type AskedTrial,
  type TellInput,
} from "./study/create-study.js";
export * from "./definition/index.js";
export {
  resolveTrialResult,
  type ResolvedTrialResult,
  type ResolveTrialResultOutcome,
  type TrialResultInput,
} from "./objectives/resolve-trial-result.js";
export * from "./importance/index.js";
export * from "./warm-start/index.js";
