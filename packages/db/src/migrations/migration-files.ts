import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface MigrationFile {
  /** Folder name, e.g. `20261128040000_init`; the order of application is the lexical order of names. */
  name: string;
  sql: string;
  /** sha256 of migration.sql, exactly as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** The repository's `prisma/migrations` folder. */
export const defaultMigrationsDir = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

/** Reads every `<stamp>_<name>/migration.sql` in Prisma's folder format, oldest first. */
export async function readMigrationFiles(migrationsDir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(join(migrationsDir, name, "migration.sql"), "utf8");
    files.push({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return files;
}
