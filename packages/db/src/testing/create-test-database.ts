import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient } from "../client/create-prisma-client.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { applyMigrations } from "../migrations/apply-migrations.js";
import { readMigrationFiles } from "../migrations/migration-files.js";

export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  dispose(): Promise<void>;
}

const defaultServerUrl = process.env["HPO_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432";
const templateLockKey = 72_616_002;

function urlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(serverUrl, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A migrated template named after the migrations' checksums: cloning it (CREATE DATABASE … TEMPLATE)
 * costs tens of milliseconds, where migrating every test database would cost seconds.
 */
async function ensureTemplate(serverUrl: string): Promise<string> {
  const files = await readMigrationFiles();
  const digest = createHash("sha256")
    .update(files.map((file) => `${file.name}:${file.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 12);
  const template = `hpo_template_${digest}`;
  await withAdminClient(serverUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [templateLockKey]);
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
      if (rowCount) return;
      const building = `${template}_build_${randomBytes(3).toString("hex")}`;
      await client.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(urlFor(serverUrl, building));
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [templateLockKey]);
    }
  });
  return template;
}

/**
 * A fresh, fully migrated database of its own for one test file or test, on the shared test server or on
 * `serverUrl` (a server of the test's own, e.g. one a chaos scenario restarts).
 */
export async function createTestDatabase(
  label = "t",
  options: { serverUrl?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? defaultServerUrl;
  const template = await ensureTemplate(serverUrl);
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 20);
  const name = `hpo_test_${safeLabel}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
  );
  const url = urlFor(serverUrl, name);
  const prisma = createPrismaClient(url, { maxConnections: 5 });
  return {
    url,
    name,
    prisma,
    async dispose() {
      await prisma.$disconnect();
      await withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}
