import {
  describeRequirements,
  readWorkerOffer,
  unmetRequirement,
  WORKER_ALIVE_WITHIN_MS,
  type TrialRequirements,
} from "@hpo/contracts";
import { fleetServes } from "@hpo/db";
import type { SchedulerDeps } from "./scheduler-deps.js";

/**
 * Whether a live worker allowed to serve the study offers what its trials need; when none does, the
 * study says why (`waitingForWorkers`, in its REST reply) and one `study.updated` event carries the
 * sentence with the reason `waiting_for_workers: …`. Jobs are still enqueued: they wait in the study's
 * own queue, and a worker that cannot serve them hands them back unclaimed, so nothing is lost and the
 * first fitting worker to join takes them. Only a change is written and announced.
 */
export async function updateWorkerAvailability(
  deps: SchedulerDeps,
  study: { id: string; projectId: string; waitingForWorkers: string | null },
  need: TrialRequirements,
): Promise<string | null> {
  const since = new Date(deps.now().getTime() - WORKER_ALIVE_WITHIN_MS);
  // The project's own workers, and the pool's fleet workers when the project is a member of that fleet.
  const member = await fleetServes(deps.prisma, need.pool, study.projectId);
  const owners = member
    ? [{ projectId: study.projectId }, { projectId: null }]
    : [{ projectId: study.projectId }];
  const workers = await deps.prisma.worker.findMany({
    where: { OR: owners, pool: need.pool, lastSeen: { gte: since } },
    select: { pool: true, gpus: true, gpuMemoryGb: true, trainers: true, labels: true },
  });
  const served = workers.some((worker) => unmetRequirement(readWorkerOffer(worker), need) === null);
  const waiting = served ? null : describeRequirements(need);
  if (waiting === study.waitingForWorkers) return waiting;
  await deps.prisma.study.update({ where: { id: study.id }, data: { waitingForWorkers: waiting } });
  deps.logger.info(waiting ? "study waiting for workers" : "study has workers again", {
    studyId: study.id,
    ...(waiting ? { reason: waiting } : {}),
  });
  await deps
    .publish({
      type: "study.updated",
      studyId: study.id,
      state: "running",
      reason: waiting ? `waiting_for_workers: ${waiting}` : "workers_available",
    })
    .catch(() => undefined);
  return waiting;
}
