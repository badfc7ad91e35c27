import { HpoError } from "@hpo/core";
import type { PrismaClient } from "../generated/prisma/client.js";
import { studyInScope, type TrialScope } from "./trial-scope.js";

/** A trial keeps the last 1 MiB of its output; older text is dropped from the front. */
export const trialLogLimit = 1024 * 1024;

/**
 * Appends worker output to the trial's log, fenced by the lease token (not by state: the last lines
 * often arrive just after the final tell). The caller's scope is checked in the same statement (one round
 * trip; before, the API looked the trial and its study up first).
 */
export async function appendTrialLog(
  prisma: PrismaClient,
  trialId: string,
  leaseToken: string,
  text: string,
  scope?: TrialScope,
): Promise<void> {
  const count = await prisma.$executeRaw`
    UPDATE "Trial" t SET "log" = right(coalesce(t."log", '') || ${text}, ${trialLogLimit}), "updatedAt" = now()
    FROM "Study" s
    WHERE t."id" = ${trialId}::uuid AND t."leaseToken" = ${leaseToken} AND s."id" = t."studyId"
      AND ${studyInScope(scope)}`;
  if (count === 1) return;
  const exists = await prisma.$queryRaw<{ found: number }[]>`
    SELECT 1 AS "found" FROM "Trial" t JOIN "Study" s ON s."id" = t."studyId"
    WHERE t."id" = ${trialId}::uuid AND ${studyInScope(scope)}`;
  if (exists.length === 0) throw new HpoError("not_found", "Trial not found", { status: 404 });
  throw new HpoError("lease_conflict", "The lease token does not match this trial; nothing was written", {
    status: 409,
  });
}
