// Runs `prisma generate` offline. The CLI insists on a schema-engine binary it would
// otherwise download; generate never executes it, so any existing file will do.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  const stub = join(tmpdir(), "hpo-prisma-schema-engine-stub");
  if (!existsSync(stub)) writeFileSync(stub, "");
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING = "1";
env.CHECKPOINT_DISABLE = "1";
const result = spawnSync("npx", ["prisma", "generate", "--schema", "prisma/schema.prisma"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
