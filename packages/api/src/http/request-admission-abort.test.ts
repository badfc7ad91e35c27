import { request as httpRequest } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { installRequestAdmission, type AdmissionGate } from "./request-admission.js";

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The gate over real HTTP: a client that goes away while its request waits for admission (a worker
 * killed with SIGKILL while the API is saturated) must not keep the slot it is handed later. Found by
 * the soak (tests/chaos/soak.chaos.test.ts): with every slot leaked this way, each request of every
 * worker waited maxWaitMs and got 503 until the API was restarted.
 */
describe("installRequestAdmission with clients that disconnect", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it("gives the slot back when the request's client disconnected while it waited", async () => {
    app = Fastify();
    const gate: AdmissionGate = installRequestAdmission(app, { maxInFlight: 1, maxWaitMs: 2_000 });
    let releaseHeld = () => {};
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    let quickHandled = 0;
    app.get("/held", async () => {
      await held;
      return { ok: true };
    });
    app.get("/quick", () => {
      quickHandled++;
      return { ok: true };
    });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });

    // A takes the only slot; B queues behind it, then its client disconnects.
    const first = fetch(`${address}/held`);
    await until("the first request to be admitted", () => gate.active === 1);
    const abandoned = httpRequest(`${address}/quick`);
    abandoned.on("error", () => undefined);
    abandoned.end();
    await until("the second request to wait", () => gate.waiting === 1);
    abandoned.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // A ends: its slot goes to B's waiter, whose client is gone. B must give it back.
    releaseHeld();
    expect((await first).status).toBe(200);
    await until("every slot to be free", () => gate.active === 0 && gate.waiting === 0);
    const third = await fetch(`${address}/quick`);
    expect(third.status).toBe(200);
    // The abandoned request never reached its handler: nobody was there to read the answer.
    expect(quickHandled).toBe(1);
  });

  it("gives the slot back when the client disconnects while the handler runs", async () => {
    app = Fastify();
    const gate: AdmissionGate = installRequestAdmission(app, { maxInFlight: 1, maxWaitMs: 2_000 });
    let releaseHeld = () => {};
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    app.get("/held", async () => {
      await held;
      return { ok: true };
    });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const abandoned = httpRequest(`${address}/held`);
    abandoned.on("error", () => undefined);
    abandoned.end();
    await until("the request to be admitted", () => gate.active === 1);
    abandoned.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseHeld();
    await until("the slot to be free", () => gate.active === 0);
  });
});
