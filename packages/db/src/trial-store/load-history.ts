import type { HistoryTrial, TpeHistoryWindow } from "@hpo/core";
import { pendingTrialStates, type Direction } from "@hpo/contracts";
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
    select: historyColumns,
  });
  return withReports(db, studyId, rows, objectives, null);
}

/**
 * The part of a long history TPE reads (core's tpe-history-window.ts): every pending trial, the `best`
 * complete trials by value and the `recent` newest trials, in number order. Three index scans
 * ((studyId, state, number, value), (studyId, value), (studyId, number)) instead of the whole study: an
 * ask at 100,000 trials reads ~1,000 rows instead of 100,000.
 */
export async function loadHistoryWindow(
  db: Db,
  studyId: string,
  direction: Direction,
  window: TpeHistoryWindow,
  objectives: readonly Objective[] = [],
): Promise<HistoryTrial[]> {
  // One statement, three index scans; raw SQL because mapping rows through the query builder cost more
  // CPU than the scans themselves (~1,000 rows per ask).
  const order = direction === "maximize" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const columns = Prisma.sql`"id"::text AS "id", "number", "params", "state"::text AS "state", "value",
    "values", "constraintViolations"`;
  // UNION of the three scans themselves: `WHERE id IN (…)` made the planner hash-join a sequential scan.
  const rows = await db.$queryRaw<HistoryRow[]>`
    (SELECT ${columns} FROM "Trial" WHERE "studyId" = ${studyId}::uuid
     ORDER BY "number" DESC LIMIT ${window.recent})
    UNION
    (SELECT ${columns} FROM "Trial"
     WHERE "studyId" = ${studyId}::uuid AND "state" = 'complete' AND "value" IS NOT NULL
     ORDER BY "value" ${order} LIMIT ${window.best})
    UNION
    (SELECT ${columns} FROM "Trial"
     WHERE "studyId" = ${studyId}::uuid AND "state" = ANY(${[...pendingTrialStates]}::"TrialState"[]))
    ORDER BY "number"`;
  // TPE reads reports only to rank pruned trials (rank-observations.ts): the others' are not loaded.
  return withReports(
    db,
    studyId,
    rows,
    objectives,
    rows.filter((row) => row.state === "pruned"),
  );
}

const historyColumns = {
  id: true,
  number: true,
  params: true,
  state: true,
  value: true,
  values: true,
  constraintViolations: true,
} as const;

interface HistoryRow {
  id: string;
  number: number;
  params: Prisma.JsonValue;
  state: HistoryTrial["state"];
  value: number | null;
  values: number[];
  constraintViolations: number[];
}

async function withReports(
  db: Db,
  studyId: string,
  rows: HistoryRow[],
  objectives: readonly Objective[],
  /** Load only these trials' reports (null: every trial's). */
  reportsOf: HistoryRow[] | null,
): Promise<HistoryTrial[]> {
  const metricsColumn = objectives.length > 1 ? Prisma.sql`r."metrics"` : Prisma.sql`NULL::jsonb`;
  // A window's reports by its trials' ids (the (trialId, step) index); the whole history's by a join.
  const reports =
    reportsOf === null
      ? await db.$queryRaw<ReportRow[]>`
        SELECT r."trialId"::text AS "trialId", r."step", r."value", ${metricsColumn} AS "metrics"
        FROM "TrialReport" r JOIN "Trial" t ON t."id" = r."trialId"
        WHERE t."studyId" = ${studyId}::uuid
        ORDER BY r."trialId", r."step"`
      : reportsOf.length === 0
        ? []
        : await db.$queryRaw<ReportRow[]>`
        SELECT r."trialId"::text AS "trialId", r."step", r."value", ${metricsColumn} AS "metrics"
        FROM "TrialReport" r
        WHERE r."trialId" = ANY(${reportsOf.map((row) => row.id)}::uuid[])
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
