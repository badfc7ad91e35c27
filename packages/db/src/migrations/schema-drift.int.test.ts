import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database.js";
import { describeDatabaseSchema } from "./describe-database-schema.js";
import { diffSchemas, loadSchemaEngine } from "./load-schema-engine.js";

const schemaPath = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));
const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((database) => database.dispose()));
});

/**
 * Fails when prisma/schema.prisma and prisma/migrations disagree: one database is built by the
 * migrations, another straight from the schema file (the SQL Prisma's engine derives from it), and
 * their catalogs must match. Fix a failure by adding a migration (see README, "Changing the schema").
 */
async function describeSchemaFile(schemaText: string): Promise<string> {
  const fromSchema = await createTestDatabase("drift_schema");
  databases.push(fromSchema);
  const engine = await loadSchemaEngine(schemaText, fromSchema.url);
  const sql = await diffSchemas(
    engine,
    { tag: "empty" },
    { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schemaText }] },
  );
  const client = new pg.Client({ connectionString: fromSchema.url });
  await client.connect();
  try {
    await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    await client.query(sql);
  } finally {
    await client.end();
  }
  return describeDatabaseSchema(fromSchema.url);
}

test("the migrations build exactly the database that schema.prisma describes", async () => {
  const fromMigrations = await createTestDatabase("drift_migrations");
  databases.push(fromMigrations);
  const expected = await describeSchemaFile(await readFile(schemaPath, "utf8"));
  const actual = await describeDatabaseSchema(fromMigrations.url);
  expect(expected.length).toBeGreaterThan(100);
  expect(actual).toBe(expected);
});

test("the comparison notices a schema change that has no migration", async () => {
  const fromMigrations = await createTestDatabase("drift_changed");
  databases.push(fromMigrations);
  const schemaText = await readFile(schemaPath, "utf8");
  const changed = schemaText.replace(/model Worker \{/, "model Worker {\n  notMigrated String?");
  expect(changed).not.toBe(schemaText);
  expect(await describeDatabaseSchema(fromMigrations.url)).not.toBe(await describeSchemaFile(changed));
});
