import { z } from "zod";

/**
 * The tfjs trainer's initialization diagnostics (a trial's `diagnostics`): per-layer health at
 * initialization, after the first epoch and at the end, and the flags raised. Written by the trainer (in
 * the trial's child process), carried by the worker's tell, read back by the CLI and the dashboard.
 */
export const diagnosticFlags = ["dead-units", "saturated", "symmetric-weights"] as const;
export const diagnosticFlagSchema = z.enum(diagnosticFlags);
export type DiagnosticFlag = (typeof diagnosticFlags)[number];

/** A measurement; null where it was NaN or infinite (a diverged network), since JSON has neither. */
const measured = z.number().nullable();

export const layerHealthSchema = z.object({
  layer: z.int(),
  kind: z.enum(["hidden", "output"]),
  units: z.int(),
  /** Fraction of units whose activation is 0 for every sample of the batch (hidden layers). */
  deadFraction: measured,
  /** Fraction of activation values within 0.01 of a tanh/sigmoid limit (0 for relu and elu). */
  saturatedFraction: measured,
  activationMean: measured,
  activationStd: measured,
  /** L2 norm of ∂loss/∂W for this layer's weight matrix. */
  gradientNorm: measured,
  weightStd: measured,
  /** True when every unit of the layer has the same incoming weights and bias (symmetry never broken). */
  symmetricWeights: z.boolean(),
});
export type LayerHealth = z.infer<typeof layerHealthSchema>;

export const healthSnapshotSchema = z.object({
  at: z.enum(["init", "epoch-1", "final"]),
  epoch: z.int(),
  loss: measured,
  layers: z.array(layerHealthSchema),
});
export type HealthSnapshot = z.infer<typeof healthSnapshotSchema>;

export const trainingDiagnosticsSchema = z.object({
  snapshots: z.array(healthSnapshotSchema),
  flags: z.array(diagnosticFlagSchema),
  thresholds: z.object({ deadFraction: z.number(), saturatedFraction: z.number() }),
});
export type TrainingDiagnostics = z.infer<typeof trainingDiagnosticsSchema>;
