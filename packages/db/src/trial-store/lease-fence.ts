import { HpoError } from "@hpo/core";
import type { StudyState, TrialState } from "../generated/prisma/client.js";
import type { Db } from "./study-lock.js";
import { studyInScope, type TrialScope } from "./trial-scope.js";

/**
 * Called when a fenced UPDATE … WHERE id AND state='running' AND leaseToken matched no row: tells a
 * missing trial (404) from a stale or duplicate writer (409 lease_conflict). Either way nothing changed.
 */
export async function throwFenceFailure(db: Db, trialId: string, scope?: TrialScope): Promise<never> {
  const trial = (
    await db.$queryRaw<{ state: TrialState }[]>`
    SELECT t."state"::text AS "state" FROM "Trial" t JOIN "Study" s ON s."id" = t."studyId"
    WHERE t."id" = ${trialId}::uuid AND ${studyInScope(scope)}`
  )[0];
  // A trial outside the caller's scope is as missing as one that does not exist (design invariant 6).
  if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
  // Say which of the two it is: a client that lost its lease acts differently from one told it is done.
  const message =
    trial.state === "running"
      ? "The trial is running under another lease: this token is not its current one (the trial was claimed again, or the token is wrong); nothing was changed"
      : `The trial is no longer running (state ${trial.state}); nothing was changed`;
  throw new HpoError("lease_conflict", message, {
    status: 409,
    details: { state: trial.state, reason: trial.state === "running" ? "stale_lease" : "not_running" },
  });
}

/** A worker must stop its running trial once the study is stopped or already completed. */
export function isStopRequested(studyState: StudyState | undefined): boolean {
  return studyState === undefined || studyState === "stopped" || studyState === "completed";
}
