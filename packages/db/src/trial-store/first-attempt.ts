import type { Db } from "./study-lock.js";

/**
 * The id of the first attempt of a trial's point: a trial handed back (released on SIGTERM) or abandoned
 * (missed heartbeats) is retried as a new trial whose `retryOf` names the one before, so following the
 * chain back gives one id for every attempt. Workers key a trial's checkpoint directory by it, so a
 * retry resumes from what the earlier attempts saved. One query; a trial that is no retry is its own root.
 */
export async function firstAttemptId(db: Db, trial: { id: string; retryOf: string | null }): Promise<string> {
  if (trial.retryOf === null) return trial.id;
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE chain AS (
      SELECT "id", "retryOf", 0 AS depth FROM "Trial" WHERE "id" = ${trial.retryOf}::uuid
      UNION ALL
      SELECT t."id", t."retryOf", c.depth + 1 FROM "Trial" t JOIN chain c ON t."id" = c."retryOf"
      WHERE c.depth < 1000
    )
    SELECT "id"::text AS "id" FROM chain WHERE "retryOf" IS NULL LIMIT 1`;
  return rows[0]?.id ?? trial.retryOf;
}
