import { withProjectScope, type Prisma, type PrismaClient, type ProjectScopeOptions } from "@hpo/db";
import type { FastifyRequest } from "fastify";
import { projectIdOf } from "./project-scope.js";

/** A database client whose every query PostgreSQL's row-level security confines to one project. */
export type ScopedDb = Prisma.TransactionClient;

/**
 * The caller's project, and the only way a user-facing route reaches its rows: `run` opens a transaction
 * that the database confines to that project (withProjectScope in packages/db), so a query that forgets
 * its `projectId` filter still reads and writes nothing of another project. The routes keep their own
 * filters too (a 404 with a clear message comes from them); row-level security is the second wall.
 *
 * Keep each `run` short and free of waits on anything but the database (Redis publishes, sampler threads,
 * the response stream): the transaction holds a pooled connection until it ends.
 */
export interface ProjectDatabase {
  readonly projectId: string;
  run<T>(work: (db: ScopedDb) => Promise<T>, options?: ProjectScopeOptions): Promise<T>;
}

/** Like withStudyLock's: a scoped write that takes the study lock may wait for a proposal to finish. */
export const studyLockScope: ProjectScopeOptions = { maxWait: 5_000, timeout: 15_000 };

/** The project the request's key belongs to (see projectIdOf), with its row-level-security runner. */
export async function projectDatabaseOf(
  request: FastifyRequest,
  prisma: PrismaClient,
): Promise<ProjectDatabase> {
  return projectDatabase(prisma, await projectIdOf(request, prisma));
}

export function projectDatabase(prisma: PrismaClient, projectId: string): ProjectDatabase {
  return {
    projectId,
    run: (work, options) => withProjectScope(prisma, projectId, work, options),
  };
}
