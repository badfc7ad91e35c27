import type { BestStep, Direction, HistoryColumns, TrialState } from "@hpo/contracts";
import { Prisma, type Db } from "@hpo/db";

/** Above this many finished trials the history is down-sampled per bucket of trial numbers. */
export const fullHistoryLimit = 4_000;
/** Buckets of trial numbers of a down-sampled history (each keeps ≤ 2 points per state). */
const historyBuckets = 1_000;

/** One finished trial on the history chart (value null: it failed without one). */
export interface HistoryPoint {
  number: number;
  state: TrialState;
  value: number | null;
}

/** The points as the reply's columns. */
export function historyColumns(points: readonly HistoryPoint[]): HistoryColumns {
  return {
    number: points.map((point) => point.number),
    state: points.map((point) => point.state),
    value: points.map((point) => point.value),
  };
}

export interface HistorySummary {
  points: HistoryPoint[];
  finished: number;
  sampled: boolean;
  bestSoFar: BestStep[];
}

interface FinishedRow {
  number: number;
  state: TrialState;
  value: number | null;
}

/** Per bucket and state: how many trials, and the [value, number] pairs of its lowest and highest value. */
interface BucketRow {
  b: number;
  state: TrialState;
  n: number;
  lo: number[] | null;
  hi: number[] | null;
  first: number;
}

const better = (direction: Direction) =>
  direction === "minimize" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;

/** The trials that beat every earlier complete trial, in number order (rows must be in number order). */
export function bestSoFarSteps(
  rows: readonly { number: number; value: number }[],
  direction: Direction,
  startBest: number | null = null,
): BestStep[] {
  const isBetter = better(direction);
  const steps: BestStep[] = [];
  let best = startBest;
  for (const row of rows) {
    if (best === null || isBetter(row.value, best)) {
      best = row.value;
      steps.push({ number: row.number, value: row.value });
    }
  }
  return steps;
}

function completeValues(rows: readonly FinishedRow[]): { number: number; value: number }[] {
  return rows.flatMap((row) =>
    row.state === "complete" && row.value !== null ? [{ number: row.number, value: row.value }] : [],
  );
}

function pointOf(pair: number[] | null, state: TrialState): HistoryPoint[] {
  const [value, number] = pair ?? [];
  return value === undefined || number === undefined ? [] : [{ number, state, value }];
}

/**
 * The optimization history of a study: every finished trial when there are few, otherwise per bucket of
 * trial numbers the lowest and highest value of each state (so outliers on both sides stay visible) and
 * one marker for the failed ones. The best-so-far line is exact either way: buckets whose best beats all
 * earlier buckets are the only ones that can hold an improvement, and only those are read trial by trial.
 */
export async function loadHistorySummary(
  db: Db,
  studyId: string,
  direction: Direction,
  finished: number,
  maxNumber: number,
): Promise<HistorySummary> {
  if (finished <= fullHistoryLimit) {
    const rows = await db.$queryRaw<FinishedRow[]>`
      SELECT t."number", t."state"::text AS "state", t."value"
      FROM "Trial" t
      WHERE t."studyId" = ${studyId}::uuid AND t."state" IN ('complete', 'pruned', 'failed')
      ORDER BY t."number"`;
    return {
      points: rows.map((row) => ({ number: row.number, state: row.state, value: row.value })),
      finished: rows.length,
      sampled: false,
      bestSoFar: bestSoFarSteps(completeValues(rows), direction),
    };
  }
  // Integer bucket width, so that SQL and this code agree on which trial falls in which bucket.
  const width = Math.max(1, Math.ceil((maxNumber + 1) / historyBuckets));
  const buckets = await db.$queryRaw<BucketRow[]>`
    SELECT (t."number" / ${width}::int) AS "b", t."state"::text AS "state", count(*)::int AS "n",
           min(ARRAY[t."value", t."number"::float8]) FILTER (WHERE t."value" IS NOT NULL) AS "lo",
           max(ARRAY[t."value", t."number"::float8]) FILTER (WHERE t."value" IS NOT NULL) AS "hi",
           min(t."number") AS "first"
    FROM "Trial" t
    WHERE t."studyId" = ${studyId}::uuid AND t."state" IN ('complete', 'pruned', 'failed')
    GROUP BY 1, 2`;
  buckets.sort((a, b) => a.b - b.b);
  const points: HistoryPoint[] = [];
  for (const bucket of buckets) {
    if (bucket.state === "failed") {
      points.push({ number: bucket.first, state: "failed", value: null });
      continue;
    }
    points.push(...pointOf(bucket.lo, bucket.state));
    if (bucket.n > 1 && bucket.hi && bucket.lo && bucket.hi[1] !== bucket.lo[1]) {
      points.push(...pointOf(bucket.hi, bucket.state));
    }
  }
  points.sort((a, b) => a.number - b.number);
  return {
    points,
    finished,
    sampled: true,
    bestSoFar: await exactBestSoFar(db, studyId, direction, buckets, width),
  };
}

async function exactBestSoFar(
  db: Db,
  studyId: string,
  direction: Direction,
  buckets: readonly BucketRow[],
  width: number,
): Promise<BestStep[]> {
  const isBetter = better(direction);
  const complete = buckets.filter((bucket) => bucket.state === "complete");
  const improving: number[] = [];
  let best: number | null = null;
  for (const bucket of complete) {
    const value = (direction === "minimize" ? bucket.lo : bucket.hi)?.[0];
    if (value === undefined) continue;
    if (best === null || isBetter(value, best)) {
      improving.push(bucket.b);
      best = value;
    }
  }
  if (improving.length === 0) return [];
  const rows = await db.$queryRaw<{ number: number; value: number }[]>`
    SELECT t."number", t."value"
    FROM "Trial" t
    WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
      AND (t."number" / ${width}::int) IN (${Prisma.join(improving)})
    ORDER BY t."number"`;
  // Buckets without an improvement cannot hold a record, so walking only the improving ones is exact.
  return bestSoFarSteps(rows, direction);
}
