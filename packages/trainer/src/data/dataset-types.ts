/**
 * A classification dataset held in flat typed arrays (row-major features), which is what tfjs tensors are
 * built from without copying element by element.
 */
export interface Dataset {
  readonly name: string;
  /** numSamples × numFeatures, row-major. */
  readonly features: Float32Array;
  /** Class index of each sample, 0..numClasses-1. */
  readonly labels: Int32Array;
  readonly numSamples: number;
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Whether features should be standardized (z-scored with training statistics) before training. */
  readonly standardize: boolean;
  readonly classNames?: readonly string[];
}

/** A train/validation split of a dataset, features already normalized. */
export interface DatasetSplit {
  readonly name: string;
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly train: { readonly features: Float32Array; readonly labels: Int32Array; readonly count: number };
  readonly validation: {
    readonly features: Float32Array;
    readonly labels: Int32Array;
    readonly count: number;
  };
}
