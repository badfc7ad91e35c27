/**
 * `npx tsx --conditions=source tests/bench/system/run-state-counts-bench.ts [trials] [rounds]`: a study's
 * trial counts by state on a private database with one study of `trials` (default 100,000) seeded complete
 * trials, read the way the study read and the dashboard summary read them: from the running counts
 * (readStudyTrialCounts, packages/db/src/trial-store/study-trial-counts.ts) and, for comparison, by
 * counting the trials (the GROUP BY they ran before), each plain and under row-level security
 * (withProjectScope). Rounds alternate the four, so a machine's drift hits all alike; prints medians.
 */
import { readStudyTrialCounts, withProjectScope, type Db } from "@hpo/db";
import { createTestDatabase } from "@hpo/db/testing";
import { loadavg } from "node:os";
import { createBraninBenchStudy } from "./bench-study.js";
import { percentile } from "./figures.js";
import { seedCompleteTrials } from "./seed-trials.js";

const trials = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 15);

async function countByGroupBy(db: Db, studyId: string): Promise<number> {
  const groups = await db.trial.groupBy({ by: ["state"], where: { studyId }, _count: { _all: true } });
  return groups.reduce((sum, group) => sum + group._count._all, 0);
}

async function main(): Promise<void> {
  const db = await createTestDatabase("counts_bench");
  try {
    const { projectId, study } = await createBraninBenchStudy(db.prisma, "counts-bench");
    await seedCompleteTrials(db.prisma, study.id, trials);
    const ways: Record<string, () => Promise<number>> = {
      "running counts": async () => (await readStudyTrialCounts(db.prisma, study.id)).total,
      "GROUP BY over the trials": () => countByGroupBy(db.prisma, study.id),
      "running counts, row-level security": () =>
        withProjectScope(
          db.prisma,
          projectId,
          async (tx) => (await readStudyTrialCounts(tx, study.id)).total,
        ),
      "GROUP BY, row-level security": () =>
        withProjectScope(db.prisma, projectId, (tx) => countByGroupBy(tx, study.id)),
    };
    const times = new Map<string, number[]>(Object.keys(ways).map((name) => [name, []]));
    for (let round = 0; round <= rounds; round++) {
      for (const [name, read] of Object.entries(ways)) {
        const started = performance.now();
        const total = await read();
        const elapsed = performance.now() - started;
        if (total !== trials) throw new Error(`${name}: counted ${total} of ${trials} trials`);
        // Round 0 warms the connections and the plans: not measured.
        if (round > 0) times.get(name)?.push(elapsed);
      }
    }
    for (const [name, samples] of times) {
      process.stdout.write(
        `[counts] ${trials} trials · ${name}: median ${(percentile(samples, 50) ?? 0).toFixed(2)} ms, max ${Math.max(...samples).toFixed(2)} ms (${samples.length} rounds, load ${(loadavg()[0] ?? 0).toFixed(1)})\n`,
      );
    }
  } finally {
    await db.dispose();
  }
}

await main();
