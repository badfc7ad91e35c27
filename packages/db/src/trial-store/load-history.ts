import type { HistoryTrial } from "@hpo/core";
import { readParams } from "./stored-json.js";
import type { Db } from "./study-lock.js";

interface ReportRow {
  trialId: string;
  step: number;
  value: number;
}

/**
 * Every trial of a study, in number order, in the shape the core sampler and pruners read.
 * Values stay in the user's direction: the core negates for maximisation itself.
 *
 * Two flat queries joined here, not a Prisma `include`: an include loads the reports with
 * `WHERE "trialId" IN (…every trial id…)`, which past 32,767 trials exceeds Postgres's bind-parameter
 * limit (an ask on a 100,000-trial study failed with a 500) and ships every id back to the server.
 */
export async function loadHistory(db: Db, studyId: string): Promise<HistoryTrial[]> {
  const rows = await db.trial.findMany({
    where: { studyId },
    orderBy: { number: "asc" },
    select: { id: true, number: true, params: true, state: true, value: true },
  });
  const reports = await db.$queryRaw<ReportRow[]>`
    SELECT r."trialId"::text AS "trialId", r."step", r."value"
    FROM "TrialReport" r JOIN "Trial" t ON t."id" = r."trialId"
    WHERE t."studyId" = ${studyId}::uuid
    ORDER BY r."trialId", r."step"`;
  const byTrial = new Map<string, { step: number; value: number }[]>();
  for (const report of reports) {
    let list = byTrial.get(report.trialId);
    if (!list) {
      list = [];
      byTrial.set(report.trialId, list);
    }
    list.push({ step: report.step, value: report.value });
  }
  return rows.map((row) => {
    const trial: HistoryTrial = {
      number: row.number,
      params: readParams(row.params),
      state: row.state,
      reports: byTrial.get(row.id) ?? [],
    };
    if (row.value !== null) trial.value = row.value;
    return trial;
  });
}
