import { proposeTrials, readStudyDefinition, settleStudyAfterFinish, withStudyLock } from "@hpo/db";
import { countTrialStates, type StudyDefinition, type TrialStateCounts } from "@hpo/contracts";
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

  // A lock-free look first: most passes find the study full, and proposeTrials would take the study's
  // advisory lock just to learn that (contending with claims and tells). It re-counts under the lock.
  const counts = await countStudyTrials(deps, studyId);
  const hasRoom = counts.active < definition.budget.parallelism;
  const hasWork = counts.waiting > 0 || counts.counted < definition.budget.maxTrials;
  if (!hasRoom || !hasWork) {
    if (counts.active === 0 && counts.waiting === 0 && counts.finished >= definition.budget.maxTrials) {
      return settleSpentBudget(deps, studyId, definition);
    }
    return { enqueued: [] };
  }

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
  if (proposal.limitedBy === "max_trials") return settleSpentBudget(deps, studyId, definition);
  return { enqueued };
}

/**
 * The API settles a study when a worker's tell spends the budget; a trial the reconciler `failed`
 * (retries used up) spends it without a tell, so the scheduler settles it here, under the lock.
 */
async function settleSpentBudget(
  deps: SchedulerDeps,
  studyId: string,
  definition: StudyDefinition,
): Promise<FillResult> {
  const reason = await withStudyLock(deps.prisma, studyId, (tx) =>
    settleStudyAfterFinish(tx, studyId, definition, { state: "failed", value: null }, deps.now()),
  );
  if (!reason) return { enqueued: [] };
  deps.logger.info("study completed", { study: definition.name, studyId, reason });
  await deps.publish({ type: "study.updated", studyId, state: "completed" }).catch(() => undefined);
  return { enqueued: [], ended: reason };
}

async function countStudyTrials(deps: SchedulerDeps, studyId: string): Promise<TrialStateCounts> {
  const groups = await deps.prisma.trial.groupBy({
    by: ["state"],
    where: { studyId },
    _count: { _all: true },
  });
  return countTrialStates(groups.map((group) => ({ state: group.state, count: group._count._all })));
}

async function countPending(deps: SchedulerDeps, studyId: string): Promise<number> {
  const counts = await countStudyTrials(deps, studyId);
  return counts.active + counts.waiting;
}
