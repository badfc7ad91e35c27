import { validateStudyDefinition } from "@hpo/core";
import { emptyTrialCounts, type TrialCounts } from "@hpo/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../client/create-prisma-client.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { withProjectScope } from "../project-scope/with-project-scope.js";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { abandonTrial, releaseTrial } from "./abandon-trial.js";
import { cancelPendingTrials } from "./cancel-pending-trials.js";
import { claimTrial } from "./claim-trial.js";
import { enqueueManualTrial } from "./enqueue-manual-trial.js";
import { finishTrial } from "./finish-trial.js";
import { heartbeatTrial } from "./heartbeat-trial.js";
import { proposeTrials } from "./propose-trials.js";
import { reportTrial } from "./report-trial.js";
import { readAllTrialCounts, readStudyTrialCounts, readTrialCountsByStudy } from "./study-trial-counts.js";

let db: TestDatabase;
let projectId = "";
let studyCount = 0;

beforeAll(async () => {
  db = await createTestDatabase("trial_counts");
  projectId = (await db.prisma.project.create({ data: { name: "counts" } })).id;
});
afterAll(async () => {
  await db.dispose();
});

async function makeStudy(
  budget: { maxTrials: number; parallelism: number; targetValue?: number },
  project = projectId,
): Promise<string> {
  studyCount += 1;
  const checked = validateStudyDefinition({
    name: `study-${studyCount}`,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: -5, high: 5 }],
    sampler: { type: "random" },
    budget,
    trainer: { type: "command", command: ["true"] },
    seed: 7,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const study = await db.prisma.study.create({
    data: { projectId: project, name: checked.value.name, definition: checked.value },
  });
  return study.id;
}

/** The counts straight from the trials: what the running counts must always equal. */
async function countedFromTrials(prisma: PrismaClient, studyId: string): Promise<TrialCounts> {
  const groups = await prisma.trial.groupBy({ by: ["state"], where: { studyId }, _count: { _all: true } });
  const counts = emptyTrialCounts();
  for (const group of groups) {
    counts[group.state] += group._count._all;
    counts.total += group._count._all;
  }
  return counts;
}

async function expectExact(studyId: string, expected?: Partial<TrialCounts>): Promise<TrialCounts> {
  const counts = await readStudyTrialCounts(db.prisma, studyId);
  expect(counts).toEqual(await countedFromTrials(db.prisma, studyId));
  if (expected) expect(counts).toMatchObject(expected);
  const negative = await db.prisma.studyTrialCount.count({ where: { studyId, count: { lt: 0 } } });
  expect(negative).toBe(0);
  return counts;
}

