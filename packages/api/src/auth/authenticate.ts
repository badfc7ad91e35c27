import { HpoError } from "@hpo/core";
import type { PrismaClient } from "@hpo/db";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { hashApiKeySecret, secretsEqual } from "./api-key-secret.js";
import { AuthenticatedKeys } from "./authenticated-keys.js";
import type { Principal } from "./principal.js";

export const bootstrapKeyId = "bootstrap-admin";
const lastUsedResolutionMs = 5 * 60_000;

const article = (role: string): string => (role === "admin" ? "an" : "a");

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

async function resolvePrincipal(
  prisma: PrismaClient,
  adminToken: string,
  secret: string,
  recent: AuthenticatedKeys,
): Promise<Principal | null> {
  if (adminToken !== "" && secretsEqual(secret, adminToken)) {
    return { keyId: bootstrapKeyId, role: "admin", projectId: null, pool: null };
  }
  const hash = hashApiKeySecret(secret);
  // A key found valid in the last 2 s is trusted without a query; revoking it here forgets it at once.
  const known = recent.get(hash);
  if (known) return known;
  const key = await prisma.apiKey.findUnique({ where: { hash } });
  if (!key || key.revokedAt !== null) return null;
  const now = Date.now();
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > lastUsedResolutionMs) {
    // At most one write per key every few minutes: enough to spot unused keys, no write per request.
    await prisma.apiKey.updateMany({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  const principal: Principal = { keyId: key.id, role: key.role, projectId: key.projectId, pool: key.pool };
  recent.remember(hash, principal);
  return principal;
}

/**
 * onRequest hook: every route needs a valid `Authorization: Bearer <key>` unless its config says
 * `access: "public"`, and the key's role must be one the route allows (routes default to admin-only).
 */
export function installAuthentication(
  app: FastifyInstance,
  prisma: PrismaClient,
  adminToken: string,
  recent: AuthenticatedKeys = new AuthenticatedKeys(),
): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? ["admin"];
    if (access === "public") return;
    const secret = bearerOf(request);
    if (secret === null) {
      throw new HpoError("unauthorized", "Send an API key as Authorization: Bearer <key>", { status: 401 });
    }
    const principal = await resolvePrincipal(prisma, adminToken, secret, recent);
    if (!principal) throw new HpoError("unauthorized", "Unknown or revoked API key", { status: 401 });
    request.principal = principal;
    if (!access.includes(principal.role)) {
      const needed = `${article(access[0] ?? "admin")} ${access.join(" or ")}`;
      throw new HpoError(
        "forbidden",
        `${request.method} ${request.routeOptions.url ?? request.url} needs ${needed} key; this is ${article(principal.role)} ${principal.role} key`,
        { status: 403, details: { role: principal.role, allowedRoles: [...access] } },
      );
    }
  });
}
