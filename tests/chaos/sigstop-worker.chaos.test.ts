import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { chaosProfile, inProfile } from "./support/profile.js";
import { settleAndCheck, startChaosStack } from "./support/scenario.js";

/** Scenario 2: a worker frozen (SIGSTOP) past its lease, then thawed (SIGCONT). */
describe.runIf(inProfile("full"))("chaos: SIGSTOP a worker past its lease, then SIGCONT", () => {
  const profile = chaosProfile();
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startChaosStack({
      label: "chaos_sigstop",
      workers: [
        { id: "frozen", concurrency: 1 },
        { id: "other", concurrency: 1 },
      ],
    });
  });
  afterAll(async () => {
    stack.workers.get("frozen")?.kill("SIGCONT");
    await stack.dispose();
  }, 60_000);

  it("gives each point exactly one terminal result; the thawed worker's writes get 409", async () => {
    await stack.explain(async () => {
      const history = new History();
      const maxTrials = 6;
      const studyId = await stack.createStudy(
        syntheticStudy({
          name: "sigstop",
          maxTrials,
          parallelism: 2,
          steps: 8,
          stepDelayMs: 250,
          maxRetries: 10,
        }),
      );
      const frozen = stack.workers.get("frozen");
      if (!frozen) throw new Error("no frozen worker");
      const running = await waitFor(
        "a running trial on the frozen worker",
        async () => {
          const trial = await stack.db.prisma.trial.findFirst({
            where: { studyId, state: "running", workerId: "frozen" },
            include: { reports: { take: 1 } },
          });
          return trial && trial.reports.length > 0 ? trial : undefined;
        },
        60_000,
        50,
      );
      history.record({ kind: "op", what: "trial running on frozen worker", trialId: running.id });
      frozen.kill("SIGSTOP");
      const stoppedAt = Date.now();
      history.record({ kind: "fault", what: "SIGSTOP worker", trialId: running.id });
      const abandoned = await waitFor(
        "the frozen trial's lease to expire",
        async () => {
          const trial = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: running.id } });
          return trial.state === "abandoned" ? trial : undefined;
        },
        profile.leaseGraceMs * 6 + 30_000,
        50,
      );
      const expiredAfter = Date.now() - stoppedAt;
      frozen.kill("SIGCONT");
      history.record({ kind: "fault", what: "SIGCONT worker", trialId: running.id });
      const late = await stack.worker.request("POST", `/v1/trials/${running.id}/report`, {
        leaseToken: running.leaseToken,
        step: 99,
        value: 1,
      });
      history.record({
        kind: "late-write",
        what: "report after lease lost",
        status: late.status,
        trialId: running.id,
      });
      expect(late.status).toBe(409);
      await stack.waitForStudyState(studyId, ["completed"], 180_000);
      const after = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: running.id } });
      expect(after.state).toBe(abandoned.state);
      expect(after.value).toBeNull();
      await settleAndCheck(
        stack,
        [studyId],
        history,
        {
          id: "02-sigstop-worker",
          title: "2. SIGSTOP a worker past its lease, then SIGCONT",
          figures: {
            "lease grace (s)": profile.leaseGraceMs / 1000,
            "SIGSTOP to trial abandoned (s)": seconds(expiredAfter),
            "late write answered": late.status,
          },
        },
        { expectedComplete: maxTrials },
      );
    });
  });
});
