import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { applyMigrations } from "./apply-migrations.js";
import { ensureDatabaseExists } from "./ensure-database-exists.js";
import { readMigrationFiles } from "./migration-files.js";

const server = process.env["HPO_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432";
const countsMigration = "20261130060000_study_trial_counts";
const name = `hpo_test_counts_backfill_${Math.floor(performance.now() * 1000).toString(36)}`;
const temporary: string[] = [];

function databaseUrl(database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await withClient(databaseUrl("postgres"), (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

test("the counts migration backfills the trials that exist when it runs", async () => {
  const url = databaseUrl(name);
  await ensureDatabaseExists(url);
  // The database as it was before the counts: every migration older than theirs.
  const older = (await readMigrationFiles()).filter((file) => file.name < countsMigration);
  const dir = await mkdtemp(join(tmpdir(), "hpo-migrations-"));
  temporary.push(dir);
  for (const file of older) {
    await mkdir(join(dir, file.name));
    await writeFile(join(dir, file.name, "migration.sql"), file.sql);
  }
  await applyMigrations(url, dir);
  const expected = await withClient(url, async (client) => {
    await client.query(`
      INSERT INTO "Project" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'p');
      INSERT INTO "Study" ("id", "projectId", "name", "definition", "updatedAt")
      SELECT ('00000000-0000-4000-8000-00000000001' || s)::uuid, '00000000-0000-4000-8000-000000000001',
             's' || s, '{}'::jsonb, now()
      FROM generate_series(0, 2) AS s;
      INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "origin", "updatedAt")
      SELECT gen_random_uuid(), ('00000000-0000-4000-8000-00000000001' || (n % 3))::uuid, n,
             (enum_range(NULL::"TrialState"))[1 + n % 8], '{}'::jsonb, 'seed', now()
      FROM generate_series(0, 2999) AS n;`);
    const { rows } = await client.query<{ studyId: string; state: string; count: number }>(`
      SELECT "studyId"::text AS "studyId", "state"::text AS "state", count(*)::int AS "count"
      FROM "Trial" GROUP BY 1, 2 ORDER BY 1, 2`);
    return rows;
  });
  expect(expected).toHaveLength(24);
  expect((await applyMigrations(url)).applied).toContain(countsMigration);
  const counted = await withClient(url, async (client) => {
    const { rows } = await client.query<{ studyId: string; state: string; count: number }>(`
      SELECT "studyId"::text AS "studyId", "state"::text AS "state", sum("count")::int AS "count"
      FROM "StudyTrialCount" GROUP BY 1, 2 ORDER BY 1, 2`);
    return rows;
  });
  expect(counted).toEqual(expected);
});
