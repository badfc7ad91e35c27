import type { DiagnosticFlag, TrainingDiagnostics } from "@hpo/contracts";

/** What each initialization flag of the tfjs trainer means, in the words of the criteria it checks. */
export function explainFlag(flag: DiagnosticFlag, thresholds: TrainingDiagnostics["thresholds"]): string {
  switch (flag) {
    case "dead-units":
      return `dead units: at initialization or after the first epoch, at least ${Math.round(thresholds.deadFraction * 100)}% of a hidden layer's units output 0 for every sample, so they pass no gradient (all-zero or too-small weights, or ReLUs pushed below 0)`;
    case "saturated":
      return `saturated: at least ${Math.round(thresholds.saturatedFraction * 100)}% of a hidden layer's tanh/sigmoid activations sit at their limits, where the gradient vanishes (weights too large for the layer's fan-in)`;
    case "symmetric-weights":
      return "symmetric weights: at the end every unit of a layer still has the same incoming weights, so the layer behaves like a single unit (all-zero initialization never breaks the symmetry)";
  }
}

function percent(value: number | null): string {
  return value === null ? "-" : `${Math.round(value * 100)}%`;
}

function number(value: number | null): string {
  return value === null ? "NaN" : value.toPrecision(3);
}

/** One row per layer of a snapshot: what the flags were computed from. */
export function diagnosticsRows(diagnostics: TrainingDiagnostics): (string | number)[][] {
  return diagnostics.snapshots.flatMap((snapshot) =>
    snapshot.layers.map((layer) => [
      snapshot.at,
      `${layer.layer} ${layer.kind}`,
      layer.units,
      percent(layer.kind === "hidden" ? layer.deadFraction : null),
      percent(layer.kind === "hidden" ? layer.saturatedFraction : null),
      number(layer.activationStd),
      number(layer.gradientNorm),
      number(layer.weightStd),
      layer.symmetricWeights ? "yes" : "no",
    ]),
  );
}

export const diagnosticsHead = [
  "when",
  "layer",
  "units",
  "dead",
  "saturated",
  "act std",
  "grad norm",
  "weight std",
  "symmetric",
];
