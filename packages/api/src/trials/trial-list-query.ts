import { Prisma, type Db, type Trial, type TrialState } from "@hpo/db";
import type { ParamValue, TrialSort } from "@hpo/contracts";

/** A numeric range on one param or one metric (either bound may be open). */
export interface FieldRange {
  name: string;
  min?: number | undefined;
  max?: number | undefined;
}

export interface TrialFilter {
  states?: readonly TrialState[] | undefined;
  numberMin?: number | undefined;
  numberMax?: number | undefined;
  valueMin?: number | undefined;
  valueMax?: number | undefined;
  params: readonly { name: string; values: readonly ParamValue[] }[];
  paramRanges?: readonly FieldRange[];
  metricRanges?: readonly FieldRange[];
}

/**
 * Keyset position: the sort key and the number of the last row served (number breaks ties). The key of a
 * param or metric sort is the JSON value itself (jsonb orders numbers numerically, strings lexically).
 */
export interface TrialCursor {
  s: TrialSort;
  k: ParamValue | null;
  n: number;
}

export interface TrialKeyRow {
  id: string;
  number: number;
  k: ParamValue | null;
}

interface SortKey {
  /** The SQL expression rows are ordered by. */
  expression: Prisma.Sql;
  /** How a cursor's key is written as a value of the same type. */
  literal: (key: ParamValue) => Prisma.Sql;
}

const asFloat = (key: ParamValue): Prisma.Sql =>
  Prisma.sql`${typeof key === "number" ? key : Number(key)}::float8`;
const asJsonb = (key: ParamValue): Prisma.Sql => Prisma.sql`${JSON.stringify(key)}::jsonb`;

/** `param.<name>` / `metric.<name>` (after the optional `-`) → the JSON field and its column. */
function fieldOf(base: string): { column: Prisma.Sql; name: string } | null {
  if (base.startsWith("param.")) return { column: Prisma.sql`t."params"`, name: base.slice("param.".length) };
  if (base.startsWith("metric."))
    return { column: Prisma.sql`t."metrics"`, name: base.slice("metric.".length) };
  return null;
}

function sortKey(sort: TrialSort): SortKey {
  const base = sort.replace(/^-/, "");
  const field = fieldOf(base);
  if (field) return { expression: Prisma.sql`(${field.column} -> ${field.name}::text)`, literal: asJsonb };
  if (base === "value") return { expression: Prisma.sql`t."value"`, literal: asFloat };
  if (base === "duration") {
    return {
      expression: Prisma.sql`(EXTRACT(EPOCH FROM (t."finishedAt" - t."startedAt")) * 1000)::float8`,
      literal: asFloat,
    };
  }
  return { expression: Prisma.sql`t."number"::float8`, literal: asFloat };
}

/** A bound on a JSON number: never true for a string or boolean value, never a cast error. */
function rangeConditions(column: Prisma.Sql, range: FieldRange): Prisma.Sql[] {
  const field = Prisma.sql`(${column} -> ${range.name}::text)`;
  const conditions = [Prisma.sql`jsonb_typeof(${field}) = 'number'`];
  if (range.min !== undefined) conditions.push(Prisma.sql`${field} >= ${JSON.stringify(range.min)}::jsonb`);
  if (range.max !== undefined) conditions.push(Prisma.sql`${field} <= ${JSON.stringify(range.max)}::jsonb`);
  return conditions;
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
    // Containment (`@>`) is what the GIN index on params serves; jsonb equality: 0.1 and 0.10 are the same
    // number, "adam" only matches the string.
    const values = param.values.map(
      (value) => Prisma.sql`t."params" @> ${JSON.stringify({ [param.name]: value })}::jsonb`,
    );
    conditions.push(Prisma.sql`(${Prisma.join(values, " OR ")})`);
  }
  for (const range of filter.paramRanges ?? [])
    conditions.push(...rangeConditions(Prisma.sql`t."params"`, range));
  for (const range of filter.metricRanges ?? []) {
    conditions.push(...rangeConditions(Prisma.sql`t."metrics"`, range));
  }
  return conditions;
}

