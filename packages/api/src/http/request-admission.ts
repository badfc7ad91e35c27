import { HpoError } from "@hpo/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { databaseUnavailableCode } from "./database-unavailable.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** false: the route is not counted by the admission gate (long-lived streams such as SSE). */
    admission?: boolean;
  }
}

export interface AdmissionOptions {
  /** Requests allowed in the database stage at once (services/api: the pool size). */
  maxInFlight: number;
  /** How long a request may wait for admission before it is answered 503 with Retry-After. */
  maxWaitMs: number;
}

export type AdmissionPriority = "lease" | "normal";

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

/**
 * A counting semaphore with two FIFO queues and a bounded wait. Why it exists: a request makes several
 * queries one after another, and node-postgres serves pool waiters first come, first served. With
 * hundreds of requests on a small pool each query of a request goes to the back of a long queue, so
 * nearly every request times out at some query and the pool's work is wasted (measured by
 * tests/chaos/pool-exhaustion.chaos.test.ts). Admitting only as many requests as the pool can serve,
 * and refusing the rest early, keeps the admitted ones fast. Workers' lease writes (claim, heartbeat,
 * report, tell) go first: refusing them loses leases and re-runs trials. First, not only: a fleet at the
 * API's capacity keeps the lease queue full, and strict priority then refused every other request (a
 * user's PATCH to stop a study got 503 for a minute under 200 simulated workers,
 * tests/bench/system/run-simulated-fleet.ts), so after LEASE_STREAK_LIMIT lease hand-offs in a row a
 * waiting normal request gets the next slot.
 */
export class AdmissionGate {
  private inFlight = 0;
  /** Slots handed to lease waiters in a row while normal requests waited. */
  private leaseStreak = 0;
  private readonly queues: Record<AdmissionPriority, Waiter[]> = { lease: [], normal: [] };

  constructor(private readonly options: AdmissionOptions) {}

  get active(): number {
    return this.inFlight;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.queues.lease.length + this.queues.normal.length;
  }

  /** Resolves true once admitted (then call release once), false when the wait ran out. */
  acquire(priority: AdmissionPriority): Promise<boolean> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const queue = this.queues[priority];
      const waiter: Waiter = {
        admit: () => resolve(true),
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          resolve(false);
        }, this.options.maxWaitMs),
      };
      queue.push(waiter);
    });
  }

  release(): void {
    const next = this.nextWaiter();
    if (next) {
      // The slot passes straight to the next waiter: inFlight stays the same.
      clearTimeout(next.timer);
      next.admit();
      return;
    }
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Lease writes first, but a normal request waits at most LEASE_STREAK_LIMIT lease hand-offs. */
  private nextWaiter(): Waiter | undefined {
    const { lease, normal } = this.queues;
    if (normal.length > 0 && (lease.length === 0 || this.leaseStreak >= LEASE_STREAK_LIMIT)) {
      this.leaseStreak = 0;
      return normal.shift();
    }
    const next = lease.shift();
    if (next && normal.length > 0) this.leaseStreak++;
    return next;
  }
}

/** While both queues wait, normal requests get at least one hand-off in LEASE_STREAK_LIMIT + 1. */
export const LEASE_STREAK_LIMIT = 4;

/** Routes a worker (or an ask/tell client) uses to keep and finish a lease. */
const leaseRoutes = new Set([
  "/v1/trials/:id/claim",
  "/v1/trials/:id/heartbeat",
  "/v1/trials/:id/report",
  "/v1/trials/:id/tell",
  "/v1/trials/:id/release",
  "/v1/trials/:id/logs",
  "/v1/workers",
]);

/**
 * Puts every request of this scope (before authentication, which queries the database too) through an
 * AdmissionGate; public routes (health, metrics) and those with `config.admission: false` are not counted.
 * A request not admitted in time is answered 503 `database_unavailable` with Retry-After by the error
 * handler.
 *
 * An admitted request gives its slot back when its response closes, however it ends: `close` follows
 * `finish`, and also comes when the client goes away first. Fastify's onResponse runs on `finish` only and
 * onRequestAbort fires once, possibly while the request still waits here; relying on those two leaked the
 * slot of a request whose client disconnected while it waited (a worker killed with SIGKILL while the API
 * was saturated), and with every slot leaked the API answered every request 503 (found by the soak,
 * tests/chaos/soak.chaos.test.ts; request-admission-abort.test.ts).
 */
export function installRequestAdmission(app: FastifyInstance, options: AdmissionOptions): AdmissionGate {
  const gate = new AdmissionGate(options);
  const admitted = new WeakSet<FastifyRequest>();
  const release = (request: FastifyRequest) => {
    if (!admitted.delete(request)) return;
    gate.release();
  };
  app.addHook("onRequest", async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.access === "public" || config.admission === false) return;
    const priority = leaseRoutes.has(request.routeOptions.url ?? "") ? "lease" : "normal";
    if (!(await gate.acquire(priority))) {
      throw new HpoError(databaseUnavailableCode, "The API is at its database capacity; retry later", {
        status: 503,
        retryable: true,
      });
    }
    admitted.add(request);
    if (reply.raw.closed || request.raw.socket.destroyed) {
      // Its client left while it waited: nobody reads the answer, so do no work for it.
      release(request);
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    reply.raw.once("close", () => release(request));
  });
  return gate;
}
