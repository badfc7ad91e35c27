import { HpoError } from "@hpo/core";
import type { PrismaClient } from "@hpo/db";
import type { FastifyRequest } from "fastify";

/** The project the bootstrap admin works in when it uses project routes (studies, trials…) directly. */
export const defaultProjectName = "default";

/**
 * The project every query of this request is scoped to, taken from the key and never from the URL or
 * body (OWASP API1). The bootstrap admin token has no project: it works in the "default" project,
 * created on first use, so `npm start` followed by a curl with the printed token just works.
 */
export async function projectIdOf(request: FastifyRequest, prisma: PrismaClient): Promise<string> {
  const principal = request.principal;
  if (!principal) throw new HpoError("unauthorized", "Not authenticated", { status: 401 });
  if (principal.projectId !== null) return principal.projectId;
  // A fleet key belongs to no project: it may only register and run trials of its pool's member projects.
  if (principal.pool !== null)
    throw new HpoError("forbidden", "A fleet key only registers workers and runs trials", { status: 403 });
  return ensureDefaultProject(prisma);
}

/** The id of the project named "default", created if missing (also by the worker-key bootstrap). */
export async function ensureDefaultProject(prisma: PrismaClient): Promise<string> {
  const existing = await prisma.project.findUnique({
    where: { name: defaultProjectName },
    select: { id: true },
  });
  if (existing) return existing.id;
  // Two first requests (or two API replicas starting) may race to create it: the loser reads the winner's row.
  const created = await prisma.project
    .create({ data: { name: defaultProjectName }, select: { id: true } })
    .catch(() => prisma.project.findUnique({ where: { name: defaultProjectName }, select: { id: true } }));
  if (!created) throw new HpoError("unavailable", "Could not create the default project", { status: 503 });
  return created.id;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, so it is a 404 like any unknown id. */
export function requireUuid(id: string, what: string): string {
  if (!uuidPattern.test(id)) throw new HpoError("not_found", `${what} not found`, { status: 404 });
  return id;
}
