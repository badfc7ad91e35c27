import type { PrismaClient } from "@hpo/db";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

export interface ExplainedQuery {
  name: string;
  /** Every scan node of the plan: "Index Only Scan on Trial_studyId_state_number_value_idx". */
  scans: string[];
  executionMs: number;
  /**
   * The statement reads a table whose size does not grow with the trials (a few rows per study): a
   * sequential scan of it is the planner's right choice while it is small, not a missing index.
   */
  smallTable?: true;
}

/** The hot statements of asks, proposals, the reconciler and the trial list, on one study. */
function hotQueries(studyId: string): { name: string; sql: string; smallTable?: true }[] {
  const study = `'${studyId}'::uuid`;
  return [
    {
      // The running counts the triggers keep (prisma/migrations/20261130060000_study_trial_counts), as
      // packages/db/src/trial-store/study-trial-counts.ts reads them; the count over "Trial" it replaces was
      // a sequential scan of the study.
      name: "state counts (study read, dashboard summary)",
      sql: `SELECT "state", sum("count") FROM "StudyTrialCount" WHERE "studyId" = ANY(ARRAY[${study}]) GROUP BY "state"`,
      smallTable: true,
    },
    {
      name: "next number (every proposal)",
      sql: `SELECT max("number") FROM "Trial" WHERE "studyId" = ${study}`,
    },
    {
      name: "waiting trials (every proposal)",
      sql: `SELECT "id", "number" FROM "Trial" WHERE "studyId" = ${study} AND "state" = 'waiting' ORDER BY "number"`,
    },
    {
      name: "history: trials (model asks)",
      sql: `SELECT "id", "number", "params", "state", "value" FROM "Trial" WHERE "studyId" = ${study} ORDER BY "number"`,
    },
    {
      name: "history: reports (model asks)",
      sql: `SELECT r."trialId", r."step", r."value" FROM "TrialReport" r JOIN "Trial" t ON t."id" = r."trialId" WHERE t."studyId" = ${study} ORDER BY r."trialId", r."step"`,
    },
    {
      name: "trial list page by number",
      sql: `SELECT * FROM "Trial" WHERE "studyId" = ${study} ORDER BY "number" DESC LIMIT 51`,
    },
    {
      name: "trial list page by value",
      sql: `SELECT * FROM "Trial" WHERE "studyId" = ${study} AND "value" IS NOT NULL ORDER BY "value" ASC, "number" ASC LIMIT 51`,
    },
    {
      name: "stale running trials (reconciler)",
      sql: `SELECT "id" FROM "Trial" WHERE "state" = 'running' AND "heartbeatAt" < now() - interval '30 seconds'`,
    },
  ];
}

function scansOf(node: PlanNode, out: string[] = []): string[] {
  if (node["Node Type"].includes("Scan")) {
    const on = node["Index Name"] ?? node["Relation Name"] ?? "";
    out.push(`${node["Node Type"]}${on ? ` on ${on}` : ""}`);
  }
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/** EXPLAIN ANALYZE of each hot statement: which scans it uses and how long it ran. */
export async function explainHotQueries(prisma: PrismaClient, studyId: string): Promise<ExplainedQuery[]> {
  const explained: ExplainedQuery[] = [];
  for (const query of hotQueries(studyId)) {
    const rows = await prisma.$queryRawUnsafe<
      { "QUERY PLAN": { Plan: PlanNode; "Execution Time": number }[] }[]
    >(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`);
    const plan = rows[0]?.["QUERY PLAN"][0];
    if (!plan) continue;
    explained.push({
      name: query.name,
      scans: scansOf(plan.Plan),
      executionMs: plan["Execution Time"],
      ...(query.smallTable ? { smallTable: true as const } : {}),
    });
  }
  return explained;
}
