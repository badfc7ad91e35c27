import { createRng } from "@hpo/core";
import type { Dataset } from "./dataset-types.js";

/** Two interleaving half circles with Gaussian noise (the shape of scikit-learn's `make_moons`). */
export function generateMoons(options: { samples?: number; noise?: number; seed?: number } = {}): Dataset {
  const numSamples = options.samples ?? 1000;
  const noise = options.noise ?? 0.15;
  const rng = createRng(options.seed ?? 7, 0x300e5);
  const outer = Math.ceil(numSamples / 2);
  const features = new Float32Array(numSamples * 2);
  const labels = new Int32Array(numSamples);
  for (let i = 0; i < numSamples; i++) {
    const isOuter = i < outer;
    const t =
      Math.PI * (isOuter ? i / Math.max(1, outer - 1) : (i - outer) / Math.max(1, numSamples - outer - 1));
    const x = isOuter ? Math.cos(t) : 1 - Math.cos(t);
    const y = isOuter ? Math.sin(t) : 0.5 - Math.sin(t);
    features[i * 2] = x + rng.normal() * noise;
    features[i * 2 + 1] = y + rng.normal() * noise;
    labels[i] = isOuter ? 0 : 1;
  }
  return { name: "moons", features, labels, numSamples, numFeatures: 2, numClasses: 2, standardize: true };
}
