import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { externalStudy, retryDelayMs, runAskTellClient } from "./support/ask-tell-client.js";
import { quantile, seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { callApi, sleep, StatusTally, type Answer } from "./support/http-tally.js";
import { chaosProfile, inProfile } from "./support/profile.js";
import { settleAndCheck, startChaosStack } from "./support/scenario.js";

/** The API's pool in this scenario: 3 connections, and 1 s to get one before answering 503. */
const poolSize = 3;
const poolTimeoutMs = 1_000;
/**
 * No request may hang: each is answered (200, or 503 with Retry-After) within this. What the API itself
 * adds is bounded by the admission wait and the pool's acquire timeout (1 s each, and 1 s per further
 * query); the rest is the CPU. On the shared, overloaded 2-core machine the figures come from (load
 * average above 20), 300 answers took up to 37 s, so the bound leaves room for that; the figures give the
 * measured median, p99 and slowest answer.
 */
const answerBoundMs = 60_000;
const requestsPerBurst = 300;

/**
 * Scenario 6: the API on a small PostgreSQL pool with a short acquire timeout (HPO_DB_POOL_SIZE,
 * HPO_DB_POOL_TIMEOUT_MS) gets bursts of 300 concurrent requests (study reads, trial lists, asks) while 8
 * worker slots run a study through the same API. No request may hang: each is answered, 200 or 503 with
 * Retry-After and a stable code, within the bound; and the study still ends with exactly maxTrials.
 */
describe.runIf(inProfile("fast"))("chaos: database pool exhaustion", () => {
  const profile = chaosProfile();
  const fast = profile.name === "fast";
  const bursts = fast ? 1 : 3;
  const maxTrials = fast ? 16 : 40;
  const asksPerBurst = requestsPerBurst / 5;
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startChaosStack({
      label: "chaos_pool",
      inProcess: true,
      workers: [
        { id: "pool-a", concurrency: 4 },
        { id: "pool-b", concurrency: 4 },
      ],
      env: { HPO_DB_POOL_SIZE: String(poolSize), HPO_DB_POOL_TIMEOUT_MS: String(poolTimeoutMs) },
    });
  }, 180_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it(`answers ${bursts} x ${requestsPerBurst} concurrent requests within ${answerBoundMs / 1000} s each, 200 or 503 + Retry-After`, async () => {
    await stack.explain(async () => {
      const history = new History();
      const workerStudy = await stack.createStudy(
        syntheticStudy({
          name: "pool-workers",
          maxTrials,
          parallelism: 8,
          steps: 5,
          stepDelayMs: 100,
          maxRetries: 20,
        }),
      );
      const askTrials = asksPerBurst * bursts;
      const askStudy = await stack.createStudy(externalStudy("pool-asks", askTrials, askTrials));
      await waitFor(
        "trials running on all 8 worker slots",
        async () =>
          (await stack.db.prisma.trial.count({ where: { studyId: workerStudy, state: "running" } })) >= 8,
        120_000,
        100,
      );

      const burstTally = new StatusTally();
      const asked: { id: string; leaseToken: string; number: number }[] = [];
      const burstMs: number[] = [];
      for (let burst = 0; burst < bursts; burst++) {
        history.record({ kind: "fault", what: `${requestsPerBurst} concurrent requests`, detail: { burst } });
        const startedAt = Date.now();
        const answers = await Promise.all(
          Array.from({ length: requestsPerBurst }, (_, index): Promise<Answer> => {
            const call = (method: string, path: string, body?: unknown) =>
              callApi(stack.apiUrl, stack.user.token, method, path, body, answerBoundMs * 2);
            if (index % 5 === 0) return call("POST", `/v1/studies/${askStudy}/ask`, {});
            if (index % 5 <= 2) return call("GET", `/v1/studies/${workerStudy}`);
            return call("GET", `/v1/studies/${workerStudy}/trials?limit=50`);
          }),
        );
        burstMs.push(Date.now() - startedAt);
        for (const answer of answers) {
          burstTally.add(answer);
          const trial = answer.body as { id?: string; leaseToken?: string; number?: number } | undefined;
          if (answer.status === 200 && trial?.leaseToken && trial.id && trial.number !== undefined) {
            asked.push({ id: trial.id, leaseToken: trial.leaseToken, number: trial.number });
            history.record({ kind: "op", what: "ask (burst)", status: 200, trialId: trial.id });
          }
        }
        await sleep(1_000);
      }

      // Tell what the bursts asked, then let a client finish the ask study (its 503'd asks left budget).
      const after = new StatusTally();
      for (const trial of asked) {
        for (let attempt = 0; ; attempt++) {
          const told = after.add(
            await callApi(stack.apiUrl, stack.user.token, "POST", `/v1/trials/${trial.id}/tell`, {
              leaseToken: trial.leaseToken,
              state: "complete",
              value: trial.number,
            }),
          );
          if (told.status < 500 && told.status !== 0) break;
          if (attempt > 20) throw new Error(`tell of ${trial.id} never answered`);
          await sleep(retryDelayMs(told));
        }
      }
      await runAskTellClient(stack, askStudy, askTrials, after, history, 240_000);
      await stack.waitForStudyState(workerStudy, ["completed"], 240_000);

      const durations = burstTally.answers.map((answer) => answer.ms);
      const slowest = Math.max(...durations);
      const apiLog = stack.services.find((service) => service.name === "api")?.output() ?? "";
      const api500s = apiLog.split("\n").filter((line) => line.includes('"msg":"request failed"')).length;
      const ok = burstTally.count((answer) => answer.status >= 200 && answer.status < 300);
      const refused = burstTally.count(
        (answer) => answer.status === 503 && answer.retryAfter !== null && answer.code !== null,
      );
      const crashes = stack.services.filter(
        (service) => service.child.exitCode !== null || service.child.signalCode !== null,
      ).length;
      await settleAndCheck(
        stack,
        [workerStudy, askStudy],
        history,
        {
          id: "06-pool-exhaustion",
          title: "6. Connection-pool exhaustion (300 concurrent requests on a 3-connection pool)",
          figures: {
            "API pool (connections, acquire timeout s)": `${poolSize}, ${seconds(poolTimeoutMs)}`,
            "worker slots; study trials": `8; ${maxTrials}`,
            "bursts x concurrent requests (reads, lists, asks)": `${bursts} x ${requestsPerBurst} (2:2:1)`,
            "answered 2xx": ok,
            "answered 503 with Retry-After and a code": refused,
            "answered otherwise (500, other, none)": requestsPerBurst * bursts - ok - refused,
            "answer time median (s)": seconds(quantile(durations, 0.5)),
            "answer time p99 (s)": seconds(quantile(durations, 0.99)),
            "slowest answer (s), bound": `${seconds(slowest)}, ${answerBoundMs / 1000}`,
            "burst wall time, longest (s)": seconds(Math.max(...burstMs)),
            "API 500 answers (any client, from its log)": api500s,
            "service processes crashed": crashes,
          },
        },
        { expectedCompleteByStudy: { [workerStudy]: maxTrials, [askStudy]: askTrials } },
      );
      expect(ok + refused, JSON.stringify(burstTally.summary())).toBe(requestsPerBurst * bursts);
      expect(slowest).toBeLessThan(answerBoundMs);
      expect(after.badServerErrors, JSON.stringify(after.summary())).toBe(0);
      expect(api500s).toBe(0);
      expect(crashes).toBe(0);
    });
  });
});
