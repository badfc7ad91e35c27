import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkProblems, validateStudyDefinition } from "@hpo/core";
import { claimTrial, finishTrial } from "@hpo/db";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { createLogger, obliterateTrialQueues, TrialQueues } from "@hpo/queue";
import { fillStudy } from "./fill-study.js";
import type { SchedulerDeps } from "./scheduler-deps.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `hpotest-fair-${randomBytes(4).toString("hex")}`;
const queues = new TrialQueues({ redisUrl, prefix });
const pool = "shared";
let db: TestDatabase;

function deps(): SchedulerDeps {
  return {
    prisma: db.prisma,
    queues,
    logger: createLogger("fairness-test", "error"),
    publish: () => Promise.resolve(),
    now: () => new Date(),
  };
}

async function createProjectStudy(name: string, weight: number, maxConcurrentTrials: number | null) {
  const project = await db.prisma.project.create({ data: { name } });
  await db.prisma.fleetMember.create({ data: { pool, projectId: project.id, weight, maxConcurrentTrials } });
  const result = validateStudyDefinition({
    name: `s-${randomUUID()}`,
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    sampler: { type: "random" },
    budget: { maxTrials: 10_000, parallelism: 30 },
    trainer: { type: "synthetic", problem: "branin" },
    resources: { pool },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const study = await db.prisma.study.create({
    data: {
      projectId: project.id,
      name: result.value.name,
      definition: JSON.parse(JSON.stringify(result.value)) as object,
    },
  });
  return { projectId: project.id, studyId: study.id };
}

/**
 * One round of the shared fleet, in process against the real database: the scheduler fills every
 * study up to its fair share, then the fleet claims and finishes every queued trial (equal durations).
 * Returns the trials each study ran in the round.
 */
async function round(studies: { studyId: string }[], offset: number): Promise<Map<string, number>> {
  const ran = new Map<string, number>();
  // The order the scheduler visits studies in must not matter: rotate it each round.
  for (let i = 0; i < studies.length; i++) {
    const study = studies[(i + offset) % studies.length];
    if (study) await fillStudy(deps(), study.studyId);
  }
  const queued = await db.prisma.trial.findMany({
    where: { state: "queued", studyId: { in: studies.map((s) => s.studyId) } },
    select: { id: true, studyId: true },
  });
  await Promise.all(
    studies.map(async ({ studyId }) => {
      for (const trial of queued.filter((t) => t.studyId === studyId)) {
        const claimed = await claimTrial(db.prisma, trial.id, { workerId: "fleet-1" });
        await finishTrial(db.prisma, trial.id, {
          leaseToken: claimed.leaseToken,
          state: "complete",
          value: 1,
        });
        ran.set(studyId, (ran.get(studyId) ?? 0) + 1);
      }
    }),
  );
  // The fleet worker registers again (it would every few seconds), so it stays alive.
  await db.prisma.worker.update({ where: { id: "fleet-1" }, data: { lastSeen: new Date() } });
  return ran;
}

beforeAll(async () => {
  db = await createTestDatabase("fleetfair");
  await db.prisma.worker.create({
    data: { id: "fleet-1", projectId: null, pool, host: "h", gpus: [], backend: "cpu", slots: 26 },
  });
}, 60_000);

afterAll(async () => {
  await obliterateTrialQueues({ redisUrl, prefix });
  await queues.close();
  await db.dispose();
}, 60_000);

describe("fair sharing of a shared fleet", () => {
  it("gives three projects (weights 1, 1, 2) shares within 10% of 25/25/50% over 300 trials", async () => {
    const studies = [
      await createProjectStudy("p1", 1, null),
      await createProjectStudy("p2", 1, null),
      await createProjectStudy("p3", 2, null),
    ];
    const total = new Map<string, number>();
    let done = 0;
    for (let r = 0; done < 300; r++) {
      const ran = await round(studies, r);
      // The fleet's 26 slots are never oversubscribed by the shares.
      expect([...ran.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(26);
      for (const [studyId, count] of ran) total.set(studyId, (total.get(studyId) ?? 0) + count);
      done = [...total.values()].reduce((a, b) => a + b, 0);
      if (r > 100) throw new Error("the fleet stalled");
    }
    const expected = [0.25, 0.25, 0.5];
    for (const [index, study] of studies.entries()) {
      const share = (total.get(study.studyId) ?? 0) / done;
      process.stdout.write(
        `fleet share of project ${index + 1}: ${(share * 100).toFixed(1)}% of ${done} trials\n`,
      );
      expect(Math.abs(share - (expected[index] ?? 0)) / (expected[index] ?? 1)).toBeLessThan(0.1);
    }
  }, 60_000);

  it("holds a project to its concurrency limit and gives the rest to the others", async () => {
    await db.prisma.study.updateMany({ data: { state: "stopped" } });
    const studies = [
      await createProjectStudy("q1", 1, null),
      await createProjectStudy("q2", 1, null),
      await createProjectStudy("q3", 5, 2),
    ];
    const ran = await round(studies, 0);
    expect(studies.map((study) => ran.get(study.studyId) ?? 0)).toEqual([12, 12, 2]);
  }, 30_000);
});
