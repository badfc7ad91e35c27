export {
  computeImportance,
  IMPORTANCE_METHOD,
  MAX_IMPORTANCE_TRIALS,
  type ImportanceInput,
  type ImportanceResult,
  type ObjectiveImportance,
  type ParamImportance,
} from "./compute-importance.js";
