export {
  loadDataset,
  resolveTfjsHyperparameters,
  selectTfjsBackend,
  splitDataset,
  trainTfjsModel,
  type DatasetSplit,
} from "@hpo/trainer";
export type { Params } from "@hpo/contracts";
