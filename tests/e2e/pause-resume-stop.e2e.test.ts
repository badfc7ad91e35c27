import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "./support/e2e-stack.js";
import { findNumberingProblems, maxConcurrentTrials } from "./support/invariants.js";
import { waitFor } from "./support/service-process.js";
import { syntheticStudy } from "./support/study-fixtures.js";

const SLACK_MS = 50;
const STEPS = 16;
const STOP_MARGIN = 6;

/** Pause, resume, stop and a parallelism change from the API reach running workers. */
describe("e2e: pause, resume, stop and parallelism changes", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "control",
      inProcess: true,
      workers: [{ concurrency: 3 }, { concurrency: 3 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("takes each change into account on the running system", async () => {
    await stack.explain(async () => {
      // Trials of ~2.4 s (16 steps of 150 ms): long enough to be caught running.
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "control", maxTrials: 200, parallelism: 2, steps: STEPS, stepDelayMs: 150 }),
      );
      const running = async () => await stack.db.prisma.trial.count({ where: { studyId, state: "running" } });
      await waitFor("two running trials", async () => (await running()) === 2, 60_000);

      // Parallelism 2 -> 4: more trials run at once than the old limit allowed.
      const raisedAt = new Date();
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { parallelism: 4 });
      await waitFor("four running trials", async () => (await running()) === 4, 30_000, 50);

      // Pause: no trial starts any more; the running ones finish.
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { action: "pause" });
      const pausedAt = new Date();
      await waitFor("the running trials to finish while paused", async () => (await running()) === 0, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      let trials = await stack.trials(studyId);
      expect(
        trials.filter((t) => t.startedAt && t.startedAt.getTime() > pausedAt.getTime() + SLACK_MS),
      ).toEqual([]);
      expect(await running()).toBe(0);
      // The trials that were running when paused were not stopped: each ran all its steps and completed.
      const startedBeforePause = trials.filter((t) => t.startedAt && t.startedAt <= pausedAt);
      expect(startedBeforePause.length).toBeGreaterThanOrEqual(4);
      expect(
        startedBeforePause
          .filter((t) => t.state !== "complete" || t.reports.length !== STEPS)
          .map((t) => `#${t.number} ${t.state} after ${t.reports.length} steps`),
      ).toEqual([]);

      // Resume: trials start again.
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { action: "resume" });
      const resumedAt = new Date();
      await waitFor("a trial started after resume", async () => (await running()) >= 2, 30_000);

      // Stop: running trials are told through their heartbeat and end within a few seconds, not at
      // their natural end; queued ones are cancelled; nothing starts again.
      // Caught mid-way: at least one of them still has STOP_MARGIN steps (~0.9 s) to go, far more than the
      // stop takes to reach it (the reply to its next report or heartbeat says stop).
      const busy = await waitFor(
        "running trials with reports, one of them far from its end",
        async () => {
          const found = await stack.db.prisma.trial.findMany({
            where: { studyId, state: "running" },
            include: { reports: true },
          });
          const ready =
            found.length >= 2 &&
            found.every((t) => t.reports.length >= 1) &&
            found.some((t) => t.reports.length <= STEPS - STOP_MARGIN);
          return ready ? found : undefined;
        },
        30_000,
        50,
      );
      const farFromEnd = new Set(
        busy.filter((t) => t.reports.length <= STEPS - STOP_MARGIN).map((t) => t.id),
      );
      await stack.user.ok("PATCH", `/v1/studies/${studyId}`, { action: "stop" });
      const stoppedAt = new Date();
      await waitFor(
        "no trial running, queued or waiting after stop",
        async () =>
          (await stack.db.prisma.trial.count({
            where: { studyId, state: { in: ["running", "queued", "waiting"] } },
          })) === 0,
        10_000,
        50,
      );
      expect(await stack.studyState(studyId)).toBe("stopped");
      const stopLatencyMs = Date.now() - stoppedAt.getTime();
      printFigure("stop: PATCH to no trial running/queued/waiting", stopLatencyMs / 1000, "s");
      expect(stopLatencyMs).toBeLessThan(2_400);
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      trials = await stack.trials(studyId);
      expect(findNumberingProblems(trials)).toEqual([]);
      expect(
        trials.filter((t) => t.startedAt && t.startedAt.getTime() > stoppedAt.getTime() + SLACK_MS),
      ).toEqual([]);
      expect(trials.some((t) => t.startedAt && t.startedAt >= resumedAt)).toBe(true);
      // The trials caught far from their end ended early (fewer reports than steps), not naturally.
      const endedByStop = trials.filter((t) => farFromEnd.has(t.id));
      expect(endedByStop.length).toBeGreaterThanOrEqual(1);
      expect(
        endedByStop
          .filter((t) => t.state === "complete" || t.reports.length >= STEPS)
          .map((t) => `#${t.number} ${t.state} after ${t.reports.length} steps`),
      ).toEqual([]);
      // Before the raise the study never ran more than 2 at once, after it never more than 4.
      const before = trials.filter((t) => t.startedAt && t.startedAt < raisedAt);
      expect(maxConcurrentTrials(before)).toBeLessThanOrEqual(2);
      expect(maxConcurrentTrials(trials)).toBeLessThanOrEqual(4);
    });
  }, 200_000);
});
