import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";

let h: ApiHarness;
let tenant: TenantKeys;
let baseUrl = "";
beforeAll(async () => {
  h = await startApiHarness("api_events");
  tenant = await h.createTenant("events");
  baseUrl = await h.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await h.close();
});

/** Reads SSE frames from a live stream until `enough` says stop (or the timeout passes). */
async function readEvents(
  response: Response,
  enough: (events: { event: string; data: Record<string, unknown> }[]) => boolean,
): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const body = response.body;
  if (!body) throw new Error("no body");
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = "";
  const deadline = Date.now() + 10_000;
  while (!enough(events) && Date.now() < deadline) {
    const chunk = await reader.read();
    if (chunk.done) break;
    const value = chunk.value;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

describe("GET /v1/studies/:id/events", () => {
  it("streams trial changes and reports of that study only, as server-sent events", async () => {
    const headers = { authorization: `Bearer ${tenant.user}`, "content-type": "application/json" };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const study = await post("/v1/studies", exampleDefinition("ev"));
    const other = await post("/v1/studies", exampleDefinition("ev-other"));
    const studyId = String(study["id"]);

    const stream = await fetch(`${baseUrl}/v1/studies/${studyId}/events`, { headers });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");

    await post(`/v1/studies/${String(other["id"])}/ask`, {});
    const asked = await post(`/v1/studies/${studyId}/ask`, {});
    const lease = String(asked["leaseToken"]);
    await post(`/v1/trials/${String(asked["id"])}/report`, { leaseToken: lease, step: 1, value: 0.4 });
    await post(`/v1/trials/${String(asked["id"])}/tell`, {
      leaseToken: lease,
      state: "complete",
      value: 0.3,
    });

    const events = await readEvents(stream, (seen) =>
      seen.some((event) => event.data["state"] === "complete"),
    );
    expect(events.map((event) => event.event)).toEqual(["trial.created", "trial.reported", "trial.updated"]);
    expect(events.every((event) => event.data["studyId"] === studyId)).toBe(true);
    expect(events[1]?.data).toMatchObject({ step: 1, value: 0.4, trialId: asked["id"] });
    expect(events[2]?.data).toMatchObject({ state: "complete", value: 0.3 });
  });

  it("lets the app close while a stream is open (graceful shutdown does not hang on SSE)", async () => {
    const local = await startApiHarness("api_events_close");
    try {
      const url = await local.app.listen({ port: 0, host: "127.0.0.1" });
      const created = await local.request<{ id: string }>("POST", "/v1/studies", {
        body: exampleDefinition("close"),
      });
      const stream = await fetch(`${url}/v1/studies/${created.body.id}/events`, {
        headers: { authorization: `Bearer ${local.adminToken}` },
      });
      expect(stream.status).toBe(200);
      const started = Date.now();
      await local.app.close();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await local.redis.quit();
      await local.db.dispose();
    }
  });
});
