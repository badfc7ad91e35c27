import { Prisma } from "../generated/prisma/client.js";

/**
 * Whose trials a lifecycle write may touch: a project key's, its project's; a fleet key's, those of the
 * projects its pool's fleet serves (docs/fleets.md). The API used to check this with a lookup of the trial
 * and its study before every write; folded into the fenced statement instead, a write is one round trip,
 * and a trial outside the scope matches no row and is a 404 (design invariant 6).
 */
export type TrialScope = { projectId: string } | { pool: string };

/**
 * The scope as a condition on the trial's study, which the statement must name `s`. Without a scope
 * (the scheduler, tests, the store bench) every trial is in it.
 */
export function studyInScope(scope: TrialScope | undefined): Prisma.Sql {
  if (scope === undefined) return Prisma.sql`TRUE`;
  if ("projectId" in scope) return Prisma.sql`s."projectId" = ${scope.projectId}::uuid`;
  return Prisma.sql`(EXISTS (SELECT 1 FROM "Fleet" f WHERE f."pool" = ${scope.pool} AND f."allProjects")
    OR EXISTS (SELECT 1 FROM "FleetMember" m WHERE m."pool" = ${scope.pool} AND m."projectId" = s."projectId"))`;
}
