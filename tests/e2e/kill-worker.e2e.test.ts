import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure, waitForRunningTrial } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems, maxConcurrentTrials } from "./support/invariants.js";
import { isProcessAlive, waitFor } from "./support/service-process.js";
import { syntheticStudy } from "./support/study-fixtures.js";

function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Kill -9 of a worker mid-trial. */
describe("e2e: a worker killed with SIGKILL mid-trial", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "kill9",
      workers: [
        { id: "victim", concurrency: 1 },
        { id: "survivor", concurrency: 1 },
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("recovers the trial, ends with exactly maxTrials complete, and rejects the late result", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "kill9", maxTrials: 8, parallelism: 2, steps: 6, stepDelayMs: 150 }),
      );
      const victim = stack.workers.get("victim");
      if (!victim?.child.pid) throw new Error("victim worker not started");
      const killed = await waitForRunningTrial(stack, studyId, { workerId: "victim", minReports: 1 });
      const trainers = childPids(victim.child.pid);
      expect(trainers.length).toBeGreaterThan(0);
      victim.kill("SIGKILL");
      const killedAt = Date.now();
      await victim.exited;

      // The trainer child notices its supervisor is gone and exits too (no zombie training runs).
      await waitFor(
        "the killed worker's trainer processes to exit",
        () => trainers.every((pid) => !isProcessAlive(pid)),
        10_000,
      );

      await stack.waitForStudyState(studyId, ["completed"], 120_000);
      const trials = await stack.trials(studyId);
      expect(findNumberingProblems(trials)).toEqual([]);
      expect(countByState(trials)).toEqual({ complete: 8, abandoned: 1 });
      const abandoned = trials.find((trial) => trial.id === killed.id);
      expect(abandoned?.state).toBe("abandoned");
      expect(abandoned?.error).toMatch(/heartbeat/);
      const retry = trials.find((trial) => trial.retryOf === killed.id);
      expect(retry?.state).toBe("complete");
      expect(retry?.params).toEqual(killed.params);
      expect(retry?.attempt).toBe(killed.attempt + 1);
      if (retry?.startedAt) {
        printFigure(
          "kill -9 recovery (kill to retry started, heartbeat grace 8 s)",
          (retry.startedAt.getTime() - killedAt) / 1000,
          "s",
        );
      }
      expect(maxConcurrentTrials(trials)).toBeLessThanOrEqual(2);

      // The killed worker's late result, with its old lease, is refused and changes nothing.
      const late = await stack.worker.request("POST", `/v1/trials/${killed.id}/tell`, {
        leaseToken: killed.leaseToken,
        state: "complete",
        value: -1,
      });
      expect(late.status).toBe(409);
      const after = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: killed.id } });
      expect(after.state).toBe("abandoned");
      expect(after.value).toBeNull();
    });
  }, 180_000);
});
