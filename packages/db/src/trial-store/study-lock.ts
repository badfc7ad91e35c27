import { Prisma, type PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Runs `work` in a transaction that holds the study's transaction-scoped advisory lock. Every step that
 * numbers trials, counts pending ones against `parallelism`, or moves a trial between states takes it,
 * so two schedulers (or a scheduler and an `ask`) never interleave; UNIQUE(studyId, number) is the backstop.
 * The lock is released at COMMIT/ROLLBACK, so a pooled connection never keeps it (docs/design.md,
 * invariant 2).
 */
export async function withStudyLock<T>(
  prisma: PrismaClient,
  studyId: string,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${studyId}, 0))`;
      return work(tx);
    },
    { maxWait: 5_000, timeout: 15_000 },
  );
}

/** Locks the study inside a transaction the caller already opened. */
export async function lockStudy(tx: Prisma.TransactionClient, studyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${studyId}, 0))`;
}

/** The next dense trial number; only meaningful while the study lock is held. */
export async function nextTrialNumber(tx: Db, studyId: string): Promise<number> {
  // Raw: the query builder's aggregate cost more CPU than the index-only read (every tell and proposal).
  const rows = await tx.$queryRaw<{ next: number }[]>`
    SELECT COALESCE(max("number") + 1, 0)::int AS "next" FROM "Trial" WHERE "studyId" = ${studyId}::uuid`;
  return rows[0]?.next ?? 0;
}
