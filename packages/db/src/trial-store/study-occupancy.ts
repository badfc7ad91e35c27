import { activeTrialStates } from "@hpo/contracts";
import type { Db } from "./study-lock.js";

export interface StudyOccupancy {
  /** queued + running: slots of `parallelism` in use. */
  active: number;
  /** Waiting trials (manual ones, retries), in number order: served before new points are sampled. */
  waiting: { id: string; number: number }[];
  /**
   * The next trial number. Numbers are dense from 0, so the study holds at most this many trials: while
   * it is below maxTrials, the budget is not spent and need not be counted.
   */
  nextNumber: number;
}

/**
 * What the scheduler and every proposal need to know about a study's trials, in one statement that
 * reads only its active and waiting rows (index (studyId, state, number, value)) and its last number
 * (index (studyId, number)). Counting every state with GROUP BY read the whole study: a sequential scan
 * of ~90 ms at 100,000 trials on every proposal and every scheduler pass (docs/scaling.md §5).
 */
export async function readStudyOccupancy(db: Db, studyId: string): Promise<StudyOccupancy> {
  const rows = await db.$queryRaw<StudyOccupancy[]>`
    SELECT
      (SELECT count(*)::int FROM "Trial" WHERE "studyId" = ${studyId}::uuid
         AND "state" = ANY(${[...activeTrialStates]}::"TrialState"[])) AS "active",
      (SELECT COALESCE(max("number") + 1, 0)::int FROM "Trial" WHERE "studyId" = ${studyId}::uuid) AS "nextNumber",
      (SELECT COALESCE(json_agg(json_build_object('id', "id", 'number', "number") ORDER BY "number"), '[]'::json)
         FROM "Trial" WHERE "studyId" = ${studyId}::uuid AND "state" = 'waiting') AS "waiting"`;
  const row = rows[0];
  if (!row) throw new Error("the study occupancy statement returned no row");
  return row;
}
