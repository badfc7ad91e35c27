import type { TrainerOutcome, ChildTrialJob } from "@hpo/contracts";
import { runSyntheticTrainer } from "../synthetic/synthetic-trainer.js";

export interface TrainerHooks {
  signal: AbortSignal;
  report: (step: number, metrics: Record<string, number>) => Promise<{ prune: boolean; stop: boolean }>;
  log: (text: string) => void;
}

/**
 * Runs the trainer a study names. The synthetic trainer lives here; tfjs and command trainers come from
 * @hpo/trainer, imported lazily so that a synthetic trial never pays for loading TensorFlow.js.
 */
export async function runTrainerJob(job: ChildTrialJob, hooks: TrainerHooks): Promise<TrainerOutcome> {
  const trainer = job.trainer;
  switch (trainer.type) {
    case "synthetic":
      return runSyntheticTrainer(trainer, {
        number: job.number,
        params: job.params,
        seed: job.seed,
        objectiveMetric: job.objectiveMetric,
        signal: hooks.signal,
        report: hooks.report,
      });
    case "tfjs":
    case "command": {
      const { runTrainer } = await import("@hpo/trainer");
      return runTrainer(trainer, {
        trialId: job.trialId,
        studyId: job.studyId,
        number: job.number,
        params: job.params,
        seed: job.seed,
        objectiveMetric: job.objectiveMetric,
        gpuIds: job.gpuIds,
        backend: job.backend,
        signal: hooks.signal,
        report: hooks.report,
        log: hooks.log,
      });
    }
    case "external":
      return {
        state: "failed",
        metrics: {},
        backend: "none",
        error:
          "an external-trainer study is evaluated by the user's own code through ask/tell, not by workers",
      };
  }
}
