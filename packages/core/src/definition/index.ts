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
