import { HpoError } from "@hpo/core";
import { findScopedTrial, type PrismaClient, type ScopedTrial, type TrialScope } from "@hpo/db";
import type { FastifyRequest } from "fastify";
import { projectIdOf, requireUuid } from "../auth/project-scope.js";

/**
 * The trials a lifecycle write (claim, heartbeat, report, tell, release, logs) may touch: a fleet key's
 * pool, any other key's project. The trial store checks it inside its fenced statement, so a write is one
 * round trip and a trial outside it is a 404 (design invariant 6).
 */
export async function lifecycleScopeOf(request: FastifyRequest, prisma: PrismaClient): Promise<TrialScope> {
  const pool = request.principal?.pool ?? null;
  if (pool !== null) return { pool };
  return { projectId: await projectIdOf(request, prisma) };
}

/** The trial with its study and project, for the routes that need them before writing; else a 404. */
export async function findLifecycleTrial(
  prisma: PrismaClient,
  scope: TrialScope,
  trialId: string,
): Promise<ScopedTrial> {
  const trial = await findScopedTrial(prisma, requireUuid(trialId, "Trial"), scope);
  if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
  return trial;
}