/** Rows strictly after the cursor in `k ASC|DESC NULLS LAST, number ASC` order. */
function afterCursor(sort: TrialSort, cursor: TrialCursor): Prisma.Sql {
  const descending = sort.startsWith("-");
  if (sort === "number" || sort === "-number") {
    return descending ? Prisma.sql`t."number" < ${cursor.n}` : Prisma.sql`t."number" > ${cursor.n}`;
  }
  const { expression: key, literal } = sortKey(sort);
  if (cursor.k === null) return Prisma.sql`(${key} IS NULL AND t."number" > ${cursor.n})`;
  const at = literal(cursor.k);
  const beyond = descending ? Prisma.sql`${key} < ${at}` : Prisma.sql`${key} > ${at}`;
  return Prisma.sql`(${beyond} OR (${key} = ${at} AND t."number" > ${cursor.n}) OR ${key} IS NULL)`;
}

function orderBy(sort: TrialSort): Prisma.Sql {
  if (sort === "number") return Prisma.sql`t."number" ASC`;
  if (sort === "-number") return Prisma.sql`t."number" DESC`;
  const direction = sort.startsWith("-") ? Prisma.raw("DESC") : Prisma.raw("ASC");
  return Prisma.sql`${sortKey(sort).expression} ${direction} NULLS LAST, t."number" ASC`;
}

/**
 * One page of a study's trials as keyset rows. Keyset (not OFFSET) pagination: with the default number
 * order a trial inserted meanwhile always lands after every cursor, so pages never repeat or skip a row.
 */
/** One keyset page of a study's trials: which trials, in which order, after which one, how many. */
export interface TrialPageQuery {
  studyId: string;
  filter: TrialFilter;
  sort: TrialSort;
  cursor: TrialCursor | null;
  limit: number;
}

export async function listTrialKeys(db: Db, page: TrialPageQuery): Promise<TrialKeyRow[]> {
  return db.$queryRaw<TrialKeyRow[]>`
    SELECT t."id", t."number", ${sortKey(page.sort).expression} AS "k"
    FROM "Trial" t
    ${keysetPage(page)}`;
}

/** The WHERE, ORDER BY and LIMIT of one keyset page (after `cursor`, when given). */
function keysetPage({ studyId, filter, sort, cursor, limit }: TrialPageQuery): Prisma.Sql {
  const conditions = filterConditions(studyId, filter);
  if (cursor) conditions.push(afterCursor(sort, cursor));
  return Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${orderBy(sort)}
    LIMIT ${limit}`;
}

/** A trial as the list shows it: never its log (up to 1 MiB each) or its lease token. */
export type TrialListRow = Omit<Trial, "log" | "leaseToken"> & { k: ParamValue | null };

/**
 * One page of a study's trials with their columns, in one statement: the keyset query of listTrialKeys
 * returning the rows themselves. The list page read the keys, then the rows by id (every column, the log
 * included): one round trip and up to 50 logs more per page.
 */
export async function listTrialPage(db: Db, page: TrialPageQuery): Promise<TrialListRow[]> {
  return db.$queryRaw<TrialListRow[]>`
    SELECT t."id", t."studyId", t."number", t."state"::text AS "state", t."params", t."value", t."values",
      t."constraintViolations", t."feasible", t."metrics", t."origin", t."retryOf", t."attempt",
      t."workerId", t."gpu", t."backend", t."heartbeatAt", t."queuedAt", t."startedAt", t."finishedAt",
      t."error", t."diagnostics", t."createdAt", t."updatedAt", ${sortKey(page.sort).expression} AS "k"
    FROM "Trial" t
    ${keysetPage(page)}`;
}

/** How many trials match the filter (the table shows it beside the rows it pages through). */
export async function countTrials(db: Db, studyId: string, filter: TrialFilter): Promise<number> {
  const rows = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS "count" FROM "Trial" t WHERE ${Prisma.join(filterConditions(studyId, filter), " AND ")}`;
  return Number(rows[0]?.count ?? 0);
}
