import type { TrainingDiagnostics } from "@hpo/contracts";

type Flag = TrainingDiagnostics["flags"][number];

/** Each flag of the initialization diagnostics, said plainly: what it means and why it hurts training. */
export const flagExplanations: Record<Flag, { title: string; text: string }> = {
  saturated: {
    title: "Activations saturated: the gradient vanishes",
    text: "Many units of a hidden layer sit at the flat ends of tanh or sigmoid, where the slope is almost zero, so almost no gradient flows back through them and the layers below barely learn. Smaller initial weights (Xavier for tanh/sigmoid) or a ReLU activation avoid it.",
  },
  "dead-units": {
    title: "Dead units",
    text: "At least half of a hidden layer outputs zero for every sample, so those units pass no signal and get no gradient: they never recover. Typical of ReLU with too large a learning rate or a poor initialization; He initialization or a smaller learning rate help.",
  },
  "symmetric-weights": {
    title: "Weights symmetric: zero initialization keeps every unit identical",
    text: "Every unit of a layer started with the same weights, so each receives the same gradient and they stay copies of one another: the layer behaves like a single unit. Initialize with random values (Xavier or He) to break the symmetry.",
  },
};

export const snapshotNames: Record<TrainingDiagnostics["snapshots"][number]["at"], string> = {
  init: "At initialization",
  "epoch-1": "After epoch 1",
  final: "At the end",
};
