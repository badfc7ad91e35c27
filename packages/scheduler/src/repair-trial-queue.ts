import { readStudyDefinition } from "@hpo/db";
import {
  resolveRequirements,
  unstartedTrialStates,
  type TrialRequirements,
  type TrialState,
} from "@hpo/contracts";
import type { Queue } from "bullmq";
import type { TrialJobData } from "@hpo/contracts";
import { ensureTrialJob, listPendingTrialJobs, removeWaitingTrialJob } from "@hpo/queue";
import type { SchedulerDeps } from "./scheduler-deps.js";

const unstarted: ReadonlySet<TrialState> = new Set(unstartedTrialStates);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface QueueRepair {
  /** Queued trials whose job was missing or dead (Redis restarted, flushed, or a crash before the add). */
  reEnqueued: string[];
  /** Waiting jobs whose trial Postgres has already finished, cancelled or deleted. */
  dropped: string[];
}

/**
 * Rebuilds Redis from Postgres (design invariant 1): every `queued` trial of a running study gets a live
 * job, and jobs no trial needs any more are removed. `minQueuedAgeMs` leaves alone trials the fill step
 * has just queued and is about to enqueue itself (a duplicate add would be a no-op anyway).
 */
export async function repairTrialQueue(
  deps: SchedulerDeps,
  options: { minQueuedAgeMs?: number; limit?: number } = {},
): Promise<QueueRepair> {
  const limit = options.limit ?? 1000;
  const queuedBefore = new Date(deps.now().getTime() - (options.minQueuedAgeMs ?? 1000));
  const queued = await deps.prisma.trial.findMany({
    where: {
      state: "queued",
      study: { state: "running", deletedAt: null },
      OR: [{ queuedAt: { lt: queuedBefore } }, { queuedAt: null }],
    },
    select: { id: true, studyId: true },
    take: limit,
  });
  const routes = await studyRoutes(deps, [...new Set(queued.map((trial) => trial.studyId))]);
  const reEnqueued: string[] = [];
  for (const trial of queued) {
    const route = routes.get(trial.studyId);
    if (!route) continue;
    const queue = deps.queues.of(route.requirements.pool, route.projectId);
    const data = { trialId: trial.id, studyId: trial.studyId, requirements: route.requirements };
    if (await ensureTrialJob(queue, data)) reEnqueued.push(trial.id);
  }
  if (reEnqueued.length > 0)
    deps.logger.warn("queued trials had no live job; re-enqueued", { count: reEnqueued.length });

  // The queues of studies that run, are paused, or ended in the last hour (whose leftover jobs to drop).
  const recent = await deps.prisma.study.findMany({
    where: {
      deletedAt: null,
      OR: [
        { state: { in: ["running", "paused"] } },
        { finishedAt: { gte: new Date(deps.now().getTime() - 3_600_000) } },
      ],
    },
    select: { id: true },
    take: limit,
  });
  const queueNames = new Set<string>();
  const dropped: string[] = [];
  for (const route of (
    await studyRoutes(
      deps,
      recent.map((study) => study.id),
    )
  ).values()) {
    const queue = deps.queues.of(route.requirements.pool, route.projectId);
    if (queueNames.has(queue.name)) continue;
    queueNames.add(queue.name);
    dropped.push(...(await dropFinishedJobs(deps, queue, limit)));
  }
  if (dropped.length > 0) deps.logger.info("dropped jobs of finished trials", { count: dropped.length });
  return { reEnqueued, dropped };
}

interface StudyRoute {
  projectId: string;
  requirements: TrialRequirements;
}

/** Where each study's jobs go: its project's queue in its pool, with its resolved requirements. */
async function studyRoutes(deps: SchedulerDeps, studyIds: string[]): Promise<Map<string, StudyRoute>> {
  const studies = await deps.prisma.study.findMany({
    where: { id: { in: studyIds } },
    select: { id: true, projectId: true, definition: true },
  });
  const routes = new Map<string, StudyRoute>();
  for (const study of studies) {
    try {
      const requirements = resolveRequirements(readStudyDefinition(study.definition));
      routes.set(study.id, { projectId: study.projectId, requirements });
    } catch (error) {
      deps.logger.warn("unreadable study definition", { studyId: study.id, error: String(error) });
    }
  }
  return routes;
}

/** Removes waiting jobs whose trial Postgres has already finished, cancelled or deleted. */
async function dropFinishedJobs(
  deps: SchedulerDeps,
  queue: Queue<TrialJobData>,
  limit: number,
): Promise<string[]> {
  const jobs = await listPendingTrialJobs(queue, limit);
  const ids = jobs.map((job) => job.trialId).filter((id) => UUID.test(id));
  const trials = await deps.prisma.trial.findMany({
    where: { id: { in: ids } },
    select: { id: true, state: true, study: { select: { state: true, deletedAt: true } } },
  });
  const byId = new Map(trials.map((trial) => [trial.id, trial]));
  const dropped: string[] = [];
  for (const job of jobs) {
    const trial = byId.get(job.trialId);
    // A paused study keeps its jobs (a worker drops them at claim; they are re-added on resume).
    const needed =
      trial !== undefined &&
      unstarted.has(trial.state) &&
      trial.study.deletedAt === null &&
      (trial.study.state === "running" || trial.study.state === "paused");
    if (needed) continue;
    // No row at all may mean another database shares this queue: only drop jobs for trials we know ended.
    if (trial === undefined) continue;
    if (await removeWaitingTrialJob(queue, job.trialId)) dropped.push(job.trialId);
  }
  return dropped;
}
