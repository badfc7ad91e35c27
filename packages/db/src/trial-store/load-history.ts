import type { HistoryTrial } from "@hpo/core";
import type { Objective } from "@hpo/contracts";
import { Prisma } from "../generated/prisma/client.js";
import { readMetrics, readParams } from "./stored-json.js";
import type { Db } from "./study-lock.js";

interface ReportRow {
  trialId: string;
  step: number;
  value: number;
  metrics: Prisma.JsonValue | null;
}

type StepReport = HistoryTrial["reports"][number];

/** A report's values per objective, read from its metrics by name; only its primary value if one is missing. */
function toStepReport(report: ReportRow, objectives: readonly Objective[]): StepReport {
  if (objectives.length < 2) return { step: report.step, value: report.value };
  const metrics = readMetrics(report.metrics) ?? {};
  const values = objectives.map((objective) => metrics[objective.metric]);
  return values.every((value): value is number => value !== undefined)
    ? { step: report.step, value: report.value, values }
    : { step: report.step, value: report.value };
}

/**
 * Every trial of a study, in number order, in the shape the core sampler and pruners read.
 * Values stay in the user's direction: the core negates for maximisation itself. With several objectives,
 * each report also carries one value per objective, read from its metrics by the objectives' names.
 *
 * Two flat queries joined here, not a Prisma `include`: an include loads the reports with
 * `WHERE "trialId" IN (…every trial id…)`, which past 32,767 trials exceeds Postgres's bind-parameter
 * limit (an ask on a 100,000-trial study failed with a 500) and ships every id back to the server.
 */
export async function loadHistory(
  db: Db,
  studyId: string,
  objectives: readonly Objective[] = [],
): Promise<HistoryTrial[]> {
  const rows = await db.trial.findMany({
    where: { studyId },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      params: true,
      state: true,
      value: true,
      values: true,
      constraintViolations: true,
    },
  });
  const metricsColumn = objectives.length > 1 ? Prisma.sql`r."metrics"` : Prisma.sql`NULL::jsonb`;
  const reports = await db.$queryRaw<ReportRow[]>`
    SELECT r."trialId"::text AS "trialId", r."step", r."value", ${metricsColumn} AS "metrics"
    FROM "TrialReport" r JOIN "Trial" t ON t."id" = r."trialId"
    WHERE t."studyId" = ${studyId}::uuid
    ORDER BY r."trialId", r."step"`;
  const byTrial = new Map<string, StepReport[]>();
  for (const report of reports) {
    let list = byTrial.get(report.trialId);
    if (!list) {
      list = [];
      byTrial.set(report.trialId, list);
    }
    list.push(toStepReport(report, objectives));
  }
  return rows.map((row) => {
    const trial: HistoryTrial = {
      number: row.number,
      params: readParams(row.params),
      state: row.state,
      reports: byTrial.get(row.id) ?? [],
    };
    if (row.value !== null) trial.value = row.value;
    if (row.values.length > 0) trial.values = row.values;
    if (row.constraintViolations.length > 0) trial.constraintViolations = row.constraintViolations;
    return trial;
  });
}
