import { paretoFront } from "@hpo/core";
import type { ParetoReply, StudyDefinition } from "@hpo/contracts";
import { readParams, type Db } from "@hpo/db";

/** Rows read per page: the front is computed over every completed trial without holding them all as JSON. */
const PAGE = 20_000;

/**
 * The study's Pareto front: the non-dominated trials among the completed, feasible ones (a trial that
 * completed before constraints were stored counts as feasible). Only values are read for all trials; params
 * only for the front. With one objective, the front is the best trial (and its ties).
 */
export async function loadParetoFront(
  db: Db,
  studyId: string,
  definition: StudyDefinition,
): Promise<ParetoReply> {
  const directions = definition.objectives.map((objective) => objective.direction);
  const points: { id: string; number: number; values: number[]; feasible: boolean }[] = [];
  let completed = 0;
  for (let cursor: number | null = -1; cursor !== null;) {
    const rows: {
      id: string;
      number: number;
      value: number | null;
      values: number[];
      feasible: boolean | null;
    }[] = await db.trial.findMany({
      where: { studyId, state: "complete", number: { gt: cursor } },
      orderBy: { number: "asc" },
      take: PAGE,
      select: { id: true, number: true, value: true, values: true, feasible: true },
    });
    for (const row of rows) {
      completed += 1;
      const values = row.values.length > 0 ? row.values : row.value === null ? [] : [row.value];
      points.push({ id: row.id, number: row.number, values, feasible: row.feasible !== false });
    }
    cursor = rows.length === PAGE ? (rows[rows.length - 1]?.number ?? null) : null;
  }
  const feasible = points.filter((point) => point.feasible).length;
  const front = paretoFront(points, directions).flatMap((index) => {
    const point = points[index];
    return point ? [point] : [];
  });
  const params = new Map(
    (
      await db.trial.findMany({
        where: { id: { in: front.map((point) => point.id) } },
        select: { id: true, params: true },
      })
    ).map((row) => [row.id, readParams(row.params)]),
  );
  let note: string | null = null;
  if (completed === 0) note = "No trial has completed yet.";
  else if (feasible === 0) note = `None of the ${completed} completed trials satisfies every constraint.`;
  return {
    objectives: definition.objectives,
    front: front.map((point) => ({
      trialId: point.id,
      number: point.number,
      values: point.values,
      params: params.get(point.id) ?? {},
      feasible: true,
    })),
    completed,
    feasible,
    note,
  };
}
