import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_TIMINGS, type E2eStack } from "../e2e/support/e2e-stack.js";
import { startServiceProcess, waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { chaosProfile } from "./support/profile.js";
import { ChaosRedis } from "./support/redis-server.js";
import { childPids, settleAndCheck, startChaosStack } from "./support/scenario.js";

/**
 * Scenario 12: the API, the scheduler, every worker and Redis killed with SIGKILL mid-study, then all
 * started again. PostgreSQL is not crashed: it is shared with other work on this machine (see
 * docs/reliability.md). Also where the suite checks that no API key ever reaches a log line.
 */
describe("chaos: full-stack crash", () => {
  const profile = chaosProfile();
  let redis: ChaosRedis;
  let stack: E2eStack;
  beforeAll(async () => {
    redis = await ChaosRedis.start();
    stack = await startChaosStack({
      label: "chaos_crash",
      redisUrl: redis.url,
      workers: [
        { id: "crash-a", concurrency: 2 },
        { id: "crash-b", concurrency: 2 },
      ],
      // Every line the API prints, so the key check below reads the most a log could hold.
      env: { LOG_LEVEL: "debug" },
    });
  });
  afterAll(async () => {
    await stack.dispose();
    await redis.stop();
  }, 60_000);

  it("finishes with exactly maxTrials complete trials after everything but Postgres is killed", async () => {
    await stack.explain(async () => {
      const history = new History();
      const maxTrials = profile.name === "fast" ? 10 : 16;
      const studyId = await stack.createStudy(
        syntheticStudy({
          name: "crash",
          maxTrials,
          parallelism: 4,
          steps: 5,
          stepDelayMs: 150,
          maxRetries: 20,
        }),
      );
      // The crash comes while trials run: the ones running at that moment are the ones to recover.
      const running = await waitFor(
        "a few complete trials and some running",
        async () => {
          const trials = await stack.trials(studyId);
          const now = trials.filter((t) => t.state === "running");
          return trials.filter((t) => t.state === "complete").length >= 3 && now.length > 0 ? now : undefined;
        },
        120_000,
        20,
      );
      const trainers = [...stack.workers.values()].flatMap((worker) =>
        worker.child.pid === undefined ? [] : childPids(worker.child.pid),
      );
      for (const trial of running)
        history.record({ kind: "op", what: "running at crash", trialId: trial.id });
      const crashedAt = Date.now();
      for (const service of stack.services) service.kill("SIGKILL");
      await redis.stop("SIGKILL");
      history.record({ kind: "fault", what: "kill -9 API, scheduler, workers and Redis" });
      await Promise.all(stack.services.map((service) => service.exited));

      await redis.restart();
      const port = new URL(stack.apiUrl).port;
      const api = startServiceProcess("api", "services/api/src/main.ts", {
        ...FAST_TIMINGS,
        ...profile.env,
        LOG_LEVEL: "debug",
        DATABASE_URL: stack.db.url,
        REDIS_URL: redis.url,
        HPO_QUEUE_PREFIX: stack.prefix,
        HPO_REDIS_PREFIX: stack.prefix,
        PORT: port,
        HPO_ADMIN_TOKEN: stack.adminToken,
      });
      stack.services.push(api);
      await waitFor("the API again", async () => (await fetch(`${stack.apiUrl}/readyz`)).ok, 60_000, 100);
      stack.startScheduler();
      stack.startWorker({ id: "crash-a", concurrency: 2 });
      stack.startWorker({ id: "crash-b", concurrency: 2 });
      const restartedAt = Date.now();
      const firstAfter = await waitFor(
        "a trial to complete after the restart",
        () =>
          stack.db.prisma.trial
            .findFirst({ where: { studyId, state: "complete", finishedAt: { gt: new Date(restartedAt) } } })
            .then((trial) => trial ?? undefined),
        120_000,
        100,
      );
      await stack.waitForStudyState(studyId, ["completed"], 240_000);
      // The crashed attempts' results arrive late, under leases that expired: refused.
      for (const trial of running) {
        const late = await stack.worker.request("POST", `/v1/trials/${trial.id}/tell`, {
          leaseToken: trial.leaseToken,
          state: "complete",
          value: -1,
        });
        history.record({
          kind: "late-write",
          what: "tell after crash",
          status: late.status,
          trialId: trial.id,
        });
      }

      const logs = stack.services.map((service) => service.output()).join("\n");
      const keys = [stack.adminToken, stack.user.token, stack.worker.token];
      const leakedKeys = keys.filter((key) => logs.includes(key)).length;
      await settleAndCheck(
        stack,
        [studyId],
        history,
        {
          id: "12-full-stack-crash",
          title: "12. Full-stack crash (API, scheduler, workers, Redis; Postgres kept)",
          figures: {
            "trials running at the crash": running.length,
            "restart to first trial complete (s)": seconds(
              (firstAfter.finishedAt?.getTime() ?? 0) - restartedAt,
            ),
            "crash to first trial complete (s)": seconds((firstAfter.finishedAt?.getTime() ?? 0) - crashedAt),
            "log lines read for keys": logs.split("\n").length,
            "API keys found in logs": leakedKeys,
          },
        },
        { trainerPids: trainers, expectedComplete: maxTrials },
      );
      expect(leakedKeys).toBe(0);
    });
  });
});
