import type { ApiKeyRole } from "@hpo/db";

/** Who is calling: resolved from the bearer key on every request. */
export interface Principal {
  keyId: string;
  role: ApiKeyRole;
  /** null only for the bootstrap admin (HPO_ADMIN_TOKEN), which belongs to no project. */
  projectId: string | null;
  /** Set only on a fleet key (a worker key of no project): the shared pool it serves. */
  pool: string | null;
}

export type RouteAccess = "public" | readonly ApiKeyRole[];

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route, or "public" (health, metrics, docs). Routes without it are admin-only. */
    access?: RouteAccess;
  }
}

export const anyRole: readonly ApiKeyRole[] = ["admin", "user", "worker"];
export const userRoles: readonly ApiKeyRole[] = ["admin", "user"];
export const adminOnly: readonly ApiKeyRole[] = ["admin"];
