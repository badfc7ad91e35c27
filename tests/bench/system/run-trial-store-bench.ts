/**
 * `npx tsx --conditions=source tests/bench/system/run-trial-store-bench.ts [seconds] [clients]`: the trial
 * store's ask → report → tell cycle without HTTP (packages/db/src/trial-store), on a private database.
 * Prints cycles/s with 1 and `clients` concurrent loops on one random study, SQL statements per cycle,
 * and the statements of one ask, report and tell. A focused A/B for changes to the trial store: the
 * system bench (run-system-bench.ts) measures the same path through the API.
 *
 * `… run-trial-store-bench.ts tpe|gp|auto [trials]`: an ask of that sampler on a study of `trials`
 * (default 100,000) seeded complete trials, against reading the whole history and fitting the sampler on
 * it (what an ask did before the bounded windows of core's sampler-history-window.ts). `auto` has a budget
 * of 1,000,000 trials, so it chooses TPE.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { benchmarkProblems, createSampler } from "@hpo/core";
import { finishTrial, loadHistory, PrismaClient, proposeTrials, reportTrial } from "@hpo/db";
import { createTestDatabase } from "@hpo/db/testing";
import { createBraninBenchStudy } from "./bench-study.js";
import { percentile } from "./figures.js";
import { seedCompleteTrials } from "./seed-trials.js";

const seconds = Number(process.argv[2] ?? 5);
const clients = Number(process.argv[3] ?? 8);

async function main(): Promise<void> {
  const db = await createTestDatabase("store_bench");
  let statements = 0;
  const traced: string[] = [];
  let tracing = false;
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: db.url, max: 10 }),
    log: [{ emit: "event", level: "query" }],
  });
  prisma.$on("query", (event) => {
    statements++;
    if (tracing) traced.push(event.query.replace(/\s+/g, " ").slice(0, 140));
  });
  try {
    const { study } = await createBraninBenchStudy(prisma, "store-bench");
    const cycle = async (trace: boolean): Promise<void> => {
      const mark = (what: string) => {
        if (trace) traced.push(`-- ${what}`);
      };
      mark("ask");
      const asked = await proposeTrials(prisma, study.id, 1, { mode: "lease" });
      const trial = asked.trials[0];
      if (!trial?.leaseToken) throw new Error(`no trial: ${asked.limitedBy}`);
      const value = benchmarkProblems.branin.evaluate(trial.params as Record<string, number>);
      mark("report");
      await reportTrial(prisma, trial.id, { leaseToken: trial.leaseToken, step: 0, value });
      mark("tell");
      // As the API's tell route does: it found the trial with its study, so finishTrial need not.
      await finishTrial(
        prisma,
        trial.id,
        { leaseToken: trial.leaseToken, state: "complete", value },
        { studyId: study.id, definition: study.definition },
      );
    };
    for (let index = 0; index < 20; index++) await cycle(false);
    tracing = true;
    await cycle(true);
    tracing = false;
    process.stdout.write(`${traced.join("\n")}\n`);
    for (const loops of [1, clients]) {
      const before = statements;
      let done = 0;
      const deadline = Date.now() + seconds * 1000;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await Promise.all(
        Array.from({ length: loops }, async () => {
          while (Date.now() < deadline) {
            await cycle(false);
            done++;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      process.stdout.write(
        `[store] ${loops} loop(s): ${(done / elapsed).toFixed(1)} cycles/s, ${((statements - before) / done).toFixed(1)} statements/cycle, ${((cpu.user + cpu.system) / 1000 / done).toFixed(2)} ms Node CPU/cycle\n`,
      );
    }
  } finally {
    await prisma.$disconnect();
    await db.dispose();
  }
}

async function historyAsk(sampler: "tpe" | "gp" | "auto", trials: number): Promise<void> {
  const db = await createTestDatabase(`store_bench_${sampler}`);
  try {
    const { study, definition } = await createBraninBenchStudy(db.prisma, `${sampler}-history`, sampler);
    await seedCompleteTrials(db.prisma, study.id, trials);
    const time = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      const times: number[] = [];
      for (let round = 0; round < 5; round++) {
        const started = performance.now();
        await work();
        times.push(performance.now() - started);
      }
      process.stdout.write(
        `[store] ${what}, ${trials.toLocaleString("en-US")} trials: median ${percentile(times, 50)?.toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(", ")})\n`,
      );
    };
    await time(`whole history + ${sampler} fit (before)`, async () => {
      const history = await loadHistory(db.prisma, study.id, definition.objectives);
      createSampler(definition.sampler, definition.space).sample({
        space: definition.space,
        direction: "minimize",
        trials: history,
        count: 1,
        seed: 3,
        firstNumber: trials,
        state: null,
      });
    });
    await time(`${sampler} ask, proposeTrials (after)`, () =>
      proposeTrials(db.prisma, study.id, 1, { mode: "lease" }),
    );
  } finally {
    await db.dispose();
  }
}

const mode = process.argv[2];
if (mode === "tpe" || mode === "gp" || mode === "auto")
  await historyAsk(mode, Number(process.argv[3] ?? 100_000));
else await main();
