import { emptyTrialCounts, type TrialCounts, type TrialState } from "@hpo/contracts";
import type { Db } from "./study-lock.js";

interface CountRow {
  studyId: string;
  state: TrialState;
  count: number;
}

/**
 * Counts of trials by state for each of `studyIds` (a study without trials gets zeros), read from the
 * running counts the triggers on "Trial" keep (migration 20261130060000_study_trial_counts): at most
 * 8 states x 8 shards rows per study, whatever its number of trials, where counting the trials themselves
 * read the whole study (~90-150 ms at 100,000 trials). As exact as a COUNT(*) in the same transaction.
 */
export async function readTrialCountsByStudy(
  db: Db,
  studyIds: readonly string[],
): Promise<Map<string, TrialCounts>> {
  const countsById = new Map<string, TrialCounts>(studyIds.map((id) => [id, emptyTrialCounts()]));
  if (studyIds.length === 0) return countsById;
  const rows = await db.$queryRaw<CountRow[]>`
    SELECT "studyId"::text AS "studyId", "state", sum("count")::int AS "count"
    FROM "StudyTrialCount"
    WHERE "studyId" = ANY(${[...studyIds]}::uuid[])
    GROUP BY 1, 2`;
  for (const row of rows) {
    const counts = countsById.get(row.studyId);
    if (!counts) continue;
    counts[row.state] += row.count;
    counts.total += row.count;
  }
  return countsById;
}

/** Counts of one study's trials by state (readTrialCountsByStudy for one study). */
export async function readStudyTrialCounts(db: Db, studyId: string): Promise<TrialCounts> {
  const counts = await readTrialCountsByStudy(db, [studyId]);
  return counts.get(studyId) ?? emptyTrialCounts();
}

/** Counts of every study's trials by state together (the operator metrics), from the same running counts. */
export async function readAllTrialCounts(db: Db): Promise<TrialCounts> {
  const rows = await db.$queryRaw<Omit<CountRow, "studyId">[]>`
    SELECT "state", sum("count")::int AS "count" FROM "StudyTrialCount" GROUP BY 1`;
  const counts = emptyTrialCounts();
  for (const row of rows) {
    counts[row.state] += row.count;
    counts.total += row.count;
  }
  return counts;
}
