/**
 * The price of the routes' row-level security (auth/project-database.ts): median and p90 latency of a few
 * user reads through the real stack (fastify inject, Prisma, Postgres), one client, after a warm-up.
 *
 * Given a second copy of the API's sources (an earlier commit's), it runs both side by side, each on its
 * own database, in alternating blocks of requests, so that a busy machine slows both alike. BASE is a
 * scratch folder inside the repository (so that its imports resolve; delete it afterwards):
 *   mkdir -p BASE && git archive <commit> packages/api/src | tar -x -C BASE --strip-components=2
 *   npx tsx --conditions=source packages/api/bench/scoped-read-bench.ts 300 50 BASE/src/testing/index.ts
 * Arguments: requests per route and variant (300), completed trials in the study (50; over 500 they are
 * inserted with SQL), the base's harness.
 */
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import * as current from "@hpo/api/testing";

const requests = Number(process.argv[2] ?? 300);
const trials = Number(process.argv[3] ?? 50);
const basePath = process.argv[4];
const block = Math.max(1, Math.min(25, Math.floor(requests / 4)));

type Testing = Pick<typeof current, "startApiHarness" | "exampleDefinition">;
type Harness = Awaited<ReturnType<Testing["startApiHarness"]>>;

interface Variant {
  name: string;
  h: Harness;
  token: string;
  studyId: string;
  latencies: Map<string, number[]>;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function prepare(name: string, testing: Testing): Promise<Variant> {
  const h = await testing.startApiHarness("bench_scoped_read");
  const tenant = await h.createTenant("bench");
  const created = await h.request<{ id: string }>("POST", "/v1/studies", {
    token: tenant.user,
    body: testing.exampleDefinition("bench-read", { budget: { maxTrials: trials, parallelism: 1 } }),
  });
  const studyId = created.body.id;
  if (trials > 500) {
    // A big study is written straight into Postgres: asking and telling 100,000 trials takes minutes.
    await h.prisma.$executeRaw`
      INSERT INTO "Trial" ("id", "studyId", "number", "params", "origin", "state", "value", "startedAt", "finishedAt", "updatedAt")
      SELECT gen_random_uuid(), ${studyId}::uuid, g, jsonb_build_object('x', random() * 10 - 5, 'opt', 'adam'),
             'sampler', 'complete', random(), now(), now(), now()
      FROM generate_series(0, ${trials - 1}) AS g`;
    await h.prisma.$executeRaw`ANALYZE "Trial"`;
  }
  for (let i = 0; i < (trials > 500 ? 0 : trials); i++) {
    const asked = await h.request<{ id: string; leaseToken: string }>("POST", `/v1/studies/${studyId}/ask`, {
      token: tenant.user,
      body: {},
    });
    await h.request("POST", `/v1/trials/${asked.body.id}/tell`, {
      token: tenant.user,
      body: { leaseToken: asked.body.leaseToken, state: "complete", value: i % 7 },
    });
  }
  return { name, h, token: tenant.user, studyId, latencies: new Map() };
}

async function measure(variant: Variant, route: string, count: number, keep: boolean): Promise<void> {
  const url = route.replace(":id", variant.studyId);
  const latencies = variant.latencies.get(route) ?? [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const reply = await variant.h.request("GET", url, { token: variant.token });
    if (keep) latencies.push(performance.now() - t0);
    if (reply.status !== 200) throw new Error(`${variant.name} ${url}: ${reply.status} ${reply.text}`);
  }
  variant.latencies.set(route, latencies);
}

async function main(): Promise<void> {
  const variants = [await prepare("this tree", current)];
  if (basePath) {
    const base = (await import(pathToFileURL(resolve(basePath)).href)) as Testing;
    variants.push(await prepare("base", base));
  }
  const routes = [
    "/v1/studies/:id",
    "/v1/studies/:id/trials?limit=50",
    "/v1/studies/:id/pareto",
    "/v1/studies/:id/summary",
  ];
  try {
    for (const route of routes) {
      for (const variant of variants) await measure(variant, route, Math.min(50, requests), false);
      for (let done = 0; done < requests; done += block) {
        for (const variant of variants) await measure(variant, route, Math.min(block, requests - done), true);
      }
    }
    const lines = [`${requests} sequential requests per route and variant, ${trials} completed trials`];
    for (const route of routes) {
      for (const variant of variants) {
        const sorted = [...(variant.latencies.get(route) ?? [])].sort((x, y) => x - y);
        lines.push(
          `${route.padEnd(32)} ${variant.name.padEnd(9)} median ${percentile(sorted, 50).toFixed(2)} ms  p90 ${percentile(sorted, 90).toFixed(2)} ms`,
        );
      }
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    for (const variant of variants) await variant.h.close();
  }
}

await main();
