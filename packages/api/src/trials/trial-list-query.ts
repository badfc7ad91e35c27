import { Prisma, type PrismaClient, type TrialState } from "@hpo/db";
import type { ParamValue, TrialSort } from "@hpo/contracts";

export interface TrialFilter {
  states?: readonly TrialState[] | undefined;
  numberMin?: number | undefined;
  numberMax?: number | undefined;
  valueMin?: number | undefined;
  valueMax?: number | undefined;
  params: readonly { name: string; values: readonly ParamValue[] }[];
}

/** Keyset position: the sort key and the number of the last row served (number breaks ties). */
export interface TrialCursor {
  s: TrialSort;
  k: number | null;
  n: number;
}

export interface TrialKeyRow {
  id: string;
  number: number;
  k: number | null;
}

function sortKey(sort: TrialSort): Prisma.Sql {
  const base = sort.replace(/^-/, "");
  if (base === "value") return Prisma.sql`t."value"`;
  if (base === "duration") {
    return Prisma.sql`(EXTRACT(EPOCH FROM (t."finishedAt" - t."startedAt")) * 1000)::float8`;
  }
  return Prisma.sql`t."number"::float8`;
}

function filterConditions(studyId: string, filter: TrialFilter): Prisma.Sql[] {
  const conditions = [Prisma.sql`t."studyId" = ${studyId}::uuid`];
  if (filter.states && filter.states.length > 0) {
    conditions.push(Prisma.sql`t."state"::text IN (${Prisma.join(filter.states)})`);
  }
  if (filter.numberMin !== undefined) conditions.push(Prisma.sql`t."number" >= ${filter.numberMin}`);
  if (filter.numberMax !== undefined) conditions.push(Prisma.sql`t."number" <= ${filter.numberMax}`);
  if (filter.valueMin !== undefined) conditions.push(Prisma.sql`t."value" >= ${filter.valueMin}`);
  if (filter.valueMax !== undefined) conditions.push(Prisma.sql`t."value" <= ${filter.valueMax}`);
  for (const param of filter.params) {
    // jsonb equality: 0.1 and 0.10 are the same number, "adam" only matches the string.
    const values = param.values.map((value) => Prisma.sql`${JSON.stringify(value)}::jsonb`);
    conditions.push(Prisma.sql`(t."params" -> ${param.name}::text) IN (${Prisma.join(values)})`);
  }
  return conditions;
}

/** Rows strictly after the cursor in `k ASC|DESC NULLS LAST, number ASC` order. */
function afterCursor(sort: TrialSort, cursor: TrialCursor): Prisma.Sql {
  const descending = sort.startsWith("-");
  if (sort === "number" || sort === "-number") {
    return descending ? Prisma.sql`t."number" < ${cursor.n}` : Prisma.sql`t."number" > ${cursor.n}`;
  }
  const key = sortKey(sort);
  if (cursor.k === null) return Prisma.sql`(${key} IS NULL AND t."number" > ${cursor.n})`;
  const beyond = descending ? Prisma.sql`${key} < ${cursor.k}` : Prisma.sql`${key} > ${cursor.k}`;
  return Prisma.sql`(${beyond} OR (${key} = ${cursor.k} AND t."number" > ${cursor.n}) OR ${key} IS NULL)`;
}

function orderBy(sort: TrialSort): Prisma.Sql {
  if (sort === "number") return Prisma.sql`t."number" ASC`;
  if (sort === "-number") return Prisma.sql`t."number" DESC`;
  const direction = sort.startsWith("-") ? Prisma.raw("DESC") : Prisma.raw("ASC");
  return Prisma.sql`${sortKey(sort)} ${direction} NULLS LAST, t."number" ASC`;
}

/**
 * One page of a study's trials as keyset rows. Keyset (not OFFSET) pagination: with the default number
 * order a trial inserted meanwhile always lands after every cursor, so pages never repeat or skip a row.
 */
export async function listTrialKeys(
  prisma: PrismaClient,
  studyId: string,
  filter: TrialFilter,
  sort: TrialSort,
  cursor: TrialCursor | null,
  limit: number,
): Promise<TrialKeyRow[]> {
  const conditions = filterConditions(studyId, filter);
  if (cursor) conditions.push(afterCursor(sort, cursor));
  return prisma.$queryRaw<TrialKeyRow[]>`
    SELECT t."id", t."number", ${sortKey(sort)} AS "k"
    FROM "Trial" t
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${orderBy(sort)}
    LIMIT ${limit}`;
}
