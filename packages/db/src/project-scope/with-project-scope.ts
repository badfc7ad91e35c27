import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** The role the row-level security policies bind (migration 20261130000000_project_row_level_security). */
export const projectScopeRole = "hpo_project_scope";

/**
 * Runs `work` in a transaction that the database itself confines to one project: `SET LOCAL ROLE
 * hpo_project_scope` plus the transaction-local setting `hpo.project_id`, which the row-level security
 * policies compare every row with. A query in `work` that forgets its `projectId` filter still reads and
 * writes only that project's rows (the second wall behind the routes' own filters). Both settings end with
 * the transaction, so a pooled connection never carries them into another request.
 */
export async function withProjectScope<T>(
  prisma: PrismaClient,
  projectId: string,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('hpo.project_id', ${projectId}, true)`;
    await tx.$executeRawUnsafe(`SET LOCAL ROLE ${projectScopeRole}`);
    return work(tx);
  });
}
