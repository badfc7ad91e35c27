import {
  proposeTrials,
  readStudyDefinition,
  readStudyOccupancy,
  readStudyTrialCounts,
  settleStudyAfterFinish,
  withStudyLock,
} from "@hpo/db";
import {
  countTrialStates,
  resolveRequirements,
  trialStates,
  type StudyDefinition,
  type TrialStateCounts,
} from "@hpo/contracts";
import { enqueueTrialJob } from "@hpo/queue";
import { completeStudy, isPastMaxDuration } from "./end-study.js";
import type { SchedulerDeps } from "./scheduler-deps.js";
import { fleetStudyLimit } from "./fleet-quota.js";
import { updateWorkerAvailability } from "./worker-availability.js";
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
    select: {
      state: true,
      definition: true,
      startedAt: true,
      deletedAt: true,
      projectId: true,
      waitingForWorkers: true,
    },
  });
  if (study?.state !== "running" || study.deletedAt !== null) return { enqueued: [] };
  const definition = readStudyDefinition(study.definition);
  if (isPastMaxDuration(study.startedAt, definition.budget.maxDurationSeconds, deps.now())) {
    return (await completeStudy(deps, studyId, "max_duration"))
      ? { enqueued: [], ended: "max_duration" }
      : { enqueued: [] };
  }
  if (!runsOnWorkers(definition)) return { enqueued: [] };
  const requirements = resolveRequirements(definition);
  await updateWorkerAvailability(
    deps,
    { id: studyId, projectId: study.projectId, waitingForWorkers: study.waitingForWorkers },
    requirements,
  );
  // The study's own queue: only workers of its project and pool consume it (no claim is ever refused
  // for the wrong project), and the requirements ride along so a worker checks them before claiming.
  const queue = deps.queues.of(requirements.pool, study.projectId);

  // A lock-free look first: most passes find the study full, and proposeTrials would take the study's
  // advisory lock just to learn that (contending with claims and tells). It re-counts under the lock.
  // Cheap: the active and waiting rows and the last number (study-occupancy.ts); the budget is counted
  // over the whole study only once it may be spent (the study holds at most `nextNumber` trials).
  const occupancy = await readStudyOccupancy(deps.prisma, studyId);
  const { maxTrials, parallelism } = definition.budget;
  const counts = occupancy.nextNumber >= maxTrials ? await countStudyTrials(deps, studyId) : null;
  const hasRoom = occupancy.active < parallelism;
  const hasWork = occupancy.waiting.length > 0 || counts === null || counts.counted < maxTrials;
  if (!hasRoom || !hasWork) {
    if (counts && counts.active === 0 && counts.waiting === 0 && counts.finished >= maxTrials) {
      return settleSpentBudget(deps, studyId, definition);
    }
    return { enqueued: [] };
  }

  // On a shared fleet the study's fair share of the pool's slots may be below its parallelism.
  const fleetLimit = await fleetStudyLimit(
    deps,
    { id: studyId, projectId: study.projectId },
    requirements.pool,
  );
  const wanted =
    fleetLimit === null
      ? definition.budget.parallelism
      : Math.min(parallelism, fleetLimit - occupancy.active);
  if (wanted <= 0) return { enqueued: [] };
  const proposal = await proposeTrials(deps.prisma, studyId, wanted);
  const enqueued: string[] = [];
  for (const trial of proposal.trials) {
    try {
      await enqueueTrialJob(queue, { trialId: trial.id, studyId, requirements });
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
  const counts = await readStudyTrialCounts(deps.prisma, studyId);
  return countTrialStates(trialStates.map((state) => ({ state, count: counts[state] })));
}

async function countPending(deps: SchedulerDeps, studyId: string): Promise<number> {
  const occupancy = await readStudyOccupancy(deps.prisma, studyId);
  return occupancy.active + occupancy.waiting.length;
}
