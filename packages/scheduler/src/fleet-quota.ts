import { fleetMembers, readStudyDefinition } from "@hpo/db";
import { finishedTrialStates, resolveRequirements, WORKER_ALIVE_WITHIN_MS } from "@hpo/contracts";
import { fairShares, type ShareClaim } from "./fair-share.js";
import type { SchedulerDeps } from "./scheduler-deps.js";

/** How far back trials count as recently served, for handing out leftover whole slots fairly. */
const SERVED_WINDOW_MS = 15 * 60_000;

/**
 * The most trials a study may have queued + running when its project shares a pool's fleet: the
 * fleet's live slots are split between member projects by weighted max-min fair share (each capped by
 * its `maxConcurrentTrials`), a project's own workers in the pool add to its part, and a project's
 * part is split round robin (equal weights) between its running studies in the pool. Returns null when
 * the project is no fleet member of the pool (then only the study's parallelism limits it).
 */
export async function fleetStudyLimit(
  deps: SchedulerDeps,
  study: { id: string; projectId: string },
  pool: string,
): Promise<number | null> {
  const members = await fleetMembers(deps.prisma, pool);
  if (!members.some((member) => member.projectId === study.projectId)) return null;
  const memberIds = members.map((member) => member.projectId);
  const since = new Date(deps.now().getTime() - WORKER_ALIVE_WITHIN_MS);
  const workers = await deps.prisma.worker.findMany({
    where: { pool, lastSeen: { gte: since }, OR: [{ projectId: null }, { projectId: { in: memberIds } }] },
    select: { projectId: true, slots: true },
  });
  const fleetSlots = workers.filter((w) => w.projectId === null).reduce((sum, w) => sum + w.slots, 0);
  const ownSlots = (projectId: string) =>
    workers.filter((w) => w.projectId === projectId).reduce((sum, w) => sum + w.slots, 0);

  const running = await deps.prisma.study.findMany({
    where: { projectId: { in: memberIds }, state: "running", deletedAt: null },
    select: { id: true, projectId: true, definition: true },
  });
  const inPool = running.flatMap((row) => {
    try {
      const definition = readStudyDefinition(row.definition);
      if (resolveRequirements(definition).pool !== pool) return [];
      return [{ id: row.id, projectId: row.projectId, parallelism: definition.budget.parallelism }];
    } catch {
      return [];
    }
  });
  const recent = await deps.prisma.trial.groupBy({
    by: ["studyId"],
    where: {
      studyId: { in: inPool.map((s) => s.id) },
      // Finished trials only: what a study has just queued must not change the answer for the next
      // study visited in the same pass, or leftover slots could be handed out twice.
      state: { in: [...finishedTrialStates] },
      finishedAt: { gte: new Date(deps.now().getTime() - SERVED_WINDOW_MS) },
    },
    _count: { _all: true },
  });
  const servedBy = new Map(recent.map((group) => [group.studyId, group._count._all]));

  const projectClaims: ShareClaim[] = members.map((member) => {
    const studies = inPool.filter((s) => s.projectId === member.projectId);
    const wanted = studies.reduce((sum, s) => sum + s.parallelism, 0) - ownSlots(member.projectId);
    const cap = member.maxConcurrentTrials ?? Number.POSITIVE_INFINITY;
    return {
      key: member.projectId,
      weight: member.weight,
      demand: Math.max(0, Math.min(wanted, cap)),
      served: studies.reduce((sum, s) => sum + (servedBy.get(s.id) ?? 0), 0),
    };
  });
  const member = members.find((m) => m.projectId === study.projectId);
  const projectLimit = Math.min(
    (fairShares(fleetSlots, projectClaims).get(study.projectId) ?? 0) + ownSlots(study.projectId),
    member?.maxConcurrentTrials ?? Number.POSITIVE_INFINITY,
  );
  const studyClaims: ShareClaim[] = inPool
    .filter((s) => s.projectId === study.projectId)
    .map((s) => ({ key: s.id, weight: 1, demand: s.parallelism, served: servedBy.get(s.id) ?? 0 }));
  return fairShares(projectLimit, studyClaims).get(study.id) ?? 0;
}
