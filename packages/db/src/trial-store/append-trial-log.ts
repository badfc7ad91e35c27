import { HpoError } from "@hpo/core";
import type { PrismaClient } from "../generated/prisma/client.js";

/** A trial keeps the last 1 MiB of its output; older text is dropped from the front. */
export const trialLogLimit = 1024 * 1024;

/**
 * Appends worker output to the trial's log, fenced by the lease token (not by state: the last lines
 * often arrive just after the final tell).
 */
export async function appendTrialLog(
  prisma: PrismaClient,
  trialId: string,
  leaseToken: string,
  text: string,
): Promise<void> {
  const count = await prisma.$executeRaw`
    UPDATE "Trial" SET "log" = right(coalesce("log", '') || ${text}, ${trialLogLimit}), "updatedAt" = now()
    WHERE "id" = ${trialId}::uuid AND "leaseToken" = ${leaseToken}`;
  if (count === 1) return;
  const exists = await prisma.trial.findUnique({ where: { id: trialId }, select: { id: true } });
  if (!exists) throw new HpoError("not_found", "Trial not found", { status: 404 });
  throw new HpoError("lease_conflict", "The lease token does not match this trial; nothing was written", {
    status: 409,
  });
}
