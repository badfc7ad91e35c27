import { selectTfjsBackend } from "../backend/tfjs-backends.js";
import { describeDatasetSpec, loadDataset } from "../data/load-dataset.js";
import { splitDataset } from "../data/split-dataset.js";
import type { TfjsTrainerSpec, TrainerContext, TrainerOutcome } from "../trainer-types.js";
import { resolveTfjsHyperparameters } from "./hyperparameters.js";
import "./register-gradients.js";
import { trainTfjsModel } from "./train-tfjs-model.js";

/**
 * The data split is seeded by this constant, not the trial seed: every trial of a study must be scored on
 * the same validation samples, or the sampler would compare noise.
 */
export const DATASET_SPLIT_SEED = 20240611;
const DEFAULT_VALIDATION_SPLIT = 0.2;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a `trainer.type: "tfjs"` trial: backend, data, network, per-epoch reports, diagnostics. */
export async function runTfjsTrainer(spec: TfjsTrainerSpec, ctx: TrainerContext): Promise<TrainerOutcome> {
  let backend = "unselected";
  try {
    const hp = resolveTfjsHyperparameters(ctx.params, { fixed: spec.fixed, epochs: spec.epochs });
    const selected = await selectTfjsBackend(ctx.backend);
    backend = selected.label;
    if (selected.skipped.length > 0) ctx.log(`tfjs backends skipped: ${selected.skipped.join("; ")}\n`);
    const dataset = await loadDataset(spec.dataset);
    const split = splitDataset(dataset, {
      validationSplit: spec.validationSplit ?? DEFAULT_VALIDATION_SPLIT,
      maxSamples: spec.maxSamples,
      seed: DATASET_SPLIT_SEED,
    });
    ctx.log(
      `tfjs trainer: backend ${backend}, dataset ${describeDatasetSpec(spec.dataset)} (${split.train.count} train / ${split.validation.count} validation), ` +
        `${hp.layers}×${hp.hidden_units} ${hp.activation}, ${hp.initializer}/${hp.init_form}, ${hp.optimizer} lr=${hp.learning_rate}, ` +
        `batch ${hp.batch_size}, ${hp.epochs} epochs\n`,
    );
    const result = await trainTfjsModel({
      hyperparameters: hp,
      split,
      seed: ctx.seed,
      signal: ctx.signal,
      onEpoch: async (epoch, metrics) => {
        ctx.log(
          `epoch ${epoch}: loss=${metrics.loss?.toFixed(4)} val_loss=${metrics.val_loss?.toFixed(4)} val_accuracy=${metrics.val_accuracy?.toFixed(4)} (${metrics.duration_ms} ms)\n`,
        );
        const answer = await ctx.report(epoch, metrics);
        return answer.stop ? "stop" : answer.prune ? "prune" : "continue";
      },
    });
    const metrics: Record<string, number> = { ...result.metrics };
    const value = metrics[ctx.objectiveMetric];
    const base = { metrics, backend, diagnostics: result.diagnostics };
    switch (result.status) {
      case "diverged":
        return { ...base, state: "failed", error: result.reason ?? "diverged" };
      case "stopped":
        return { ...base, state: "failed", error: result.reason ?? "stopped" };
      case "pruned":
        return { ...base, state: "pruned", ...(value === undefined ? {} : { value }) };
      case "complete":
        if (value === undefined) {
          return {
            ...base,
            state: "failed",
            error: `objective metric "${ctx.objectiveMetric}" is not produced by the tfjs trainer; it reports ${Object.keys(metrics).join(", ")}`,
          };
        }
        return { ...base, state: "complete", value };
    }
  } catch (error) {
    return { state: "failed", metrics: {}, backend, error: errorText(error) };
  }
}
