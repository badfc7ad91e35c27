import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkerApiClient } from "./worker-api-client.js";

const trialId = "5f0c6b52-8f7e-4d3b-9a51-2f4c1d9e8a70";
const leaseToken = "0d4f8a2e-6c1b-4e9a-8f3d-7b2c5a1e9d40";

/**
 * An HTTP server that answers the first `failures` requests 503 database_unavailable (with `retryAfter` as
 * its Retry-After header, when given), then 204; it records when each request came.
 */
async function flakyApi(
  failures: number,
  retryAfter?: string,
): Promise<{ server: Server; url: string; calls: () => number; times: number[] }> {
  let calls = 0;
  const times: number[] = [];
  const server = createServer((request, response) => {
    request.resume();
    calls++;
    times.push(Date.now());
    if (calls <= failures) {
      response.writeHead(503, {
        "content-type": "application/json",
        ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
      });
      response.end(
        JSON.stringify({ error: { code: "database_unavailable", message: "down", details: null } }),
      );
      return;
    }
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, calls: () => calls, times };
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

describe("worker API client retries", () => {
  it("keeps telling through a database restart (503s) longer than other writes retry", async () => {
    const api = await flakyApi(6);
    servers.push(api.server);
    const client = createWorkerApiClient({ baseUrl: api.url, token: "hpo_test", retryDelayMs: 1 });
    await client.tell(trialId, { leaseToken, state: "complete", value: 1 });
    expect(api.calls()).toBe(7);
  });

  it("gives up on other writes after `retries`", async () => {
    const api = await flakyApi(6);
    servers.push(api.server);
    const client = createWorkerApiClient({ baseUrl: api.url, token: "hpo_test", retryDelayMs: 1 });
    await expect(client.release(trialId, leaseToken, "test")).rejects.toThrow(/503/);
    expect(api.calls()).toBe(4);
  });

  it("gives up on tell after `finalWriteRetries`", async () => {
    const api = await flakyApi(100);
    servers.push(api.server);
    const client = createWorkerApiClient({
      baseUrl: api.url,
      token: "hpo_test",
      retryDelayMs: 1,
      finalWriteRetries: 2,
    });
    await expect(client.tell(trialId, { leaseToken, state: "complete", value: 1 })).rejects.toThrow(/503/);
    expect(api.calls()).toBe(3);
  });

  it("waits what the API's Retry-After asks before retrying", async () => {
    const api = await flakyApi(1, "1");
    servers.push(api.server);
    const client = createWorkerApiClient({ baseUrl: api.url, token: "hpo_test", retryDelayMs: 1 });
    await client.tell(trialId, { leaseToken, state: "complete", value: 1 });
    const [first, second] = api.times;
    expect(api.calls()).toBe(2);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
  });
});
