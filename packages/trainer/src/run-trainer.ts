import { runCommandTrainer } from "./command/run-command-trainer.js";
import { runTfjsTrainer } from "./tfjs/run-tfjs-trainer.js";
import type { TrainerContext, TrainerOutcome, TrainerSpec } from "./trainer-types.js";

/**
 * The one entry point the worker's per-trial child process calls. Never throws: every failure becomes a
 * `failed` outcome with the reason, so the worker can tell the API.
 */
export async function runTrainer(spec: TrainerSpec, ctx: TrainerContext): Promise<TrainerOutcome> {
  try {
    switch (spec.type) {
      case "tfjs":
        return await runTfjsTrainer(spec, ctx);
      case "command":
        return await runCommandTrainer(spec, ctx);
    }
  } catch (error) {
    return {
      state: "failed",
      metrics: {},
      backend: spec.type,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
