import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_TIMINGS, RestClient, type E2eStack } from "../e2e/support/e2e-stack.js";
import {
  freePort,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
} from "../e2e/support/service-process.js";
import { quantile, recordFigures, seconds } from "./support/figures.js";
import { chaosProfile } from "./support/profile.js";
import { startChaosStack } from "./support/scenario.js";

/**
 * Scenario 11: rate limiting and load shedding, end to end. A burst over one key's per-minute budget gets
 * 429 with Retry-After while another key is served; a flood that saturates the API's event loop gets
 * 503 `overloaded` with Retry-After while `/healthz` keeps answering, and the API serves again after it.
 */
const profile = chaosProfile();
const limitPerMinute = profile.name === "fast" ? 30 : 120;
const burstOver = profile.name === "fast" ? 20 : 80;
const floodMs = profile.name === "fast" ? 6_000 : 20_000;
const floodClients = 16;
/** The scenario sheds on event-loop utilization: on a shared 2-core machine it is the steadier signal. */
const maxUtilization = 0.9;

interface Answer {
  status: number;
  code: string | null;
  retryAfter: string | null;
  ms: number;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    // not JSON
  }
  return {
    status: response.status,
    code,
    retryAfter: response.headers.get("retry-after"),
    ms: Date.now() - started,
  };
}

/** A study definition of about 200 KB: parsing and validating it is what loads the API's event loop. */
function heavyBody(): string {
  return JSON.stringify({
    name: "heavy",
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "c", type: "categorical", choices: Array.from({ length: 30_000 }, (_, i) => i) }],
    sampler: { type: "random" },
    budget: { maxTrials: 10, parallelism: 1 },
    trainer: { type: "external" },
    extra: true,
  });
}

function countBy(answers: readonly Answer[], key: (answer: Answer) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[key(answer)] = (counts[key(answer)] ?? 0) + 1;
  return counts;
}

let stack: E2eStack;
let limitedUrl = "";
let sheddingUrl = "";
const figures: Record<string, number | string> = {};

/**
 * Another API process on the stack's database, with its own Redis prefix (its rate-limit counters start
 * at zero) and settings; the stack's own API keeps neither a small limit nor shedding.
 */
async function startExtraApi(name: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api: ServiceProcess = startServiceProcess(name, "services/api/src/main.ts", {
    ...FAST_TIMINGS,
    ...profile.env,
    DATABASE_URL: stack.db.url,
    REDIS_URL: stack.redisUrl,
    HPO_QUEUE_PREFIX: stack.prefix,
    HPO_REDIS_PREFIX: `${stack.prefix}-${name.replace(/\W+/g, "-")}`,
    HPO_ADMIN_TOKEN: stack.adminToken,
    PORT: String(port),
    LOG_LEVEL: "warn",
    ...env,
  });
  stack.services.push(api);
  // Served, not only ready: a starting API is busy (its utilization is high) for its first moments.
  await waitFor(
    name,
    async () =>
      (await fetch(`${url}/v1/studies`, { headers: { authorization: `Bearer ${stack.user.token}` } })).ok,
    60_000,
    200,
  );
  return url;
}

beforeAll(async () => {
  stack = await startChaosStack({ label: "chaos_limits", workers: [] });
  limitedUrl = await startExtraApi("api rate-limited", {
    HPO_RATE_LIMIT_PER_MINUTE: String(limitPerMinute),
  });
  sheddingUrl = await startExtraApi("api shedding", {
    HPO_SHED_EVENT_LOOP_UTILIZATION: String(maxUtilization),
  });
});
afterAll(async () => {
  await stack.dispose();
  recordFigures({
    id: "11-rate-limit-shedding",
    title: "11. Rate limiting and load shedding",
    figures,
    violations: null,
    invariants: [
      "a burst over a key's per-minute budget gets exactly the budget served, the rest 429 rate_limited with Retry-After",
      "another key is served during the burst, and /healthz is never limited",
      "a flood that saturates the API's event loop gets 503 overloaded with Retry-After, never another 5xx",
      "/healthz answers 200 throughout the flood; the API serves again once it ends",
    ],
  });
}, 60_000);

