import { createRng } from "@hpo/core";
import type { Dataset } from "./dataset-types.js";

/**
 * K interleaved spiral arms in 2-D (the CS231n "spiral data" toy problem): point i of arm k sits at radius
 * r = i/(n-1) and angle θ = 2πk/K + 4r + N(0, 0.2²). Not linearly separable, so it needs hidden layers.
 */
export function generateSpirals(
  options: { pointsPerClass?: number; classes?: number; seed?: number } = {},
): Dataset {
  const perClass = options.pointsPerClass ?? 300;
  const classes = options.classes ?? 3;
  const rng = createRng(options.seed ?? 7, 0x5717);
  const numSamples = perClass * classes;
  const features = new Float32Array(numSamples * 2);
  const labels = new Int32Array(numSamples);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < perClass; i++) {
      const index = k * perClass + i;
      const radius = i / (perClass - 1);
      const theta = ((2 * Math.PI) / classes) * k + 4 * radius + rng.normal() * 0.2;
      features[index * 2] = radius * Math.sin(theta);
      features[index * 2 + 1] = radius * Math.cos(theta);
      labels[index] = k;
    }
  }
  return {
    name: "spirals",
    features,
    labels,
    numSamples,
    numFeatures: 2,
    numClasses: classes,
    standardize: true,
  };
}
