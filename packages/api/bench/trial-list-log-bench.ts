/**
 * The trial list page over trials that carry worker logs: median and p90 latency of
 * `GET /v1/studies/:id/trials?limit=50` (fastify inject, one client) on a study of 50 running trials whose
 * logs hold `logKiB` KiB each (a trial keeps up to 1 MiB, packages/db/src/trial-store/append-trial-log.ts).
 * The page's statement selects every column but the log and the lease token
 * (packages/api/src/trials/trial-list-query.ts, listTrialPage); before, it read the rows by id with every
 * column, logs included. Compare against an earlier commit by checking its files out and running again:
 *   npx tsx --conditions=source packages/api/bench/trial-list-log-bench.ts [requests=60] [logKiB=1000]
 */
import { performance } from "node:perf_hooks";
import { exampleDefinition, startApiHarness } from "../src/testing/api-harness.js";

const requests = Number(process.argv[2] ?? 60);
const logKiB = Number(process.argv[3] ?? 1000);
const trials = 50;
/** One log append's text: a body stays under the API's 1 MiB limit. */
const chunkKiB = 200;

const h = await startApiHarness("api_list_log_bench", { rateLimit: false });
try {
  const tenant = await h.createTenant("list-log");
  const study = await h.request<{ id: string }>("POST", "/v1/studies", {
    token: tenant.user,
    body: exampleDefinition("list-log", { budget: { maxTrials: trials, parallelism: trials } }),
  });
  for (let i = 0; i < trials; i++) {
    const asked = await h.request<{ id: string; leaseToken: string }>(
      "POST",
      `/v1/studies/${study.body.id}/ask`,
      { token: tenant.user, body: {} },
    );
    for (let written = 0; written < logKiB; written += chunkKiB) {
      const text = "x".repeat(Math.min(chunkKiB, logKiB - written) * 1024 - 1) + "\n";
      await h.request("POST", `/v1/trials/${asked.body.id}/logs`, {
        token: tenant.user,
        body: { leaseToken: asked.body.leaseToken, text },
      });
    }
  }
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const page = await h.request("GET", `/v1/studies/${study.body.id}/trials?limit=50`, {
      token: tenant.user,
    });
    if (page.status !== 200) throw new Error(`list page answered ${page.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => (times[Math.floor(share * (times.length - 1))] ?? 0).toFixed(1);
  console.log(
    `list page (50 trials, ${logKiB} KiB of log each): median ${at(0.5)} ms, p90 ${at(0.9)} ms over ${requests} requests`,
  );
} finally {
  await h.close();
}
