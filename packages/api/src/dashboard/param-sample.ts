import type { Direction, Metrics, Params } from "@hpo/contracts";
import { readMetrics, readParams, type Prisma, type Db } from "@hpo/db";

/** Complete trials read with their params: an even spread of at most this many … */
export const spreadLimit = 5_000;
/** … and the best ones, so that the region that matters is always drawn exactly. */
export const bestLimit = 200;

export interface SampleRow {
  number: number;
  value: number;
  params: Params;
  metrics: Metrics | null;
  /** Part of the even spread (distributions use only these, so the best ones do not bias them). */
  spread: boolean;
}

export interface ParamSample {
  rows: SampleRow[];
  /** How many rows are part of the even spread. */
  spreadCount: number;
}

interface RawRow {
  number: number;
  value: number;
  params: Prisma.JsonValue;
  metrics: Prisma.JsonValue | null;
  spread: boolean;
}

/**
 * Complete trials with their params: every one when there are at most `spreadLimit`, otherwise every k-th
 * by number, plus the `bestLimit` best. Two index-driven reads; ordered by number.
 */
export async function loadParamSample(
  db: Db,
  studyId: string,
  direction: Direction,
  complete: number,
): Promise<ParamSample> {
  const stride = Math.max(1, Math.ceil(complete / spreadLimit));
  const raw =
    direction === "minimize"
      ? await db.$queryRaw<RawRow[]>`
          (SELECT t."number", t."value", t."params", t."metrics", false AS "spread" FROM "Trial" t
           WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
           ORDER BY t."value" ASC, t."number" LIMIT ${bestLimit})
          UNION ALL
          (SELECT t."number", t."value", t."params", t."metrics", true AS "spread" FROM "Trial" t
           WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
             AND t."number" % ${stride}::int = 0)`
      : await db.$queryRaw<RawRow[]>`
          (SELECT t."number", t."value", t."params", t."metrics", false AS "spread" FROM "Trial" t
           WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
           ORDER BY t."value" DESC, t."number" LIMIT ${bestLimit})
          UNION ALL
          (SELECT t."number", t."value", t."params", t."metrics", true AS "spread" FROM "Trial" t
           WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete' AND t."value" IS NOT NULL
             AND t."number" % ${stride}::int = 0)`;
  const byNumber = new Map<number, SampleRow>();
  for (const row of raw) {
    const known = byNumber.get(row.number);
    if (known) {
      known.spread ||= row.spread;
      continue;
    }
    byNumber.set(row.number, {
      number: row.number,
      value: row.value,
      params: readParams(row.params),
      metrics: readMetrics(row.metrics),
      spread: row.spread,
    });
  }
  const rows = [...byNumber.values()].sort((a, b) => a.number - b.number);
  return { rows, spreadCount: rows.filter((row) => row.spread).length };
}

/**
 * The trials parallel coordinates and slice plots draw: the best ones and an even pick of the rest, at most
 * `limit` in all, in number order.
 */
export function pickPlotSample(rows: readonly SampleRow[], direction: Direction, limit: number): SampleRow[] {
  if (rows.length <= limit) return [...rows];
  const ranked = [...rows].sort((a, b) => (direction === "minimize" ? a.value - b.value : b.value - a.value));
  const chosen = new Set(ranked.slice(0, Math.min(bestLimit, limit)));
  const rest = rows.filter((row) => !chosen.has(row));
  const room = limit - chosen.size;
  for (let i = 0; i < room; i++) {
    const row = rest[Math.floor((i * rest.length) / room)];
    if (row) chosen.add(row);
  }
  return rows.filter((row) => chosen.has(row));
}

/** Metric names reported by the sampled trials, sorted. */
export function metricNamesOf(rows: readonly SampleRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.metrics ?? {})) names.add(name);
  return [...names].sort();
}
