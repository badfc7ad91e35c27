import { proposeTrials, readStudyDefinition, settleStudyAfterFinish, withStudyLock } from "@hpo/db";
import { enqueueTrialJob } from "@hpo/queue";
import { completeStudy, isPastMaxDuration } from "./end-study.js";
import type { SchedulerDeps } from "./scheduler-deps.js";
import { runsOnWorkers } from "./worker-trainers.js";

export interface FillResult {
  /** Trials moved to `queued` and put on the queue in this round. */
  enqueued: string[];
  /** Set when the study ended in this round. */
  ended?: string;
}

/**
 * Brings one running study up to its parallelism: `proposeTrials` (trial-store) counts queued + running
 * against `parallelism` and non-abandoned trials against `maxTrials` under the study's advisory lock,
 * serves waiting trials (manual ones, retries) first, samples the rest and moves them to `queued`; this
 * step then adds one BullMQ job per trial. A crash between the two leaves `queued` trials without a job,
 * which the queue repair re-enqueues. Also ends the study on maxDurationSeconds, an exhausted grid, or a
 * spent budget whose last trial was not finished through the API (a reconciler `failed`).
 */
export async function fillStudy(deps: SchedulerDeps, studyId: string): Promise<FillResult> {
  const study = await deps.prisma.study.findUnique({
    where: { id: studyId },
    select: { state: true, definition: true, startedAt: true, deletedAt: true },
  });
  if (study?.state !== "running" || study.deletedAt !== null) return { enqueued: [] };
  const definition = readStudyDefinition(study.definition);
  if (isPastMaxDuration(study.startedAt, definition.budget.maxDurationSeconds, deps.now())) {
    return (await completeStudy(deps, studyId, "max_duration"))
      ? { enqueued: [], ended: "max_duration" }
      : { enqueued: [] };
  }
  if (!runsOnWorkers(definition)) return { enqueued: [] };

  const proposal = await proposeTrials(deps.prisma, studyId, definition.budget.parallelism);
  const enqueued: string[] = [];
  for (const trial of proposal.trials) {
    try {
      await enqueueTrialJob(deps.queue, { trialId: trial.id, studyId });
      enqueued.push(trial.id);
    } catch (error) {
      // Postgres already says `queued`: the queue repair adds the job once Redis answers again.
      deps.logger.warn("could not enqueue a trial; the reconciler will retry", {
        trialId: trial.id,
        error: String(error),
      });
    }
  }
  if (enqueued.length > 0) {
    deps.logger.info("trials enqueued", { studyId, numbers: proposal.trials.map((t) => t.number) });
  }
  if (proposal.trials.length > 0) return { enqueued };

  if (proposal.limitedBy === "exhausted" && (await countPending(deps, studyId)) === 0) {
    return (await completeStudy(deps, studyId, "exhausted"))
      ? { enqueued, ended: "exhausted" }
      : { enqueued };
  }
  if (proposal.limitedBy === "max_trials") {
    const reason = await withStudyLock(deps.prisma, studyId, (tx) =>
      settleStudyAfterFinish(tx, studyId, definition, { state: "failed", value: null }, deps.now()),
    );
    if (reason) {
      deps.logger.info("study completed", { studyId, reason });
      await deps.publish({ type: "study.updated", studyId, state: "completed" }).catch(() => undefined);
      return { enqueued, ended: reason };
    }
  }
  return { enqueued };
}

function countPending(deps: SchedulerDeps, studyId: string): Promise<number> {
  return deps.prisma.trial.count({ where: { studyId, state: { in: ["waiting", "queued", "running"] } } });
}
