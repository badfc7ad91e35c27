import { afterAll, beforeAll, describe, it } from "vitest";
import type { E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { chaosProfile, inProfile } from "./support/profile.js";
import { ChaosRedis } from "./support/redis-server.js";
import { settleAndCheck, startChaosStack } from "./support/scenario.js";

/** Scenario 4: Redis killed (-9) and restarted under load, then FLUSHALL with many trials in flight. */
describe.runIf(inProfile("full"))("chaos: Redis killed and flushed under load", () => {
  const profile = chaosProfile();
  let redis: ChaosRedis;
  let stack: E2eStack;
  beforeAll(async () => {
    redis = await ChaosRedis.start();
    stack = await startChaosStack({
      label: "chaos_redis",
      redisUrl: redis.url,
      inProcess: true,
      workers: [
        { id: "redis-a", concurrency: 4 },
        { id: "redis-b", concurrency: 4 },
      ],
    });
  });
  afterAll(async () => {
    await stack.dispose();
    await redis.stop();
  }, 60_000);

  it(`every study completes from Postgres (${profile.flushTrials} trials, ${profile.flushTrials / 2} in flight at the flush)`, async () => {
    await stack.explain(async () => {
      const history = new History();
      const maxTrials = profile.flushTrials;
      const studyId = await stack.createStudy(
        syntheticStudy({
          name: "redis-faults",
          maxTrials,
          parallelism: Math.floor(maxTrials / 2),
          steps: 3,
          stepDelayMs: 100,
          maxRetries: 20,
        }),
      );
      const progress = async (complete: number) =>
        waitFor(
          `${complete} complete trials`,
          async () =>
            (await stack.db.prisma.trial.count({ where: { studyId, state: "complete" } })) >= complete,
          180_000,
          100,
        );
      await progress(Math.floor(maxTrials / 10));
      await redis.stop("SIGKILL");
      const killedAt = Date.now();
      history.record({ kind: "fault", what: "kill -9 redis-server" });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await redis.restart();
      const completedAtKill = await stack.db.prisma.trial.count({ where: { studyId, state: "complete" } });
      await progress(completedAtKill + 1);
      const killRecovery = Date.now() - killedAt;

      await progress(Math.floor(maxTrials / 3));
      const inFlight = await stack.db.prisma.trial.count({
        where: { studyId, state: { in: ["queued", "running", "waiting"] } },
      });
      await redis.cli("FLUSHALL");
      const flushedAt = Date.now();
      history.record({ kind: "fault", what: "FLUSHALL", detail: { inFlight } });
      const completedAtFlush = await stack.db.prisma.trial.count({ where: { studyId, state: "complete" } });
      await progress(completedAtFlush + 1);
      const flushRecovery = Date.now() - flushedAt;
      await stack.waitForStudyState(studyId, ["completed"], 400_000);
      await settleAndCheck(
        stack,
        [studyId],
        history,
        {
          id: "04-redis-faults",
          title: "4. Redis killed (-9) and restarted, then FLUSHALL under load",
          figures: {
            trials: maxTrials,
            "Redis kill -9 + restart to next trial complete (s)": seconds(killRecovery),
            "trials in flight at FLUSHALL": inFlight,
            "FLUSHALL to next trial complete (s)": seconds(flushRecovery),
          },
        },
        { expectedComplete: maxTrials },
      );
    });
  });
});
