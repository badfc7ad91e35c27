import type { PrismaClient } from "../generated/prisma/client.js";
import { databaseNow } from "./database-clock.js";
import { isStopRequested, throwFenceFailure } from "./lease-fence.js";

/** Extends a running trial's lease; `stop` tells the worker to end it (study stopped or completed). */
export async function heartbeatTrial(
  prisma: PrismaClient,
  trialId: string,
  leaseToken: string,
  now?: Date,
): Promise<{ stop: boolean; studyId: string }> {
  const { count } = await prisma.trial.updateMany({
    where: { id: trialId, state: "running", leaseToken },
    data: { heartbeatAt: now ?? (await databaseNow(prisma)) },
  });
  if (count !== 1) return throwFenceFailure(prisma, trialId);
  const trial = await prisma.trial.findUnique({
    where: { id: trialId },
    select: { studyId: true, study: { select: { state: true } } },
  });
  return { stop: isStopRequested(trial?.study.state), studyId: trial?.studyId ?? "" };
}
