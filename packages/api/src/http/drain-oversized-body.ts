import { finished } from "node:stream/promises";
import { errorCodes, type FastifyInstance } from "fastify";
import { maxBodyBytes } from "./json-body.js";

/** Oversized bodies up to this size are read (and discarded) before the 413; larger ones are not drained. */
export const maxDrainedBodyBytes = 16 * 1024 * 1024;
/** A client that trickles its oversized body gets its 413 after this long, drained or not. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * "Lingering close" for bodies over the 1 MiB limit. Answered before reading the body, such a request leaves
 * the client mid-write: with `Connection: close` (fastify's own 413) Node ends the socket and the client gets
 * EPIPE or ECONNRESET instead of the answer and its JSON path (seen in CI: tests/chaos/api-abuse.chaos.test.ts
 * sending 2 MiB with Node's fetch); with keep-alive (a 401 from authentication, which runs before the body is
 * parsed) Node stops reading the unread body, the client can never finish writing, and the connection hangs
 * until the server's timeouts. RFC 9112 §9.6 asks a server that closes after an error response to keep reading
 * what the client sends first. So the announced body is read and discarded as the request arrives, in an
 * onRequest hook registered before authentication (the size is judged before the key), and the 413 goes to a
 * client that has finished writing, on a connection that stays usable. Bounded: only bodies that announce up
 * to maxDrainedBodyBytes, and for at most DRAIN_TIMEOUT_MS; otherwise the 413 comes at once with
 * `Connection: close`. Chunked bodies without a length still meet fastify's body limit (413) when parsed.
 */
export function installOversizedBodyDrain(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    const announced = Number(request.headers["content-length"]);
    if (!(announced > maxBodyBytes)) return;
    let drained = false;
    if (announced <= maxDrainedBodyBytes) {
      request.raw.resume();
      drained = await finished(request.raw, { signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS) }).then(
        () => true,
        () => false,
      );
    }
    if (!drained) reply.header("connection", "close");
    throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  });
}
