import type { PrismaClient } from "@hpo/db";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { AuthenticatedKeys } from "./auth/authenticated-keys.js";
import type { EventHub } from "./events/event-hub.js";
import type { ApiMetrics } from "./observability/api-metrics.js";
import type { SamplerPool } from "./sampling/sampler-pool.js";

/** What every route module is given. */
export interface ApiContext {
  prisma: PrismaClient;
  redis: Redis;
  events: EventHub;
  metrics: ApiMetrics;
  /** Where ask runs its sampler: worker threads, off the event loop (sampling/sampler-pool.ts). */
  samplers: SamplerPool;
  /** Keys recently found valid; revoking one forgets it (auth/authenticated-keys.ts). */
  authenticatedKeys: AuthenticatedKeys;
  /** Open SSE streams, ended on shutdown so that close() does not wait for them. */
  openStreams: Set<() => void>;
}

/** The API scope: zod schemas validate requests and type `request.body/query/params`. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
