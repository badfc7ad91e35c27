import { request as httpRequest } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness, type TenantKeys } from "../testing/api-harness.js";
import { maxBodyBytes } from "./json-body.js";

let h: ApiHarness;
let a: TenantKeys;
let port = 0;
beforeAll(async () => {
  h = await startApiHarness("api_drain");
  a = await h.createTenant("drain-a");
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await h.close();
});

interface Outcome {
  status: number | undefined;
  body: string;
  /** The response's headers arrived before the client had written its whole body. */
  answeredEarly: boolean;
  socketError: string | undefined;
}

/** POSTs `size` bytes in 64 KiB chunks with a pause after the first, the way a slow uploader would. */
function postSlowly(size: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let written = false;
    const outcome: Outcome = { status: undefined, body: "", answeredEarly: false, socketError: undefined };
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/v1/studies",
        headers: {
          authorization: `Bearer ${a.user}`,
          "content-type": "application/json",
          "content-length": String(size),
        },
      },
      (res) => {
        outcome.status = res.statusCode;
        outcome.answeredEarly = !written;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (outcome.body += chunk));
        res.on("end", () => resolve(outcome));
      },
    );
    req.on("error", (error) => {
      outcome.socketError = error.message;
      resolve(outcome);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    req.write(chunk);
    setTimeout(() => {
      let sent = chunk.length;
      const writeRest = (): void => {
        while (sent < size) {
          const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
          sent += piece.length;
          if (!req.write(piece)) {
            req.once("drain", writeRest);
            return;
          }
        }
        written = true;
        req.end();
      };
      writeRest();
    }, 300);
  });
}

describe("bodies over the 1 MiB limit", () => {
  it("are read to the end before the 413, so a client still writing gets the answer, not a reset", async () => {
    const outcome = await postSlowly(2 * maxBodyBytes);
    expect(outcome.socketError).toBeUndefined();
    expect(outcome.answeredEarly).toBe(false);
    expect(outcome.status).toBe(413);
    const body = JSON.parse(outcome.body) as { error: { code: string; details: { issues: unknown[] } } };
    expect(body.error.code).toBe("payload_too_large");
    expect(body.error.details.issues).toHaveLength(1);
  });

  it("refused by the key before the body is read: the server still reads it and the connection serves the next request", async () => {
    // A raw socket, not node:http's client: that client stops writing once a response has ended, which
    // would test the client, not the server.
    const size = 2 * maxBodyBytes;
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (data: string) => (received += data));
    socket.write(
      `POST /v1/studies HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer not-a-key\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    for (let sent = 0; sent < size; sent += chunk.length) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve));
    }
    socket.write("GET /healthz HTTP/1.1\r\nHost: api\r\n\r\n");
    const deadline = Date.now() + 10_000;
    while ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 401", "HTTP/1.1 200"]);
  });
});
