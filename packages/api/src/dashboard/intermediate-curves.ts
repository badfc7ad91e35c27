import type { Direction, IntermediateCurve, TrialState } from "@hpo/contracts";
import { Prisma, type Db } from "@hpo/db";

/** Points kept per curve; the first and the last step always stay. */
export const pointsPerCurve = 100;
const bestCurves = 25;
const runningCurves = 20;
const prunedCurves = 30;
const spreadCurves = 40;

interface ReportRow {
  number: number;
  state: TrialState;
  step: number;
  value: number;
}

/**
 * Intermediate values of a chosen few trials: the best complete ones, the running ones (drawn live), the
 * latest pruned ones (marked where they stopped) and an even spread of the others; each curve down-sampled
 * in SQL to about `pointsPerCurve` steps, so a 10,000-epoch run costs the same as a 10-epoch one.
 */
export async function loadIntermediateCurves(
  db: Db,
  studyId: string,
  direction: Direction,
  finished: number,
): Promise<IntermediateCurve[]> {
  const stride = Math.max(1, Math.ceil(finished / spreadCurves));
  const order = direction === "minimize" ? Prisma.raw("ASC") : Prisma.raw("DESC");
  const rows = await db.$queryRaw<ReportRow[]>`
    WITH chosen AS (
      (SELECT t."id", t."number", t."state" FROM "Trial" t
       WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
       ORDER BY t."value" ${order}, t."number" LIMIT ${bestCurves})
      UNION
      (SELECT t."id", t."number", t."state" FROM "Trial" t
       WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'running' ORDER BY t."number" DESC LIMIT ${runningCurves})
      UNION
      (SELECT t."id", t."number", t."state" FROM "Trial" t
       WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'pruned' ORDER BY t."number" DESC LIMIT ${prunedCurves})
      UNION
      (SELECT t."id", t."number", t."state" FROM "Trial" t
       WHERE t."studyId" = ${studyId}::uuid AND t."state" IN ('complete', 'pruned', 'failed')
         AND t."number" % ${stride}::int = 0
       ORDER BY t."number" LIMIT ${spreadCurves})
    )
    SELECT x."number", x."state"::text AS "state", x."step", x."value" FROM (
      SELECT c."number", c."state", r."step", r."value",
             row_number() OVER (PARTITION BY r."trialId" ORDER BY r."step") AS "rn",
             count(*) OVER (PARTITION BY r."trialId") AS "n"
      FROM chosen c JOIN "TrialReport" r ON r."trialId" = c."id"
    ) x
    WHERE x."n" <= ${pointsPerCurve} OR x."rn" = 1 OR x."rn" = x."n"
       OR x."rn" % ceil(x."n" / ${pointsPerCurve}::float8)::int = 0
    ORDER BY x."number", x."step"`;
  const curves: IntermediateCurve[] = [];
  for (const row of rows) {
    let curve = curves.at(-1);
    if (curve?.number !== row.number) {
      curve = { number: row.number, state: row.state, steps: [], values: [] };
      curves.push(curve);
    }
    curve.steps.push(row.step);
    curve.values.push(row.value);
  }
  return curves;
}
