/**
 * The price of the routes' row-level security (auth/project-database.ts): median and p90 latency of a few
 * user reads through the real stack (fastify inject, Prisma, Postgres), one client, after a warm-up.
 * Run it on a commit before and after a change to compare (the machine's load moves both):
 *   npx tsx --conditions=source packages/api/bench/scoped-read-bench.ts [requests] [trials]
 */
import { performance } from "node:perf_hooks";
import { exampleDefinition, startApiHarness } from "@hpo/api/testing";

const requests = Number(process.argv[2] ?? 300);
const trials = Number(process.argv[3] ?? 50);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const h = await startApiHarness("bench_scoped_read");
  try {
    const tenant = await h.createTenant("bench");
    const created = await h.request<{ id: string }>("POST", "/v1/studies", {
      token: tenant.user,
      body: exampleDefinition("bench-read", { budget: { maxTrials: trials, parallelism: 1 } }),
    });
    const studyId = created.body.id;
    for (let i = 0; i < trials; i++) {
      const asked = await h.request<{ id: string; leaseToken: string }>(
        "POST",
        `/v1/studies/${studyId}/ask`,
        { token: tenant.user, body: {} },
      );
      await h.request("POST", `/v1/trials/${asked.body.id}/tell`, {
        token: tenant.user,
        body: { leaseToken: asked.body.leaseToken, state: "complete", value: i % 7 },
      });
    }
    const routes = [
      `/v1/studies/${studyId}`,
      `/v1/studies/${studyId}/trials?limit=50`,
      `/v1/studies/${studyId}/pareto`,
    ];
    const rows: string[] = [];
    for (const url of routes) {
      for (let i = 0; i < 50; i++) await h.request("GET", url, { token: tenant.user });
      const latencies: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const reply = await h.request("GET", url, { token: tenant.user });
        latencies.push(performance.now() - t0);
        if (reply.status !== 200) throw new Error(`${url}: ${reply.status} ${reply.text}`);
      }
      latencies.sort((x, y) => x - y);
      const path = url.replace(studyId, ":id");
      rows.push(
        `${path.padEnd(34)} median ${percentile(latencies, 50).toFixed(2)} ms  p90 ${percentile(latencies, 90).toFixed(2)} ms`,
      );
    }
    process.stdout.write(`${requests} sequential requests each, ${trials} trials\n${rows.join("\n")}\n`);
  } finally {
    await h.close();
  }
}

await main();