describe("chaos: rate limiting (scenario 11)", () => {
  it(`serves ${limitPerMinute} of a burst of ${limitPerMinute + burstOver} on one key, 429 + Retry-After for the rest`, async () => {
    await stack.explain(async () => {
      const admin = new RestClient(stack.apiUrl, stack.adminToken);
      const projects = await admin.ok<{ items: { id: string }[] }>("GET", "/v1/projects");
      const projectId = projects.items[0]?.id ?? "";
      const [keyA, keyB] = await Promise.all(
        [0, 1].map(() =>
          admin
            .ok<{ key: string }>("POST", `/v1/projects/${projectId}/keys`, { role: "user" })
            .then((k) => k.key),
        ),
      );
      const get = (token: string | undefined, path: string) =>
        send(
          `${limitedUrl}${path}`,
          token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
        );
      const burst = await Promise.all(
        Array.from({ length: limitPerMinute + burstOver }, () => get(keyA, "/v1/studies")),
      );
      const [otherKey, health] = await Promise.all([get(keyB, "/v1/studies"), get(undefined, "/healthz")]);
      const refused = burst.filter((answer) => answer.status === 429);
      const retryAfters = refused.map((answer) => Number(answer.retryAfter));
      Object.assign(figures, {
        "rate limit (per key per minute)": limitPerMinute,
        "burst requests on one key": burst.length,
        "burst answers": JSON.stringify(countBy(burst, (answer) => String(answer.status))),
        "429 with Retry-After": refused.filter((answer) => answer.retryAfter !== null).length,
        "Retry-After given (s, max)": Math.max(...retryAfters),
        "other key during the burst": otherKey.status,
        "/healthz during the burst": health.status,
      });
      expect(burst.filter((answer) => answer.status === 200)).toHaveLength(limitPerMinute);
      expect(refused).toHaveLength(burstOver);
      for (const answer of refused) {
        expect(answer.code).toBe("rate_limited");
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
        expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
      }
      expect(otherKey.status).toBe(200);
      expect(health.status).toBe(200);
    });
  });
});

describe("chaos: load shedding (scenario 11)", () => {
  it("answers 503 overloaded with Retry-After under a flood while /healthz answers, then serves again", async () => {
    await stack.explain(async () => {
      const body = heavyBody();
      const headers = { authorization: `Bearer ${stack.user.token}`, "content-type": "application/json" };
      const flood: Answer[] = [];
      const health: Answer[] = [];
      const floodEnds = Date.now() + floodMs;
      const client = async () => {
        while (Date.now() < floodEnds) {
          flood.push(await send(`${sheddingUrl}/v1/studies`, { method: "POST", headers, body }));
        }
      };
      const prober = async () => {
        while (Date.now() < floodEnds) {
          health.push(await send(`${sheddingUrl}/healthz`));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      const started = Date.now();
      await Promise.all([...Array.from({ length: floodClients }, client), prober()]);
      const floodEnded = Date.now();
      // A client that honours Retry-After is served once the flood is over.
      const served = await waitFor(
        "the API to serve again after the flood",
        async () => {
          const answer = await send(`${sheddingUrl}/v1/studies`, { headers });
          if (answer.status === 503)
            await new Promise((r) => setTimeout(r, Number(answer.retryAfter) * 1000));
          return answer.status === 200 ? answer : undefined;
        },
        60_000,
        100,
      );
      const shed = flood.filter((answer) => answer.status === 503);
      const otherServerErrors = flood.filter((answer) => answer.status >= 500 && answer.status !== 503);
      const healthMs = health.map((answer) => answer.ms);
      Object.assign(figures, {
        "shedding bound (event-loop utilization)": maxUtilization,
        "flood (s, concurrent clients)": `${seconds(floodEnded - started)}, ${floodClients}`,
        "flood requests (200 KB bodies)": flood.length,
        "flood answers": JSON.stringify(
          countBy(flood, (answer) => `${answer.status} ${answer.code ?? ""}`.trim()),
        ),
        "503 overloaded with Retry-After": shed.filter(
          (a) => a.code === "overloaded" && a.retryAfter !== null,
        ).length,
        "shed answer p50 / p95 (ms)": `${quantile(
          shed.map((a) => a.ms),
          0.5,
        )} / ${quantile(
          shed.map((a) => a.ms),
          0.95,
        )}`,
        "/healthz probes during the flood": health.length,
        "/healthz answered 200": health.filter((answer) => answer.status === 200).length,
        "/healthz p95 / max (ms)": `${quantile(healthMs, 0.95)} / ${Math.max(...healthMs)}`,
        "flood end to served again (s)": seconds(Date.now() - floodEnded),
      });
      expect(shed.length).toBeGreaterThan(0);
      for (const answer of shed) {
        expect(answer.code).toBe("overloaded");
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      }
      expect(otherServerErrors).toEqual([]);
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((answer) => answer.status === 200)).toBe(true);
      expect(served.status).toBe(200);
    });
  });
});
