/**
 * `npm run bench:dashboard`: inserts a 20,000- and a 100,000-trial study (6 params, 5 reports per trial)
 * in bulk, then measures in Chromium the time from navigation to a fully drawn study page (`data-ready`),
 * and the summary route's answer time; prints the figures against the targets and writes them to
 * docs/benchmarks.md (its own section). `--no-write` only prints.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Prisma } from "@hpo/db";
import { launchChromium, startDashboardHarness, type DashboardHarness } from "./dashboard-harness.js";
import { seedBigStudy } from "./seed-big-study.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const write = !process.argv.includes("--no-write");
const pageLoads = 5;
const summaryCalls = 10;
const sizes = [
  { trials: 20_000, pageTargetMs: 1_000 },
  { trials: 100_000, pageTargetMs: 2_000 },
] as const;
const summaryTargetMs = 200;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Figures {
  trials: number;
  seedS: number;
  summaryFirstMs: number;
  summaryMedianMs: number;
  summaryMaxMs: number;
  summaryBytes: number;
  pageFirstMs: number;
  pageMedianMs: number;
  pageMaxMs: number;
  pageTargetMs: number;
}

async function timeSummary(
  harness: DashboardHarness,
  studyId: string,
): Promise<{ times: number[]; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < summaryCalls; i++) {
    const started = performance.now();
    const response = await fetch(`${harness.url}/v1/studies/${studyId}/summary`, {
      headers: { authorization: `Bearer ${harness.userKey}` },
    });
    const text = await response.text();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`summary: ${response.status} ${text.slice(0, 200)}`);
    bytes = text.length;
  }
  return { times, bytes };
}

/** Plans of the reads that must stay index-driven at 100,000 trials (EXPLAIN ANALYZE), one line each. */
async function explainPlans(harness: DashboardHarness, studyId: string): Promise<string[]> {
  const queries: [string, Prisma.Sql][] = [
    [
      "history buckets (index-only, number order)",
      Prisma.sql`SELECT (t."number" / 100) AS b, t."state", count(*), min(t."value"), max(t."value") FROM "Trial" t
                 WHERE t."studyId" = ${studyId}::uuid AND t."state" IN ('complete','pruned','failed') GROUP BY 1, 2`,
    ],
    [
      "best 50 by value",
      Prisma.sql`SELECT t."id" FROM "Trial" t WHERE t."studyId" = ${studyId}::uuid AND t."state" = 'complete'
                 ORDER BY t."value" LIMIT 50`,
    ],
    [
      "filter param.optimizer=adam (GIN containment), newest first",
      Prisma.sql`SELECT t."id" FROM "Trial" t WHERE t."studyId" = ${studyId}::uuid
                 AND t."params" @> '{"optimizer":"adam"}'::jsonb ORDER BY t."number" DESC LIMIT 201`,
    ],
    [
      "sort by param.learning_rate, one page",
      Prisma.sql`SELECT t."id" FROM "Trial" t WHERE t."studyId" = ${studyId}::uuid
                 ORDER BY (t."params" -> 'learning_rate') ASC NULLS LAST, t."number" ASC LIMIT 201`,
    ],
    [
      "metric range metricMin.val_accuracy=0.9, count",
      Prisma.sql`SELECT count(*) FROM "Trial" t WHERE t."studyId" = ${studyId}::uuid
                 AND jsonb_typeof(t."metrics" -> 'val_accuracy') = 'number' AND (t."metrics" -> 'val_accuracy') >= '0.9'::jsonb`,
    ],
  ];
  const lines: string[] = [];
  for (const [name, query] of queries) {
    const plan = await harness.db.prisma.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ANALYZE ${query}`;
    const text = plan.map((row) => row["QUERY PLAN"]);
    const access =
      text.find((line) => /Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan/.test(line)) ?? "";
    const time = text.find((line) => line.startsWith("Execution Time")) ?? "";
    lines.push(
      `| ${name} | ${access
        .trim()
        .replace(/\s+\(cost.*$/, "")
        .replace(/^->\s*/, "")} | ${time.replace("Execution Time: ", "")} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const startLoad = loadavg()[0] ?? 0;
  say(
    `dashboard benchmark: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average ${startLoad.toFixed(2)}`,
  );
  const harness = await startDashboardHarness("dashbench");
  const browser = await launchChromium();
  const figures: Figures[] = [];
  let plans: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${harness.url}/#key=${encodeURIComponent(harness.userKey)}`);
    await page.waitForSelector('main[data-ready="true"]');
    for (const size of sizes) {
      const seedStarted = performance.now();
      const studyId = await seedBigStudy(harness.db.prisma, {
        projectId: harness.projectId,
        name: `bench-${size.trials}`,
        trials: size.trials,
        // Running while the summary is timed, so that every call computes it (a settled study's is cached).
        state: "running",
      });
      // Index-only scans need the visibility map that autovacuum would set on a table that has settled.
      await harness.db.prisma.$executeRaw`VACUUM ANALYZE "Trial"`;
      const seedS = (performance.now() - seedStarted) / 1000;
      say(
        `seeded ${size.trials.toLocaleString("en-US")} trials with 5 reports each in ${seedS.toFixed(1)} s`,
      );
      const summary = await timeSummary(harness, studyId);
      await harness.db.prisma.study.update({ where: { id: studyId }, data: { state: "completed" } });
      const loads: number[] = [];
      for (let i = 0; i < pageLoads; i++) {
        const started = performance.now();
        await page.goto(`${harness.url}/studies/${studyId}`);
        await page.waitForSelector('main[data-ready="true"]', { timeout: 120_000 });
        loads.push(performance.now() - started);
      }
      figures.push({
        trials: size.trials,
        seedS,
        summaryFirstMs: summary.times[0] ?? Number.NaN,
        summaryMedianMs: median(summary.times),
        summaryMaxMs: Math.max(...summary.times),
        summaryBytes: summary.bytes,
        pageFirstMs: loads[0] ?? Number.NaN,
        pageMedianMs: median(loads),
        pageMaxMs: Math.max(...loads),
        pageTargetMs: size.pageTargetMs,
      });
      if (size.trials === 100_000) plans = await explainPlans(harness, studyId);
    }
  } finally {
    await browser.close();
    await harness.close();
  }
  const endLoad = loadavg()[0] ?? 0;
  const verdict = (value: number, target: number) => (value < target ? "meets" : "MISSES");
  const rows = figures.flatMap((f) => [
    `| ${f.trials.toLocaleString("en-US")} | study page to \`data-ready\` (Chromium) | ${Math.round(f.pageMedianMs)} ms | ${Math.round(f.pageFirstMs)} / ${Math.round(f.pageMaxMs)} ms | < ${f.pageTargetMs} ms | ${verdict(f.pageMedianMs, f.pageTargetMs)} |`,
    `| ${f.trials.toLocaleString("en-US")} | \`GET /v1/studies/:id/summary\` of a running study (${Math.round(f.summaryBytes / 1024)} KiB) | ${Math.round(f.summaryMedianMs)} ms | ${Math.round(f.summaryFirstMs)} / ${Math.round(f.summaryMaxMs)} ms | ${f.trials === 100_000 ? `< ${summaryTargetMs} ms` : "—"} | ${f.trials === 100_000 ? verdict(f.summaryMedianMs, summaryTargetMs) : "—"} |`,
  ]);
  const table = [
    "| trials | measured | median | first / slowest | target | |",
    "| ---: | --- | ---: | ---: | --- | --- |",
    ...rows,
  ];
  say("");
  for (const line of table) say(line);
  say("");
  for (const line of plans) say(line);
  if (!write) return;
  const section = [
    "<!-- dashboard-bench:start -->",
    "## Dashboard",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:dashboard\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Debian's Chromium (headless), load average ${startLoad.toFixed(1)} at the start and ${endLoad.toFixed(1)} at the end (the machine is shared with other work: figures taken under load are slower than on an idle machine).`,
    "",
    `Studies of complete trials over 6 params (2 log-scaled, 2 categorical) with 5 intermediate values each, inserted in bulk. The summary route is called ${summaryCalls} times while the study is running: every call computes counts, history, best-so-far and curves, and the param sample is reused while no trial completes (the first call is fully cold). Then the study is marked completed and loaded ${pageLoads} times in Chromium after one sign-in: a navigation to \`/studies/<id>\` until every view (history, intermediate values, parallel coordinates, slice plots, contour map, box plots, the first page of the trial table) has drawn and \`<main data-ready="true">\` is set. The first load computes the summary; a settled study's summary is then reused until the study changes, as in production.`,
    "",
    ...table,
    "",
    "Plans of the reads behind the study page and the trial table at 100,000 trials (`EXPLAIN ANALYZE`):",
    "",
    "| read | access path | execution time |",
    "| --- | --- | ---: |",
    ...plans,
    "<!-- dashboard-bench:end -->",
  ].join("\n");
  const docPath = `${repoRoot}docs/benchmarks.md`;
  const current = readFileSync(docPath, "utf8");
  const start = current.indexOf("<!-- dashboard-bench:start -->");
  const end = current.indexOf("<!-- dashboard-bench:end -->");
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + "<!-- dashboard-bench:end -->".length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  say(`\nwrote the dashboard section of docs/benchmarks.md`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:dashboard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
