import { afterAll, beforeAll, describe, it } from "vitest";
import type { E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { median, quantile, seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { expectLateTellRefused } from "./support/late-write.js";
import { chaosProfile } from "./support/profile.js";
import { childPids, settleAndCheck, startChaosStack } from "./support/scenario.js";

/** Scenario 1: `kill -9` a worker mid-trial, over and over, during one study. */
describe("chaos: kill -9 a worker mid-trial, repeatedly", () => {
  const profile = chaosProfile();
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startChaosStack({
      label: "chaos_kill9",
      workers: [
        { id: "victim", concurrency: 1 },
        { id: "survivor", concurrency: 1 },
      ],
    });
  });
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it(`recovers every killed trial (${profile.kills} kills): none lost or duplicated, no orphan trainer`, async () => {
    await stack.explain(async () => {
      const history = new History();
      // While a killed trial waits out its lease it still holds one of the two slots, and the other slot
      // keeps finishing trials: each kill cycle uses about four trials of the budget (2.4 s each), so
      // six per kill leaves the last kill a trial to find on the victim.
      const maxTrials = profile.kills * 6 + 4;
      const studyId = await stack.createStudy(
        syntheticStudy({
          name: "kill9",
          maxTrials,
          parallelism: 2,
          steps: 6,
          stepDelayMs: 400,
          maxRetries: 100,
        }),
      );
      const recoveries: number[] = [];
      const trainers: number[] = [];
      for (let kill = 0; kill < profile.kills; kill++) {
        const victim = stack.workers.get("victim");
        const pid = victim?.child.pid;
        if (!victim || pid === undefined) throw new Error("no victim worker");
        const running = await waitFor(
          "a running trial on the victim",
          async () => {
            const trial = await stack.db.prisma.trial.findFirst({
              where: { studyId, state: "running", workerId: "victim" },
              include: { reports: { take: 1 } },
            });
            return trial && trial.reports.length > 0 ? trial : undefined;
          },
          60_000,
          50,
        );
        history.record({ kind: "op", what: "trial running on victim", trialId: running.id });
        trainers.push(...childPids(pid));
        victim.kill("SIGKILL");
        const killedAt = Date.now();
        history.record({ kind: "fault", what: "kill -9 worker", trialId: running.id });
        await victim.exited;
        stack.startWorker({ id: "victim", concurrency: 1 });
        const retry = await waitFor(
          "the killed trial's retry to start",
          () =>
            stack.db.prisma.trial
              .findFirst({
                where: { retryOf: running.id, startedAt: { not: null } },
              })
              .then((trial) => trial ?? undefined),
          profile.leaseGraceMs * 6 + 30_000,
          50,
        );
        history.record({ kind: "op", what: "retry started", trialId: retry.id });
        recoveries.push((retry.startedAt?.getTime() ?? Date.now()) - killedAt);
        // The killed worker's result arrives late, under the lease it lost: refused.
        await expectLateTellRefused(stack, history, running, "tell after kill");
      }
      await stack.waitForStudyState(studyId, ["completed"], 240_000);
      await settleAndCheck(
        stack,
        [studyId],
        history,
        {
          id: "01-kill9-worker",
          title: "1. kill -9 a worker mid-trial",
          figures: {
            kills: profile.kills,
            "lease grace (s)": profile.leaseGraceMs / 1000,
            "recovery median (s, kill to retry running)": seconds(median(recoveries)),
            "recovery p95 (s)": seconds(quantile(recoveries, 0.95)),
            "late writes refused (409)": history.count("late-write"),
          },
        },
        { trainerPids: trainers, expectedComplete: maxTrials },
      );
    });
  });
});
