/**
 * `npm run migration:create -- <name> [--from <git-ref>]`: writes
 * prisma/migrations/<stamp>_<name>/migration.sql with the SQL that turns the schema.prisma of
 * <git-ref> (default HEAD) into the working tree's schema.prisma, computed offline by Prisma's
 * wasm schema engine. The schema-drift test then proves the result matches the schema.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSchemas, loadSchemaEngine } from "../migrations/load-schema-engine.js";
import { defaultMigrationsDir } from "../migrations/migration-files.js";

const args = process.argv.slice(2);
const name = args.find((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--from");
const fromIndex = args.indexOf("--from");
const fromRef = fromIndex >= 0 ? (args[fromIndex + 1] ?? "HEAD") : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: npm run migration:create -- <snake_case_name> [--from <git-ref>]\n");
  process.exit(2);
}
const schemaPath = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));
const current = await readFile(schemaPath, "utf8");
const previous = execFileSync("git", ["show", `${fromRef}:prisma/schema.prisma`], { encoding: "utf8" });
const engine = await loadSchemaEngine(
  current,
  process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/postgres",
);
const sql = await diffSchemas(
  engine,
  { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: previous }] },
  { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: current }] },
);
if (sql.trim() === "" || /^-- This is an empty migration/.test(sql)) {
  process.stdout.write("schema.prisma has no changes since " + fromRef + "\n");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = join(defaultMigrationsDir, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(join(dir, "migration.sql"), sql);
process.stdout.write(`wrote ${join(dir, "migration.sql")}\n`);
