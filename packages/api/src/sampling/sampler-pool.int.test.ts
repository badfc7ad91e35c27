import { sampleInline, type SampleCall } from "@hpo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";
import { createSamplerPool } from "./sampler-pool.js";

function tpeCall(trials: number): SampleCall {
  return {
    sampler: { type: "tpe" },
    request: {
      space: [
        { name: "x", type: "float", low: -5, high: 5 },
        { name: "y", type: "float", low: 0, high: 1 },
      ],
      direction: "minimize",
      trials: Array.from({ length: trials }, (_, number) => ({
        number,
        params: { x: ((number * 7) % 10) - 5, y: ((number * 3) % 10) / 10 },
        state: "complete" as const,
        value: (number * 13) % 17,
        reports: [],
      })),
      count: 1,
      seed: 5,
      firstNumber: trials,
      state: null,
    },
  };
}

describe("sampler pool (worker threads)", () => {
  it("proposes in a thread exactly what the event loop would (samplers are pure)", async () => {
    const pool = createSamplerPool({ threads: 1, maxQueue: 8 });
    try {
      const call = tpeCall(40);
      expect(await pool.sample(call)).toEqual(await sampleInline(call));
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("refuses at once with `unavailable` when its queue is full, and serves the rest", async () => {
    const pool = createSamplerPool({ threads: 1, maxQueue: 1 });
    try {
      const settled = await Promise.allSettled(Array.from({ length: 6 }, () => pool.sample(tpeCall(60))));
      const refused = settled.filter((result) => result.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      for (const result of refused) expect(result.reason).toMatchObject({ code: "unavailable", status: 503 });
      expect(settled.some((result) => result.status === "fulfilled")).toBe(true);
    } finally {
      await pool.close();
    }
  }, 30_000);
});

describe("POST /v1/studies/:id/ask with a saturated sampler", () => {
  let h: ApiHarness;
  let keys: TenantKeys;
  beforeAll(async () => {
    // No room to queue: every model-based ask is refused; random draws never need a thread.
    h = await startApiHarness("api_sampler_pool", { samplers: { threads: 1, maxQueue: 0 } });
    keys = await h.createTenant("pool");
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers 503 with Retry-After for a TPE ask, and still serves a random ask", async () => {
    const tpe = await h.request<{ id: string }>("POST", "/v1/studies", {
      token: keys.user,
      body: exampleDefinition("tpe", { sampler: { type: "tpe" } }),
    });
    const refused = await h.request<{ error: { code: string } }>("POST", `/v1/studies/${tpe.body.id}/ask`, {
      token: keys.user,
      body: {},
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("unavailable");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    const trials = await h.prisma.trial.count({ where: { studyId: tpe.body.id } });
    expect(trials).toBe(0);

    const random = await h.request<{ id: string }>("POST", "/v1/studies", {
      token: keys.user,
      body: exampleDefinition("random"),
    });
    const served = await h.request("POST", `/v1/studies/${random.body.id}/ask`, {
      token: keys.user,
      body: {},
    });
    expect(served.status).toBe(200);
  }, 30_000);
});
