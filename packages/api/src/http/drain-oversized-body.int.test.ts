import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness, type TenantKeys } from "../testing/api-harness.js";
import { maxBodyBytes } from "./json-body.js";
import { maxDrainedBodyBytes } from "./drain-oversized-body.js";

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

/** A POST /v1/studies announcing `size` bytes of JSON; the caller writes the body. */
function announcePost(
  size: number,
  authorization: string | undefined,
  onResponse: (res: IncomingMessage) => void,
): ClientRequest {
  return httpRequest(
    {
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/v1/studies",
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        "content-type": "application/json",
        "content-length": String(size),
      },
    },
    onResponse,
  );
}

/** POSTs `size` bytes in 64 KiB chunks with a pause after the first, the way a slow uploader would. */
function postSlowly(size: number, authorization: string | undefined = `Bearer ${a.user}`): Promise<Outcome> {
  return new Promise((resolve) => {
    let written = false;
    const outcome: Outcome = { status: undefined, body: "", answeredEarly: false, socketError: undefined };
    const req = announcePost(size, authorization, (res) => {
      outcome.status = res.statusCode;
      outcome.answeredEarly = !written;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (outcome.body += chunk));
      res.on("end", () => resolve(outcome));
    });
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

  it("are drained before the key is checked: an unknown or missing key still gets the 413 after the body", async () => {
    for (const authorization of ["Bearer not-a-key", undefined]) {
      const outcome = await postSlowly(2 * maxBodyBytes, authorization);
      expect(outcome.socketError).toBeUndefined();
      expect(outcome.answeredEarly).toBe(false);
      expect(outcome.status).toBe(413);
      const body = JSON.parse(outcome.body) as { error: { code: string } };
      expect(body.error.code).toBe("payload_too_large");
    }
  });

  it("past the drained size get the 413 at once, with the connection closed", async () => {
    const answer = await new Promise<{ status: number | undefined; connection: string | undefined }>(
      (resolve, reject) => {
        const req = announcePost(maxDrainedBodyBytes + 1, undefined, (res) => {
          res.resume();
          resolve({ status: res.statusCode, connection: res.headers.connection });
          req.destroy();
        });
        req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
        req.write(Buffer.alloc(1024, 0x20));
      },
    );
    expect(answer).toEqual({ status: 413, connection: "close" });
  });
});
