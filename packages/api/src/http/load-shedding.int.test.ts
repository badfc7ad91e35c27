import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness, type TenantKeys } from "../testing/api-harness.js";

interface ErrorReply {
  error: { code: string; message: string; details: { measure?: string } | null };
}

/** Keeps the event loop busy for `ms`: what a flood of requests does to a real API. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

/** Lets the load sampler run (it measures once per interval, on a timer). */
function nextSample(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let h: ApiHarness;
let keys: TenantKeys;
// A bound well above what a loaded 2-core test machine shows, far below the block below.
const sampleIntervalMs = 100;
beforeAll(async () => {
  h = await startApiHarness("api_load_shedding", {
    loadShedding: {
      maxEventLoopDelayMs: 200,
      maxEventLoopUtilization: 0,
      retryAfterSeconds: 3,
      sampleIntervalMs,
    },
  });
  keys = await h.createTenant("shedding");
});
afterAll(async () => {
  await h.close();
});

describe("load shedding", () => {
  it("answers 503 overloaded with Retry-After while the event loop lags; health routes still answer", async () => {
    // The sampler's timer is due during the block, so it fires right after it and sees the lag.
    await nextSample(sampleIntervalMs / 2);
    blockEventLoop(sampleIntervalMs * 25);
    // Expired timers run in the order they were due: the sampler's first, then this one.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const [shed, health, ready] = await Promise.all([
      h.request<ErrorReply>("GET", "/v1/studies", { token: keys.user }),
      h.request("GET", "/healthz", { token: null }),
      h.request("GET", "/readyz", { token: null }),
    ]);
    expect(shed.status).toBe(503);
    expect(shed.body.error.code).toBe("overloaded");
    expect(shed.body.error.details?.measure).toBe("eventLoopDelay");
    expect(shed.headers["retry-after"]).toBe("3");
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  it("serves requests again once the lag is gone", async () => {
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      await nextSample(sampleIntervalMs);
      status = (await h.request("GET", "/v1/studies", { token: keys.user })).status;
    }
    expect(status).toBe(200);
  });
});
