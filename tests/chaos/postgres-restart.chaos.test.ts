import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiApplicationName, type E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { externalStudy, runAskTellClient } from "./support/ask-tell-client.js";
import { seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { callApi, sleep, StatusTally } from "./support/http-tally.js";
import { ChaosPostgres } from "./support/postgres-server.js";
import { chaosProfile, inProfile } from "./support/profile.js";
import { settleAndCheck, startChaosStack } from "./support/scenario.js";

/**
 * Scenario 5: PostgreSQL stopped in immediate mode (a crash: no checkpoint, WAL recovery on start) mid-study
 * and started again, then the API's backends terminated (`pg_terminate_backend`) again and again while
 * external clients ask and tell. The cluster is the scenario's own (support/postgres-server.ts): the
 * machine's shared PostgreSQL is never restarted. No service may crash, every 5xx must be a 503 with
 * Retry-After, and the studies end with exactly maxTrials complete trials.
 */
// Not in the fast (CI) subset: it needs the PostgreSQL server binaries and the `postgres` OS user, and its
// fast variant still takes about 2.5 minutes here; flip to inProfile("fast") to add it.
describe.runIf(inProfile("full"))("chaos: PostgreSQL restarted and backends terminated", () => {
  const profile = chaosProfile();
  const fast = profile.name === "fast";
  const maxTrials = fast ? 10 : 30;
  const outageMs = fast ? 1_000 : 3_000;
  const terminateRounds = fast ? 8 : 30;
  let postgres: ChaosPostgres;
  let stack: E2eStack;
  beforeAll(async () => {
    postgres = await ChaosPostgres.start();
    stack = await startChaosStack({
      label: "chaos_pg",
      postgresUrl: postgres.url,
      inProcess: true,
      workers: [
        { id: "pg-a", concurrency: 2 },
        { id: "pg-b", concurrency: 2 },
      ],
      env: { HPO_DB_POOL_TIMEOUT_MS: "5000" },
    });
  }, 180_000);
  afterAll(async () => {
    await stack.dispose();
    await postgres.dispose();
  }, 60_000);

  it(`no service crashes, every 5xx is a 503 with Retry-After, ${maxTrials} trials complete per study`, async () => {
    await stack.explain(async () => {
      const history = new History();
      const workerStudy = await stack.createStudy(
        syntheticStudy({
          name: "pg-restart",
          maxTrials,
          parallelism: 4,
          steps: 5,
          stepDelayMs: 100,
          maxRetries: 20,
        }),
      );
      const completeIn = (studyId: string) =>
        stack.db.prisma.trial.count({ where: { studyId, state: "complete" } });
      await waitFor(
        "a third of the trials complete",
        async () => (await completeIn(workerStudy)) >= Math.ceil(maxTrials / 3),
        180_000,
        100,
      );

      // Fault 1: crash PostgreSQL while trials run; read the study through the API the whole time.
      const outage = new StatusTally();
      const crashedAt = Date.now();
      await postgres.crash();
      history.record({ kind: "fault", what: "pg_ctl stop -m immediate" });
      let restarted = false;
      const probing = (async () => {
        while (Date.now() < crashedAt + 120_000) {
          const read = outage.add(
            await callApi(stack.apiUrl, stack.user.token, "GET", `/v1/studies/${workerStudy}`),
          );
          const list = outage.add(
            await callApi(stack.apiUrl, stack.user.token, "GET", `/v1/studies/${workerStudy}/trials?limit=5`),
          );
          if (restarted && read.status === 200 && list.status === 200) return Date.now();
          await sleep(100);
        }
        throw new Error(`the API did not serve again: ${JSON.stringify(outage.summary())}`);
      })();
      await sleep(outageMs);
      await postgres.restart();
      const restartedAt = Date.now();
      restarted = true;
      history.record({ kind: "fault", what: "pg_ctl start" });
      const servingAgainAt = await probing;
      const firstAfter = await waitFor(
        "a trial to complete after the crash",
        () =>
          stack.db.prisma.trial
            .findFirst({
              where: { studyId: workerStudy, state: "complete", finishedAt: { gt: new Date(crashedAt) } },
              orderBy: { finishedAt: "asc" },
            })
            .then((trial) => trial ?? undefined),
        120_000,
        100,
      );

      // Fault 2: terminate the API's backends, round after round, while two external clients ask and tell.
      const askStudy = await stack.createStudy(externalStudy("pg-terminate", maxTrials, 8));
      const clients = new StatusTally();
      let terminated = 0;
      let rounds = 0;
      let clientsDone = false;
      // A round each second: the backends running a statement (or inside a transaction) when there are
      // some, so asks and tells lose their connection mid-request; else every idle one of the pool.
      const terminating = (async () => {
        while (!clientsDone && rounds < terminateRounds) {
          const rows = await postgres.query<{ terminated: boolean }>(
            `WITH api AS (
               SELECT pid, state <> 'idle' AS busy FROM pg_stat_activity
               WHERE datname = $1 AND application_name = $2
             )
             SELECT pg_terminate_backend(pid) AS terminated FROM api
             WHERE busy OR NOT EXISTS (SELECT 1 FROM api WHERE busy)`,
            [stack.db.name, apiApplicationName],
          );
          rounds++;
          terminated += rows.filter((row) => row.terminated).length;
          await sleep(1_000);
        }
      })();
      const terminateStartedAt = Date.now();
      try {
        await Promise.all(
          [0, 1].map(() => runAskTellClient(stack, askStudy, maxTrials, clients, history, 240_000)),
        );
      } finally {
        clientsDone = true;
        await terminating;
      }
      const terminatePhaseMs = Date.now() - terminateStartedAt;
      history.record({ kind: "fault", what: "pg_terminate_backend rounds", detail: { rounds, terminated } });

      await stack.waitForStudyState(workerStudy, ["completed"], 240_000);
      await stack.waitForStudyState(askStudy, ["completed"], 60_000);
      // Nothing is restarted here, so every service process must still be the one started first.
      const crashes = stack.services
        .filter((service) => service.child.exitCode !== null || service.child.signalCode !== null)
        .map((service) => `${service.name}: ${service.child.exitCode ?? service.child.signalCode ?? "?"}`);
      const retried = await stack.db.prisma.trial.count({
        where: { studyId: { in: [workerStudy, askStudy] }, state: "abandoned" },
      });
      const apiLog = stack.services.find((service) => service.name === "api")?.output() ?? "";
      const api500s = apiLog.split("\n").filter((line) => line.includes('"msg":"request failed"')).length;
      await settleAndCheck(
        stack,
        [workerStudy, askStudy],
        history,
        {
          id: "05-postgres-restart",
          title: "5. PostgreSQL stopped (-m immediate) and restarted, API backends terminated",
          figures: {
            "trials per study (workers; ask/tell)": maxTrials,
            "PostgreSQL down (s)": seconds(restartedAt - crashedAt),
            "crash to API serving reads again (s)": seconds(servingAgainAt - crashedAt),
            "crash to next trial complete (s)": seconds((firstAfter.finishedAt?.getTime() ?? 0) - crashedAt),
            "requests during the outage": outage.answers.length,
            "outage requests answered 503 with Retry-After": outage.count(
              (a) => a.status === 503 && a.retryAfter !== null,
            ),
            "outage requests answered another 5xx or not at all": outage.badServerErrors,
            "API backends terminated (rounds)": `${terminated} (${rounds})`,
            "ask/tell requests while terminating": clients.answers.length,
            "ask/tell answered 503 with Retry-After": clients.count(
              (a) => a.status === 503 && a.retryAfter !== null,
            ),
            "ask/tell answered another 5xx or not at all": clients.badServerErrors,
            "terminate phase (s)": seconds(terminatePhaseMs),
            "API 500 answers (any client, from its log)": api500s,
            "service processes crashed": crashes.length,
            "attempts abandoned and retried (result not told in time)": retried,
          },
        },
        { expectedComplete: maxTrials },
      );
      expect(crashes, JSON.stringify(crashes)).toEqual([]);
      expect(outage.badServerErrors, JSON.stringify(outage.summary())).toBe(0);
      expect(clients.badServerErrors, JSON.stringify(clients.summary())).toBe(0);
      expect(api500s).toBe(0);
    });
  });
});