describe("running trial counts", () => {
  it("follow every transition the trial store makes", async () => {
    const studyId = await makeStudy({ maxTrials: 12, parallelism: 4, targetValue: -100 });
    await expectExact(studyId, { total: 0 });

    const queued = await proposeTrials(db.prisma, studyId, 3, { mode: "queue" });
    expect(queued.trials).toHaveLength(3);
    await expectExact(studyId, { queued: 3, total: 3 });

    const [first, second, third] = queued.trials;
    if (!first || !second || !third) throw new Error("three trials expected");
    const claimed = await claimTrial(db.prisma, first.id, { workerId: "w1" });
    await expectExact(studyId, { queued: 2, running: 1 });

    await heartbeatTrial(db.prisma, first.id, claimed.leaseToken);
    await reportTrial(db.prisma, first.id, { leaseToken: claimed.leaseToken, step: 0, value: 3 });
    await expectExact(studyId, { queued: 2, running: 1 });

    await finishTrial(db.prisma, first.id, { leaseToken: claimed.leaseToken, state: "complete", value: 3 });
    await expectExact(studyId, { queued: 2, running: 0, complete: 1 });

    const secondLease = await claimTrial(db.prisma, second.id, { workerId: "w1" });
    await finishTrial(db.prisma, second.id, {
      leaseToken: secondLease.leaseToken,
      state: "pruned",
      value: 4,
    });
    const thirdLease = await claimTrial(db.prisma, third.id, { workerId: "w2" });
    await finishTrial(db.prisma, third.id, {
      leaseToken: thirdLease.leaseToken,
      state: "failed",
      error: "boom",
    });
    await expectExact(studyId, { complete: 1, pruned: 1, failed: 1, total: 3 });

    // Abandoned (missed heartbeats) and released (SIGTERM): each leaves a waiting retry.
    const leased = await proposeTrials(db.prisma, studyId, 2, { mode: "lease", workerId: "w3" });
    const [fourth, fifth] = leased.trials;
    if (!fourth?.leaseToken || !fifth?.leaseToken) throw new Error("two leased trials expected");
    await expectExact(studyId, { running: 2, total: 5 });
    await abandonTrial(db.prisma, fourth.id, { reason: "heartbeats missed" });
    await releaseTrial(db.prisma, fifth.id, fifth.leaseToken, "SIGTERM");
    await expectExact(studyId, { running: 0, abandoned: 2, waiting: 2, total: 7 });

    const manual = await enqueueManualTrial(db.prisma, studyId, { x: 1 });
    const afterManual = await expectExact(studyId);
    expect(afterManual.total).toBe(8);
    expect(afterManual.waiting + afterManual.queued).toBe(3);
    expect(manual.studyId).toBe(studyId);

    // A proposal serves the waiting retries first (waiting → running).
    const served = await proposeTrials(db.prisma, studyId, 1, { mode: "lease", workerId: "w4" });
    const retry = served.trials[0];
    if (!retry?.leaseToken) throw new Error("a served retry expected");
    await expectExact(studyId, { running: 1 });

    // A result past the target completes the study and cancels what is pending.
    const outcome = await finishTrial(db.prisma, retry.id, {
      leaseToken: retry.leaseToken,
      state: "complete",
      value: -1_000,
    });
    expect(outcome.studyCompleted).toBe("target_value");
    await expectExact(studyId, { waiting: 0, queued: 0, running: 0, complete: 2, cancelled: 2, total: 8 });
  });

  it("follow raw SQL writes, several rows at a time, rolled-back transactions and deletes", async () => {
    const studyId = await makeStudy({ maxTrials: 1_000, parallelism: 1_000 });
    await db.prisma.$executeRaw`
      INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "origin", "updatedAt")
      SELECT gen_random_uuid(), ${studyId}::uuid, n, 'waiting', '{}'::jsonb, 'bench', now()
      FROM generate_series(0, 199) AS n`;
    await expectExact(studyId, { waiting: 200, total: 200 });
    await db.prisma.$executeRaw`
      UPDATE "Trial" SET "state" = 'queued' WHERE "studyId" = ${studyId}::uuid AND "number" < 120`;
    await db.prisma.$executeRaw`
      UPDATE "Trial" SET "state" = 'complete', "value" = 1 WHERE "studyId" = ${studyId}::uuid AND "number" < 50`;
    await expectExact(studyId, { waiting: 80, queued: 70, complete: 50, total: 200 });
    // An update that leaves the state alone, and one that sets it to itself, change nothing.
    await db.prisma.$executeRaw`UPDATE "Trial" SET "heartbeatAt" = now() WHERE "studyId" = ${studyId}::uuid`;
    await db.prisma.$executeRaw`UPDATE "Trial" SET "state" = "state" WHERE "studyId" = ${studyId}::uuid`;
    await expectExact(studyId, { waiting: 80, queued: 70, complete: 50, total: 200 });

    await db.prisma
      .$transaction(async (tx) => {
        await cancelPendingTrials(tx, studyId, "cancelled: test");
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await expectExact(studyId, { waiting: 80, queued: 70, cancelled: 0 });
    await db.prisma.$transaction((tx) => cancelPendingTrials(tx, studyId, "cancelled: test"));
    await expectExact(studyId, { waiting: 0, queued: 0, cancelled: 150, complete: 50 });

    await db.prisma.$executeRaw`DELETE FROM "Trial" WHERE "studyId" = ${studyId}::uuid AND "number" % 2 = 0`;
    await expectExact(studyId, { total: 100 });
  });

  it("stay exact under concurrent tells of one study from many connections", async () => {
    const trials = 400;
    const studyId = await makeStudy({ maxTrials: 10_000, parallelism: 10_000 });
    const pool = createPrismaClient(db.url, { maxConnections: 24 });
    try {
      const asked = await proposeTrials(pool, studyId, trials, { mode: "lease", workerId: "w" });
      expect(asked.trials).toHaveLength(trials);
      const states = ["complete", "pruned", "failed"] as const;
      await Promise.all(
        asked.trials.map(async (trial, index) => {
          if (!trial.leaseToken) throw new Error("a leased trial expected");
          await reportTrial(pool, trial.id, { leaseToken: trial.leaseToken, step: 0, value: index });
          // Every fifth trial is handed back instead: its retry is inserted while the others finish.
          if (index % 5 === 4) {
            await releaseTrial(pool, trial.id, trial.leaseToken, "test");
            return;
          }
          await finishTrial(pool, trial.id, {
            leaseToken: trial.leaseToken,
            state: states[index % states.length] ?? "complete",
            value: index,
          });
        }),
      );
    } finally {
      await pool.$disconnect();
    }
    const counts = await expectExact(studyId, { running: 0, abandoned: trials / 5, waiting: trials / 5 });
    expect(counts.total).toBe(trials + trials / 5);
    // The tells went to several shards, not one row.
    const shards = await db.prisma.studyTrialCount.count({ where: { studyId, state: "complete" } });
    expect(shards).toBeGreaterThan(1);
  });

  it("stay exact, without deadlocks, while proposals, claims, tells and releases of one study race", async () => {
    const studyId = await makeStudy({ maxTrials: 10_000, parallelism: 48 });
    const pool = createPrismaClient(db.url, { maxConnections: 24 });
    try {
      // Eight "workers", each asking for queued trials, claiming, then telling or handing them back.
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let round = 0; round < 6; round++) {
            const proposed = await proposeTrials(pool, studyId, 4, { mode: "queue" });
            await Promise.all(
              proposed.trials.map(async (trial, index) => {
                const claimed = await claimTrial(pool, trial.id, { workerId: `w${worker}` });
                if ((index + round) % 4 === 3) {
                  await releaseTrial(pool, trial.id, claimed.leaseToken, "test");
                  return;
                }
                await finishTrial(pool, trial.id, {
                  leaseToken: claimed.leaseToken,
                  state: "complete",
                  value: index,
                });
              }),
            );
          }
        }),
      );
    } finally {
      await pool.$disconnect();
    }
    const counts = await expectExact(studyId, { running: 0, queued: 0 });
    expect(counts.complete).toBeGreaterThan(0);
    expect(counts.abandoned).toBeGreaterThan(0);
  });

  it("go with their study when it is deleted, and read as zeros", async () => {
    const studyId = await makeStudy({ maxTrials: 50, parallelism: 50 });
    const other = await makeStudy({ maxTrials: 50, parallelism: 50 });
    await proposeTrials(db.prisma, studyId, 30, { mode: "queue" });
    await proposeTrials(db.prisma, other, 5, { mode: "queue" });
    expect(await db.prisma.studyTrialCount.count({ where: { studyId } })).toBeGreaterThan(0);
    await db.prisma.study.delete({ where: { id: studyId } });
    expect(await db.prisma.studyTrialCount.count({ where: { studyId } })).toBe(0);
    expect(await readStudyTrialCounts(db.prisma, studyId)).toEqual(emptyTrialCounts());
    await expectExact(other, { queued: 5, total: 5 });
    const both = await readTrialCountsByStudy(db.prisma, [studyId, other]);
    expect(both.get(studyId)).toEqual(emptyTrialCounts());
    expect(both.get(other)).toMatchObject({ queued: 5, total: 5 });
  });

  it("sum over every study for the operator metrics", async () => {
    const all = await readAllTrialCounts(db.prisma);
    const groups = await db.prisma.trial.groupBy({ by: ["state"], _count: { _all: true } });
    const expected = emptyTrialCounts();
    for (const group of groups) {
      expected[group.state] += group._count._all;
      expected.total += group._count._all;
    }
    expect(all).toEqual(expected);
  });

  it("are confined to the project under row-level security, and kept by writes made there", async () => {
    const otherProject = (await db.prisma.project.create({ data: { name: "counts-other" } })).id;
    const mine = await makeStudy({ maxTrials: 50, parallelism: 50 });
    const theirs = await makeStudy({ maxTrials: 50, parallelism: 50 }, otherProject);
    await proposeTrials(db.prisma, theirs, 4, { mode: "queue" });
    const seen = await withProjectScope(db.prisma, projectId, async (tx) => {
      // A write under the scope role: the trigger's counter writes pass the same policy.
      await tx.$executeRaw`
        INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "origin", "updatedAt")
        SELECT gen_random_uuid(), ${mine}::uuid, n, 'waiting', '{}'::jsonb, 'manual', now()
        FROM generate_series(0, 5) AS n`;
      await tx.$executeRaw`UPDATE "Trial" SET "state" = 'queued' WHERE "studyId" = ${mine}::uuid AND "number" < 2`;
      return {
        counts: await readTrialCountsByStudy(tx, [mine, theirs]),
        rows: await tx.studyTrialCount.count(),
      };
    });
    expect(seen.counts.get(mine)).toMatchObject({ waiting: 4, queued: 2, total: 6 });
    expect(seen.counts.get(theirs)).toEqual(emptyTrialCounts());
    expect(seen.rows).toBe(await db.prisma.studyTrialCount.count({ where: { study: { projectId } } }));
    await expectExact(mine, { waiting: 4, queued: 2 });
    await expectExact(theirs, { queued: 4 });
  });
});
