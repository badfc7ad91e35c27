import { unstartedTrialStates } from "@hpo/contracts";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Ends a study's trials that no worker holds yet (waiting, queued) as `cancelled` with the reason, when the
 * study is stopped or completed: they never ran, so they count neither as failures nor against the budget. A queued trial's BullMQ job then finds it unclaimable and is dropped.
 */
export async function cancelPendingTrials(
  tx: Prisma.TransactionClient,
  studyId: string,
  reason: string,
  now: Date = new Date(),
): Promise<number> {
  const { count } = await tx.trial.updateMany({
    where: { studyId, state: { in: [...unstartedTrialStates] } },
    data: { state: "cancelled", error: reason, finishedAt: now },
  });
  return count;
}
