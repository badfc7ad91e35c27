import type { PrismaClient } from "@hpo/db";

/**
 * Inserts `count` complete Branin trials (numbers 0..count-1) into a study with one SQL statement, the
 * value computed by Postgres from the same formula, so a 100,000-trial history costs seconds, not an hour
 * of asks. Also gives each trial one report (step 0) so report-reading paths see realistic rows.
 */
export async function seedCompleteTrials(
  prisma: PrismaClient,
  studyId: string,
  count: number,
): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "value", "metrics", "origin",
       "queuedAt", "startedAt", "finishedAt", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, n, 'complete',
            jsonb_build_object('x1', x1, 'x2', x2), v, jsonb_build_object('loss', v), 'seeded',
            now(), now(), now(), now()
     FROM (
       SELECT n, x1, x2,
              power(x2 - 5.1 / (4 * pi() ^ 2) * x1 ^ 2 + 5 / pi() * x1 - 6, 2)
                + 10 * (1 - 1 / (8 * pi())) * cos(x1) + 10 AS v
       FROM (SELECT n, -5 + 15 * random() AS x1, 15 * random() AS x2
             FROM generate_series(0, $2::int - 1) AS n) AS points
     ) AS rows`,
    studyId,
    count,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "TrialReport" ("trialId", "step", "value")
     SELECT "id", 0, "value" FROM "Trial" WHERE "studyId" = $1::uuid`,
    studyId,
  );
  await prisma.$executeRawUnsafe(`ANALYZE "Trial"`);
  await prisma.$executeRawUnsafe(`ANALYZE "TrialReport"`);
}
