import { randomUUID } from "node:crypto";
import pg from "pg";
import { defaultMigrationsDir, readMigrationFiles } from "./migration-files.js";

/** Prisma's own bookkeeping table, so `prisma migrate deploy` and `migrate status` agree with this runner. */
const createBookkeepingTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** An arbitrary constant: serializes concurrent runners (several services starting at once). */
const migrationLockKey = 72_616_001;

export class MigrationError extends Error {
  readonly code = "migration_failed";
  readonly retryable = false;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations of `prisma/migrations` in order, each in its own transaction,
 * recording them in `_prisma_migrations` exactly as `prisma migrate deploy` does. The Prisma CLI
 * cannot run here (it needs a native engine it downloads), so this small runner stands in for it.
 * It refuses to go on when an applied migration was edited or an earlier run failed half-way.
 */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir = defaultMigrationsDir,
): Promise<{ applied: string[] }> {
  const files = await readMigrationFiles(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await client.query(createBookkeepingTable);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const done = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) {
        throw new MigrationError(
          `migration ${row.migration_name} started but never finished; fix the database and mark it rolled back`,
        );
      }
      done.set(row.migration_name, row);
    }
    const applied: string[] = [];
    for (const file of files) {
      const previous = done.get(file.name);
      if (previous) {
        if (previous.checksum !== file.checksum) {
          throw new MigrationError(
            `migration ${file.name} was edited after it was applied (checksum differs)`,
          );
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), file.checksum, file.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(file.name);
    }
    return { applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
}
