import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";

export interface PrismaClientOptions {
  /** Connections the pool may open (node-postgres `max`). */
  maxConnections?: number;
  /**
   * How long a query waits for a pooled connection (or for a new one to open) before it fails with
   * "timeout exceeded when trying to connect" (node-postgres `connectionTimeoutMillis`); 0 waits forever.
   * The API answers such a failure 503 with Retry-After instead of letting requests queue without bound.
   */
  acquireTimeoutMs?: number;
}

/** A Prisma client over node-postgres; no engine binary is needed at runtime. */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 0,
  });
  return new PrismaClient({ adapter });
}
