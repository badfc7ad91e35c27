import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems } from "./support/invariants.js";
import { PrivateRedis } from "./support/private-redis.js";
import { waitFor } from "./support/service-process.js";
import { syntheticStudy } from "./support/study-fixtures.js";

/** `redis-cli FLUSHALL` during a study (on a private redis-server, never the shared one). */
describe("e2e: Redis wiped mid-study", () => {
  let redis: PrivateRedis;
  let stack: E2eStack;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // One single-slot worker and parallelism 3: two trials always wait in Redis, so the flush
    // really destroys jobs that only Postgres still knows about.
    stack = await E2eStack.start({
      label: "flushall",
      inProcess: true,
      redisUrl: redis.url,
      workers: [{ concurrency: 1 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
    await redis.stop();
  }, 60_000);

  it("still completes every trial, rebuilt from Postgres", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "flush", maxTrials: 10, parallelism: 3, steps: 3, stepDelayMs: 60 }),
      );
      await waitFor(
        "three complete trials and two queued ones",
        async () => {
          const trials = await stack.trials(studyId);
          const counts = countByState(trials);
          return (counts.complete ?? 0) >= 3 && (counts.queued ?? 0) >= 2;
        },
        60_000,
        50,
      );
      const keysBefore = Number((await redis.cli("DBSIZE")).trim());
      expect(keysBefore).toBeGreaterThan(0);
      await redis.cli("FLUSHALL");
      const flushedAt = new Date();
      // Trials still queued after the flush lost their jobs: only the reconciler can bring them back.
      const orphaned = await stack.db.prisma.trial.findMany({
        where: { studyId, state: "queued" },
        select: { id: true },
      });
      expect(Number((await redis.cli("DBSIZE")).trim())).toBeLessThan(keysBefore);
      expect(orphaned.length).toBeGreaterThanOrEqual(1);

      // The scheduler's queue repair finds the queued trials without a job and adds them again.
      const scheduler = stack.services.find((service) => service.name === "scheduler");
      await waitFor(
        "the scheduler to re-enqueue the wiped jobs",
        () => scheduler?.output().includes("queued trials had no live job; re-enqueued") === true,
        30_000,
        100,
      );
      await stack.waitForStudyState(studyId, ["completed"], 120_000);
      const trials = await stack.trials(studyId);
      expect(findNumberingProblems(trials)).toEqual([]);
      expect(countByState(trials)).toEqual({ complete: 10 });
      // Every orphan ran after the flush: its job was rebuilt, since the flush left none to run from.
      const orphanIds = new Set(orphaned.map((t) => t.id));
      const rebuilt = trials.filter((t) => orphanIds.has(t.id) && t.startedAt && t.startedAt > flushedAt);
      expect(rebuilt.map((t) => t.id).sort()).toEqual([...orphanIds].sort());
      const firstStart = Math.min(...rebuilt.map((t) => t.startedAt?.getTime() ?? Infinity));
      printFigure(
        `FLUSHALL: flush to the first start of a trial whose job was wiped (${orphaned.length} orphaned)`,
        (firstStart - flushedAt.getTime()) / 1000,
        "s",
      );
    });
  }, 180_000);
});
