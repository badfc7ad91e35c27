import type { HistoryTrial } from "@hpo/core";
import type { Objective } from "@hpo/contracts";
import { readMetrics, readParams } from "./stored-json.js";
import type { Db } from "./study-lock.js";

/**
 * Every trial of a study, in number order, in the shape the core sampler and pruners read.
 * Values stay in the user's direction: the core negates for maximisation itself. With several objectives,
 * each report also carries one value per objective, read from its metrics by the objectives' names (a
 * report that lacks one keeps only its primary value).
 */
export async function loadHistory(
  db: Db,
  studyId: string,
  objectives: readonly Objective[] = [],
): Promise<HistoryTrial[]> {
  const several = objectives.length > 1;
  const rows = await db.trial.findMany({
    where: { studyId },
    orderBy: { number: "asc" },
    select: {
      number: true,
      params: true,
      state: true,
      value: true,
      values: true,
      constraintViolations: true,
      reports: { select: { step: true, value: true, metrics: several }, orderBy: { step: "asc" } },
    },
  });
  return rows.map((row) => {
    const trial: HistoryTrial = {
      number: row.number,
      params: readParams(row.params),
      state: row.state,
      reports: several
        ? row.reports.map((report) => {
            const metrics = readMetrics(report.metrics ?? null) ?? {};
            const values = objectives.map((objective) => metrics[objective.metric]);
            const complete = values.every((value): value is number => value !== undefined);
            return complete
              ? { step: report.step, value: report.value, values }
              : { step: report.step, value: report.value };
          })
        : row.reports.map((report) => ({ step: report.step, value: report.value })),
    };
    if (row.value !== null) trial.value = row.value;
    if (row.values.length > 0) trial.values = row.values;
    if (row.constraintViolations.length > 0) trial.constraintViolations = row.constraintViolations;
    return trial;
  });
}
