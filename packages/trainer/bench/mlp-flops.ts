/**
 * Theoretical arithmetic of a dense MLP per sample. A dense layer with fan_in × fan_out weights costs
 * fan_in·fan_out multiply-adds (2 FLOPs each) forward. Backpropagation costs about twice the forward pass:
 * one matrix product for the gradient with respect to the weights and one for the inputs (Kaplan et al. 2020
 * use the same 2·N forward / 6·N training rule). Bias adds, activations and the optimizer update are O(units)
 * and left out.
 */
export interface MlpArithmetic {
  parameters: number;
  forwardFlopsPerSample: number;
  trainingFlopsPerSample: number;
}

export function computeMlpArithmetic(layerSizes: readonly number[]): MlpArithmetic {
  let weights = 0;
  let biases = 0;
  for (let i = 1; i < layerSizes.length; i++) {
    weights += (layerSizes[i - 1] ?? 0) * (layerSizes[i] ?? 0);
    biases += layerSizes[i] ?? 0;
  }
  return {
    parameters: weights + biases,
    forwardFlopsPerSample: 2 * weights,
    trainingFlopsPerSample: 6 * weights,
  };
}
