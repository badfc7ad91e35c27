export { runTrainer } from "./run-trainer.js";
export type { TrainerContext, TrainerSpec } from "./trainer-types.js";
export {
  BACKEND_CANDIDATES,
  detectTfjsBackends,
  selectTfjsBackend,
  silenceTfjs,
  type SelectedBackend,
  type TfjsBackendLabel,
} from "./backend/tfjs-backends.js";
export { runCommandTrainer, type CommandTrainerOptions } from "./command/run-command-trainer.js";
export { parseProtocolLine, type ProtocolLine } from "./command/protocol-line.js";
export {
  buildCommandInvocation,
  paramEnvName,
  substitutePlaceholders,
} from "./command/command-invocation.js";
export { runTfjsTrainer, DATASET_SPLIT_SEED } from "./tfjs/run-tfjs-trainer.js";
export {
  trainTfjsModel,
  type TrainTfjsOptions,
  type TrainTfjsResult,
  type EpochDecision,
} from "./tfjs/train-tfjs-model.js";
export {
  resolveTfjsHyperparameters,
  knownTfjsHyperparameterNames,
  tfjsHyperparameterDefaults,
  HyperparameterError,
  type TfjsHyperparameters,
  type Activation,
  type OptimizerName,
} from "./tfjs/hyperparameters.js";
export {
  DIAGNOSTIC_THRESHOLDS,
  hasSymmetricUnits,
  type DiagnosticFlag,
  type HealthSnapshot,
  type LayerHealth,
  type TrainingDiagnostics,
} from "./tfjs/layer-diagnostics.js";
export { loadDataset, describeDatasetSpec } from "./data/load-dataset.js";
export { splitDataset, permuteIndices } from "./data/split-dataset.js";
export { parseCsvDataset } from "./data/load-csv-dataset.js";
export { generateSpirals } from "./data/generate-spirals.js";
export { generateMoons } from "./data/generate-moons.js";
export type { Dataset, DatasetSplit } from "./data/dataset-types.js";
