/**
 * Measures the API's ask → report → tell cycle through the real stack (fastify inject, Prisma, Postgres,
 * Redis events), one client and eight concurrent clients, for the random and TPE samplers.
 * Run: npx tsx --conditions=source packages/api/bench/ask-tell-bench.ts [cycles]
 */
import { performance } from "node:perf_hooks";
import { startApiHarness } from "@hpo/api/testing";

const cycles = Number(process.argv[2] ?? 120);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const h = await startApiHarness("bench_asktell");
  try {
    for (const sampler of ["random", "tpe"]) {
      for (const clients of [1, 8]) {
        const created = await h.request<{ id: string }>("POST", "/v1/studies", {
          body: {
            name: `bench-${sampler}-${clients}`,
            objective: { metric: "loss", direction: "minimize" },
            space: [
              { name: "x", type: "float", low: -5, high: 5 },
              { name: "y", type: "float", low: 1e-4, high: 1, log: true },
              { name: "opt", type: "categorical", choices: ["sgd", "adam", "rmsprop"] },
            ],
            sampler: { type: sampler },
            budget: { maxTrials: cycles, parallelism: clients },
            seed: 3,
          },
        });
        const studyId = created.body.id;
        const latencies: number[] = [];
        let remaining = cycles;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: clients }, async () => {
            while (remaining > 0) {
              remaining -= 1;
              const t0 = performance.now();
              const asked = await h.request<{
                id: string;
                leaseToken: string;
                params: { x: number; y: number };
              }>("POST", `/v1/studies/${studyId}/ask`, { body: {} });
              if (asked.status !== 200) throw new Error(`ask: ${asked.status} ${asked.text}`);
              const { id, leaseToken, params } = asked.body;
              const loss = (params.x - 1) ** 2 + Math.log10(params.y) ** 2;
              await h.request("POST", `/v1/trials/${id}/report`, {
                body: { leaseToken, step: 1, value: loss * 2 },
              });
              const told = await h.request("POST", `/v1/trials/${id}/tell`, {
                body: { leaseToken, state: "complete", value: loss },
              });
              if (told.status !== 200) throw new Error(`tell: ${told.status} ${told.text}`);
              latencies.push(performance.now() - t0);
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        console.log(
          `${sampler.padEnd(6)} clients=${clients}  ${cycles} cycles in ${seconds.toFixed(2)} s = ` +
            `${(cycles / seconds).toFixed(1)} trials/s;  cycle latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
            `p95 ${percentile(latencies, 95).toFixed(1)} ms`,
        );
      }
    }
  } finally {
    await h.close();
  }
}

await main();
