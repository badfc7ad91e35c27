import { emptyTrialCounts, type StudyReply } from "@hpo/contracts";
import { readStudyDefinition, readTrialCountsByStudy, type Db, type Study } from "@hpo/db";
import { loadStudyBest } from "./study-best.js";

/**
 * Study JSON for a page of studies: counts by state from the running counts (one small read for the page,
 * whatever the number of trials: packages/db/src/trial-store/study-trial-counts.ts), the best trial per study.
 */
export async function toStudyJsonList(db: Db, studies: readonly Study[]): Promise<StudyReply[]> {
  if (studies.length === 0) return [];
  const countsById = await readTrialCountsByStudy(
    db,
    studies.map((study) => study.id),
  );
  return Promise.all(
    studies.map(async (study) => {
      const definition = readStudyDefinition(study.definition);
      const best = await loadStudyBest(db, study.id, definition);
      const counts = countsById.get(study.id) ?? emptyTrialCounts();
      const finished = counts.complete + counts.pruned + counts.failed;
      const maxTrials = definition.budget.maxTrials;
      return {
        id: study.id,
        name: study.name,
        state: study.state,
        stateReason: study.stateReason,
        waitingForWorkers: study.state === "running" ? study.waitingForWorkers : null,
        definition,
        counts,
        ...best,
        progress: { finished, maxTrials, fraction: maxTrials > 0 ? Math.min(1, finished / maxTrials) : 0 },
        createdAt: study.createdAt.toISOString(),
        updatedAt: study.updatedAt.toISOString(),
        finishedAt: study.finishedAt?.toISOString() ?? null,
      };
    }),
  );
}

export async function toStudyJson(db: Db, study: Study): Promise<StudyReply> {
  const [json] = await toStudyJsonList(db, [study]);
  if (!json) throw new Error("unreachable: one study in, one out");
  return json;
}
