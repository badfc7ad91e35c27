import type { BestTrial, StudyDefinition } from "@hpo/contracts";
import { readParams, readStudyTrialCounts, type Db } from "@hpo/db";
import { loadParetoFront } from "../analysis/pareto-front.js";

/** The most Pareto-optimal trials a study reply lists (GET /v1/studies/:id/pareto has them all). */
const MAX_BEST_TRIALS = 100;

export interface StudyBest {
  best: BestTrial | null;
  bestTrials: BestTrial[];
  bestNote: string | null;
}

/**
 * A study's best: with one objective, the best feasible completed trial (one indexed query); with several,
 * the Pareto front, ordered by the first objective, whose first member is `best`. A trial that completed
 * before constraints were stored counts as feasible.
 */
export async function loadStudyBest(
  db: Db,
  studyId: string,
  definition: StudyDefinition,
): Promise<StudyBest> {
  if (definition.objectives.length > 1) {
    const pareto = await loadParetoFront(db, studyId, definition);
    const sign = definition.objectives[0]?.direction === "maximize" ? -1 : 1;
    const bestTrials = pareto.front
      .map((point) => ({
        id: point.trialId,
        number: point.number,
        value: point.values[0] ?? null,
        values: point.values,
        params: point.params,
      }))
      .sort((a, b) => sign * ((a.value ?? 0) - (b.value ?? 0)) || a.number - b.number)
      .slice(0, MAX_BEST_TRIALS);
    return { best: bestTrials[0] ?? null, bestTrials, bestNote: pareto.feasible === 0 ? pareto.note : null };
  }
  const row = await db.trial.findFirst({
    where: {
      studyId,
      state: "complete",
      value: { not: null },
      OR: [{ feasible: null }, { feasible: true }],
    },
    orderBy: [{ value: definition.objective.direction === "minimize" ? "asc" : "desc" }, { number: "asc" }],
    select: { id: true, number: true, value: true, params: true },
  });
  if (row) {
    const best = { ...row, values: row.value === null ? [] : [row.value], params: readParams(row.params) };
    return { best, bestTrials: [best], bestNote: null };
  }
  let bestNote: string | null = null;
  if (definition.constraints.length > 0) {
    const completed = (await readStudyTrialCounts(db, studyId)).complete;
    if (completed > 0) bestNote = `None of the ${completed} completed trials satisfies every constraint.`;
  }
  return { best: null, bestTrials: [], bestNote };
}
