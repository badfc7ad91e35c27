import { HpoError } from "@hpo/core";
import { fleetServes, type Db, type PrismaClient, type Study, type Trial } from "@hpo/db";
import { requireUuid } from "../auth/project-scope.js";

/** The trial (with its study) if it belongs to the caller's project; otherwise a 404, never a 403. */
export async function findTrialInProject(
  db: Db,
  projectId: string,
  trialId: string,
): Promise<Trial & { study: Study }> {
  const trial = await db.trial.findFirst({
    where: { id: requireUuid(trialId, "Trial"), study: { projectId } },
    include: { study: true },
  });
  if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
  return trial;
}

/**
 * A trial a fleet key may act on: one of a study of a project its pool's fleet serves (docs/fleets.md).
 * Anything else is a 404, as for a project key (design invariant 6).
 */
export async function findTrialForFleet(
  prisma: PrismaClient,
  pool: string,
  trialId: string,
): Promise<Trial & { study: Study }> {
  const trial = await prisma.trial.findFirst({
    where: { id: requireUuid(trialId, "Trial") },
    include: { study: true },
  });
  if (!trial || !(await fleetServes(prisma, pool, trial.study.projectId)))
    throw new HpoError("not_found", "Trial not found", { status: 404 });
  return trial;
}
