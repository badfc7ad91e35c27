import type { PrismaClient, StudyState } from "../generated/prisma/client.js";
import { isStopRequested, throwFenceFailure } from "./lease-fence.js";
import { studyInScope, type TrialScope } from "./trial-scope.js";

interface HeartbeatRow {
  studyId: string;
  studyState: StudyState;
}

/**
 * Extends a running trial's lease; `stop` tells the worker to end it (study stopped or completed).
 *
 * One statement: the fenced UPDATE renews the heartbeat on the database clock, checks the caller's scope
 * on the trial's study and returns the study's state. Before: the API's lookup of the trial with its
 * study, the clock, the update and a read of the study's state (4 round trips, each through the query
 * builder).
 */
export async function heartbeatTrial(
  prisma: PrismaClient,
  trialId: string,
  leaseToken: string,
  options: { now?: Date; scope?: TrialScope } = {},
): Promise<{ stop: boolean; studyId: string }> {
  const { now, scope } = options;
  const rows = await prisma.$queryRaw<HeartbeatRow[]>`
    UPDATE "Trial" t SET "heartbeatAt" = COALESCE(${now ?? null}::timestamptz, clock_timestamp()),
      "updatedAt" = now()
    FROM "Study" s
    WHERE t."id" = ${trialId}::uuid AND t."state" = 'running' AND t."leaseToken" = ${leaseToken}
      AND s."id" = t."studyId" AND ${studyInScope(scope)}
    RETURNING t."studyId"::text AS "studyId", s."state"::text AS "studyState"`;
  const row = rows[0];
  if (!row) return throwFenceFailure(prisma, trialId, scope);
  return { stop: isStopRequested(row.studyState), studyId: row.studyId };
}
