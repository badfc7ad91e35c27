import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2eStack, WorkerSpec } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { expectLateTellRefused } from "./support/late-write.js";
import { chaosProfile } from "./support/profile.js";
import { childPids, settleAndCheck, startChaosStack } from "./support/scenario.js";

/**
 * Scenario 13: workers whose clocks are five minutes ahead and five minutes behind (Date shifted by a
 * preload, tests/chaos/support/skewed-clock.mjs). Leases are judged on the database's clock
 * (packages/db/src/trial-store/database-clock.ts), so a skewed worker's trials live exactly as long as
 * it heartbeats, and expire the lease grace after it is killed: not at once (behind) nor minutes late
 * (ahead).
 */
const profile = chaosProfile();
const skewMs = 5 * 60_000;
const preload = fileURLToPath(new URL("./support/skewed-clock.mjs", import.meta.url));
const skewed: Record<string, number> = { ahead: skewMs, behind: -skewMs };

function skewedWorker(id: string): WorkerSpec {
  return {
    id,
    concurrency: 1,
    env: { NODE_OPTIONS: `--import ${preload}`, HPO_CHAOS_CLOCK_SKEW_MS: String(skewed[id] ?? 0) },
  };
}

/** The worker's own clock minus the real one, read from the `time` of the last line it logged. */
function loggedClockOffset(output: string): number {
  const times = [...output.matchAll(/"time":(\d{13})/g)].map((match) => Number(match[1]));
  const last = times.at(-1);
  return last === undefined ? Number.NaN : last - Date.now();
}

describe("chaos: workers with skewed clocks (scenario 13)", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startChaosStack({
      label: "chaos_skew",
      workers: [skewedWorker("ahead"), skewedWorker("behind")],
      // About clocks, not trainer processes (scenario 1 kills those): trials run inside the workers.
      inProcess: true,
    });
  });
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("keeps a skewed worker's heartbeating trials alive and expires its lease one grace after kill -9", async () => {
    await stack.explain(async () => {
      const history = new History();
      const graceMs = profile.leaseGraceMs;
      // Each trial runs about three lease graces: it survives only by its heartbeats being judged right.
      const stepDelayMs = 500;
      const steps = Math.ceil((3 * graceMs) / stepDelayMs);
      const maxTrials = profile.name === "fast" ? 4 : 6;
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "skew", maxTrials, parallelism: 2, steps, stepDelayMs, maxRetries: 10 }),
      );
      const offsets = Object.fromEntries(
        Object.keys(skewed).map((id) => [id, loggedClockOffset(stack.workers.get(id)?.output() ?? "")]),
      );
      for (const [id, offset] of Object.entries(offsets)) {
        expect(Math.abs(offset - (skewed[id] ?? 0)), `${id}'s clock offset ${offset} ms`).toBeLessThan(
          60_000,
        );
      }

      // Phase 1: each worker's first trial runs to the end on its heartbeats alone.
      const firstComplete = await waitFor(
        "a complete trial from each skewed worker",
        async () => {
          const done = await stack.db.prisma.trial.findMany({
            where: { studyId, state: "complete" },
            select: { id: true, workerId: true, startedAt: true, finishedAt: true },
          });
          const byWorker = Object.keys(skewed).map((id) => done.find((trial) => trial.workerId === id));
          return byWorker.every((trial) => trial !== undefined) ? byWorker : undefined;
        },
        graceMs * 20 + 60_000,
        200,
      );
      const lifetimes = firstComplete.map(
        (trial) => (trial?.finishedAt?.getTime() ?? 0) - (trial?.startedAt?.getTime() ?? 0),
      );
      for (const trial of firstComplete)
        history.record({ kind: "op", what: "ran to the end", trialId: trial?.id });
      for (const lifetime of lifetimes) expect(lifetime).toBeGreaterThan(2 * graceMs);

      // Phase 2: kill -9 each skewed worker mid-trial; its lease expires one grace after its last heartbeat.
      const expiries: Record<string, { killToAbandoned: number; silenceByDbClock: number }> = {};
      const trainers: number[] = [];
      for (const id of Object.keys(skewed)) {
        const worker = stack.workers.get(id);
        const pid = worker?.child.pid;
        if (!worker || pid === undefined) throw new Error(`no worker ${id}`);
        const running = await waitFor(
          `a running trial on ${id}`,
          async () => {
            const trial = await stack.db.prisma.trial.findFirst({
              where: { studyId, state: "running", workerId: id },
              include: { reports: { take: 1 } },
            });
            return trial && trial.reports.length > 0 ? trial : undefined;
          },
          graceMs * 20 + 60_000,
          50,
        );
        history.record({ kind: "op", what: `trial running on ${id}`, trialId: running.id });
        trainers.push(...childPids(pid));
        worker.kill("SIGKILL");
        const killedAt = Date.now();
        history.record({ kind: "fault", what: `kill -9 worker ${id} (clock ${skewed[id]} ms off)` });
        await worker.exited;
        const abandoned = await waitFor(
          `${id}'s trial to be abandoned`,
          async () => {
            const trial = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: running.id } });
            return trial.state === "abandoned" ? trial : undefined;
          },
          graceMs * 6 + 30_000,
          50,
        );
        expiries[id] = {
          killToAbandoned: Date.now() - killedAt,
          silenceByDbClock: (abandoned.finishedAt?.getTime() ?? 0) - (abandoned.heartbeatAt?.getTime() ?? 0),
        };
        await expectLateTellRefused(stack, history, running, `tell after kill of ${id}`);
        stack.startWorker(skewedWorker(id));
      }
      for (const [id, expiry] of Object.entries(expiries)) {
        expect(expiry.silenceByDbClock, `${id}: silence by the database clock`).toBeGreaterThanOrEqual(
          graceMs,
        );
        // Abandoned one grace (plus a sweep and a heartbeat interval) after the kill: neither at once nor minutes late.
        expect(expiry.killToAbandoned, `${id}: kill to abandoned`).toBeLessThan(graceMs + 30_000);
      }

      await stack.waitForStudyState(studyId, ["completed"], graceMs * 40 + 120_000);
      const abandonedCount = await stack.db.prisma.trial.count({ where: { studyId, state: "abandoned" } });
      expect(abandonedCount, "only the killed workers' trials are abandoned").toBe(
        Object.keys(skewed).length,
      );
      const ahead = expiries["ahead"];
      const behind = expiries["behind"];
      await settleAndCheck(
        stack,
        [studyId],
        history,
        {
          id: "13-clock-skew",
          title: "13. Workers with clocks 5 minutes ahead and behind",
          figures: {
            "worker clock offsets (s, from their logs)": Object.values(offsets)
              .map((offset) => seconds(offset))
              .join(", "),
            "lease grace (s)": graceMs / 1000,
            "shortest trial lifetime on heartbeats (s)": seconds(Math.min(...lifetimes)),
            "trials abandoned (only the killed ones)": abandonedCount,
            "ahead: kill to abandoned (s)": seconds(ahead?.killToAbandoned ?? Number.NaN),
            "ahead: silence before abandoned, DB clock (s)": seconds(ahead?.silenceByDbClock ?? Number.NaN),
            "behind: kill to abandoned (s)": seconds(behind?.killToAbandoned ?? Number.NaN),
            "behind: silence before abandoned, DB clock (s)": seconds(behind?.silenceByDbClock ?? Number.NaN),
            "late writes refused (409)": history.count("late-write"),
          },
        },
        { trainerPids: trainers, expectedComplete: maxTrials },
      );
    });
  });
});
