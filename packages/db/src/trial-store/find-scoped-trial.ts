import type { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./study-lock.js";
import { studyInScope, type TrialScope } from "./trial-scope.js";

/** What a lifecycle route needs of a trial before its fenced write: the trial's study and project. */
export interface ScopedTrial {
  id: string;
  studyId: string;
  number: number;
  studyName: string;
  projectId: string;
  projectNumber: number;
  /** The study's stored definition (read it with readStudyDefinition). */
  definition: Prisma.JsonValue;
}

/**
 * The trial with its study and project, if it is in the caller's scope; null otherwise (a 404 to the
 * caller). One statement with the scope (a fleet key's pool membership included) in it; before, a
 * lookup through the query builder that loaded every column of both rows, then the fleet's membership
 * (fleet keys) and the project's number (claims) in further round trips.
 */
export async function findScopedTrial(
  db: Db,
  trialId: string,
  scope: TrialScope,
): Promise<ScopedTrial | null> {
  const rows = await db.$queryRaw<ScopedTrial[]>`
    SELECT t."id"::text AS "id", t."studyId"::text AS "studyId", t."number", s."name" AS "studyName",
           s."projectId"::text AS "projectId", p."number" AS "projectNumber", s."definition"
    FROM "Trial" t JOIN "Study" s ON s."id" = t."studyId" JOIN "Project" p ON p."id" = s."projectId"
    WHERE t."id" = ${trialId}::uuid AND ${studyInScope(scope)}`;
  return rows[0] ?? null;
}
