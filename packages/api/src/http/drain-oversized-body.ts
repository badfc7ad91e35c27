import { finished } from "node:stream/promises";
import type { FastifyInstance } from "fastify";
import { maxBodyBytes } from "./json-body.js";

/** Oversized bodies up to this size are read (and discarded) before the 413; larger ones are not drained. */
export const maxDrainedBodyBytes = 16 * 1024 * 1024;
/** A client that trickles its oversized body gets its 413 after this long, drained or not. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * "Lingering close" for bodies over the 1 MiB limit. fastify answers such a request with 413 as soon as it
 * sees the Content-Length, before reading the body, and sets `Connection: close`; Node then ends the socket
 * while the client is still writing, and a client that is mid-write gets EPIPE or ECONNRESET instead of the
 * 413 and its JSON path (seen in CI: tests/chaos/api-abuse.chaos.test.ts sending 2 MiB with Node's fetch).
 * RFC 9112 §9.6 asks a server that closes after an error response to keep reading what the client sends
 * first, so that the response is not lost to a reset. Here the announced body is read and discarded before
 * the body parser runs, then fastify answers 413 as before, to a client that has finished writing. Bounded:
 * only bodies that announce up to maxDrainedBodyBytes, and for at most DRAIN_TIMEOUT_MS; anything larger still
 * gets the immediate 413 and the close.
 */
export function installOversizedBodyDrain(app: FastifyInstance): void {
  app.addHook("preParsing", async (request, _reply, payload) => {
    const announced = Number(request.headers["content-length"]);
    if (!(announced > maxBodyBytes) || announced > maxDrainedBodyBytes) return payload;
    payload.resume();
    await finished(payload, { signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS) }).catch(() => undefined);
    return payload;
  });
}
