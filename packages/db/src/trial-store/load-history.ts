import type { HistoryTrial } from "@hpo/core";
import { readParams } from "./stored-json.js";
import type { Db } from "./study-lock.js";

/**
 * Every trial of a study, in number order, in the shape the core sampler and pruners read.
 * Values stay in the user's direction: the core negates for maximisation itself.
 */
export async function loadHistory(db: Db, studyId: string): Promise<HistoryTrial[]> {
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
      reports: { select: { step: true, value: true }, orderBy: { step: "asc" } },
    },
  });
  return rows.map((row) => {
    const trial: HistoryTrial = {
      number: row.number,
      params: readParams(row.params),
      state: row.state,
      reports: row.reports,
    };
    if (row.value !== null) trial.value = row.value;
    if (row.values.length > 0) trial.values = row.values;
    if (row.constraintViolations.length > 0) trial.constraintViolations = row.constraintViolations;
    return trial;
  });
}
