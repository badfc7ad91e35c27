import { HpoError } from "@hpo/core";
import { readStudyDefinition, type PrismaClient } from "@hpo/db";
import { readWorkerOffer, resolveRequirements, unmetRequirement } from "@hpo/contracts";

/**
 * The API's own check at claim (the worker already checked before claiming, from the job's requirements):
 * a registered worker whose offer misses a study's needs never gets the lease, so a GPU trial never runs
 * on a CPU machine even with an old or misbehaving worker. A claimant that never registered (an external
 * ask/tell script claiming by hand) is not a fleet worker and is not checked.
 */
export async function checkClaimRequirements(
  prisma: PrismaClient,
  /** The project of the claiming worker's key; null for a fleet key's worker. */
  projectId: string | null,
  workerId: string,
  studyDefinition: unknown,
): Promise<void> {
  const worker = await prisma.worker.findFirst({
    where: { id: workerId, projectId },
    select: { pool: true, gpus: true, gpuMemoryGb: true, trainers: true, labels: true },
  });
  if (!worker) return;
  const need = resolveRequirements(readStudyDefinition(studyDefinition));
  const unmet = unmetRequirement(readWorkerOffer(worker), need);
  if (unmet === null) return;
  throw new HpoError("requirements_not_met", `This worker cannot run the trial: it ${unmet}`, {
    status: 409,
    details: { issues: [{ in: "body", path: ["workerId"], message: unmet }] },
  });
}
