/**
 * `npm run migrate`: creates the database if needed and applies pending migrations.
 * Stands in for `prisma migrate deploy`, which needs a native engine this machine cannot download.
 */
import { applyMigrations } from "../migrations/apply-migrations.js";
import { ensureDatabaseExists } from "../migrations/ensure-database-exists.js";

const databaseUrl = process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/hpo";
const created = await ensureDatabaseExists(databaseUrl);
const { applied } = await applyMigrations(databaseUrl);
const where = new URL(databaseUrl);
where.password = "";
process.stdout.write(
  `${created ? "created database; " : ""}${applied.length ? `applied ${applied.join(", ")}` : "no pending migrations"} (${where.host}${where.pathname})\n`,
);
