export {
  budgetSchema,
  objectiveSchema,
  studyDefinitionSchema,
  type Budget,
  type Objective,
  type StudyDefinition,
  type StudyDefinitionInput,
} from "./study-definition-schema.js";
export {
  commandTrainerSpecSchema,
  externalTrainerSpecSchema,
  syntheticProblemNames,
  syntheticTrainerSpecSchema,
  tfjsDatasetNames,
  tfjsDatasetSchema,
  tfjsTrainerSpecSchema,
  trainerSpecSchema,
  type CommandTrainerSpec,
  type ExternalTrainerSpec,
  type SyntheticTrainerSpec,
  type TfjsDataset,
  type TfjsTrainerSpec,
  type TrainerSpec,
  type TrainerType,
} from "./trainer-spec-schema.js";
export {
  explainTfjsValueProblem,
  findTfjsHyperparameter,
  tfjsHyperparameterNames,
  tfjsHyperparameters,
  type TfjsHyperparameter,
  type TfjsHyperparameterDomain,
} from "./tfjs-hyperparameters.js";
export { validateStudyDefinition, type ValidateStudyDefinitionResult } from "./validate-study-definition.js";
export type { DefinitionIssue } from "./definition-issues.js";
