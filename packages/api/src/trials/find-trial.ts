import { HpoError } from "@hpo/core";
import type { PrismaClient, Study, Trial } from "@hpo/db";
import { requireUuid } from "../auth/project-scope.js";

/** The trial (with its study) if it belongs to the caller's project; otherwise a 404, never a 403. */
export async function findTrialInProject(
  prisma: PrismaClient,
  projectId: string,
  trialId: string,
): Promise<Trial & { study: Study }> {
  const trial = await prisma.trial.findFirst({
    where: { id: requireUuid(trialId, "Trial"), study: { projectId } },
    include: { study: true },
  });
  if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
  return trial;
}
