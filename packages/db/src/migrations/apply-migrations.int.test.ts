import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { applyMigrations, MigrationError } from "./apply-migrations.js";
import { ensureDatabaseExists } from "./ensure-database-exists.js";
import { readMigrationFiles } from "./migration-files.js";

const server = process.env["HPO_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432";
const created: string[] = [];

function databaseUrl(name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `hpo_test_migrate_${Math.floor(performance.now() * 1000).toString(36)}_${created.length}`;
  created.push(name);
  expect(await ensureDatabaseExists(databaseUrl(name))).toBe(true);
  expect(await ensureDatabaseExists(databaseUrl(name))).toBe(false);
  return databaseUrl(name);
}

afterAll(async () => {
  for (const name of created)
    await query(databaseUrl("postgres"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

test("applies the repository's migrations once and records them as Prisma does", async () => {
  const url = await freshDatabase();
  const files = await readMigrationFiles();
  expect(files.length).toBeGreaterThan(0);
  expect((await applyMigrations(url)).applied).toEqual(files.map((file) => file.name));
  expect((await applyMigrations(url)).applied).toEqual([]);
  const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
    url,
    `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  expect(rows).toEqual(
    files.map((file) => ({ migration_name: file.name, checksum: file.checksum, applied_steps_count: 1 })),
  );
  const tables = await query<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.tables WHERE table_schema='public' ORDER BY 1`,
  );
  expect(tables.map((row) => row.table_name)).toEqual(
    expect.arrayContaining(["Project", "ApiKey", "Study", "Trial", "TrialReport", "Worker"]),
  );
});

test("concurrent runners apply each migration exactly once", async () => {
  const url = await freshDatabase();
  const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
  const applied = results.flatMap((result) => result.applied);
  expect(applied).toEqual((await readMigrationFiles()).map((file) => file.name));
});

test("a failing migration rolls back whole and an edited one is refused", async () => {
  const url = await freshDatabase();
  const dir = await mkdtemp(join(tmpdir(), "hpo-migrations-"));
  await mkdir(join(dir, "001_ok"));
  await writeFile(join(dir, "001_ok", "migration.sql"), `CREATE TABLE "a" ("id" INT PRIMARY KEY);`);
  await mkdir(join(dir, "002_bad"));
  await writeFile(join(dir, "002_bad", "migration.sql"), `CREATE TABLE "b" ("id" INT); SELECT 1/0;`);
  await expect(applyMigrations(url, dir)).rejects.toBeInstanceOf(MigrationError);
  const tables = await query<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.tables WHERE table_schema='public' ORDER BY 1`,
  );
  expect(tables.map((row) => row.table_name)).toEqual(["_prisma_migrations", "a"]);

  await writeFile(join(dir, "002_bad", "migration.sql"), `CREATE TABLE "b" ("id" INT);`);
  expect((await applyMigrations(url, dir)).applied).toEqual(["002_bad"]);
  await writeFile(join(dir, "001_ok", "migration.sql"), `CREATE TABLE "a" ("id" BIGINT PRIMARY KEY);`);
  await expect(applyMigrations(url, dir)).rejects.toThrow(/edited after it was applied/);
});
