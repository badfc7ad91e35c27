import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** The role the row-level security policies bind (migration 20261130000000_project_row_level_security). */
export const projectScopeRole = "hpo_project_scope";

/** How long a scoped transaction may wait for a connection, and run, before Prisma ends it. */
export interface ProjectScopeOptions {
  maxWait?: number;
  timeout?: number;
}

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
  options: ProjectScopeOptions = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      // set_config('role', …, true) is SET LOCAL ROLE as a function, so all fit one statement. JIT off: the
      // policies' per-row checks raise a big study's scan past jit_above_cost, and compiling it (up to a
      // second on a busy machine) then costs far more than the scan itself (packages/api/bench/scoped-read-bench.ts).
      await tx.$executeRaw`SELECT set_config('hpo.project_id', ${projectId}, true), set_config('role', ${projectScopeRole}, true), set_config('jit', 'off', true)`;
      return work(tx);
    },
    { maxWait: options.maxWait ?? 5_000, timeout: options.timeout ?? 60_000 },
  );
}
