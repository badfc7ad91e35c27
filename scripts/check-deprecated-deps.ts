/**
 * Fails (exit 1) when a production dependency is marked deprecated in the npm registry. `npm audit` gets
 * no answer from the registry mirror reachable here, so this is the supply-chain check .ci/run can make:
 * every package `npm ls --omit=dev --all` lists is looked up with `npm view NAME@VERSION deprecated`.
 * Answers are cached for a week (a version's deprecation rarely changes) and the whole check is bounded in
 * time: what it could not look up in time is reported, not failed on. Run `npm audit --omit=dev` where an
 * advisory service is reachable.
 *
 * Usage: tsx scripts/check-deprecated-deps.ts [--budget-ms 180000] [--concurrency 4]
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { collectProductionPackages, lookUpDeprecations, type DeprecationCache } from "./deprecated-deps.js";

const run = promisify(execFile);

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const budgetMs = argument("--budget-ms", 180_000);
const concurrency = argument("--concurrency", 4);
const cachePath = join(
  process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"),
  "hpo",
  "deprecated-deps.json",
);

function readCache(): DeprecationCache {
  try {
    return JSON.parse(readFileSync(cachePath, "utf8")) as DeprecationCache;
  } catch {
    return {};
  }
}

async function viewDeprecated(spec: string): Promise<string> {
  const { stdout } = await run("npm", ["view", spec, "deprecated", "--json"], {
    timeout: 30_000,
    maxBuffer: 1024 * 1024,
  });
  const text = stdout.trim();
  if (text === "") return "";
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
}

const listed = await run("npm", ["ls", "--omit=dev", "--all", "--json"], {
  maxBuffer: 64 * 1024 * 1024,
}).catch((error: unknown) => {
  // npm ls exits 1 on an extraneous or missing package but still prints the tree.
  const stdout = (error as { stdout?: unknown }).stdout;
  if (typeof stdout === "string" && stdout.trim().startsWith("{")) return { stdout };
  throw error;
});
const packages = collectProductionPackages(JSON.parse(listed.stdout) as unknown);
const cache = readCache();
const result = await lookUpDeprecations(packages, {
  cache,
  view: viewDeprecated,
  now: Date.now(),
  deadline: Date.now() + budgetMs,
  concurrency,
});
mkdirSync(dirname(cachePath), { recursive: true });
writeFileSync(cachePath, JSON.stringify(result.cache));

console.log(
  `deprecated-deps: ${packages.length} production packages, ${result.cached} from the cache, ` +
    `${result.looked} looked up, ${result.unknown.length} not answered in time or failed`,
);
if (result.unknown.length > 0) {
  console.log(`deprecated-deps: not checked: ${result.unknown.slice(0, 20).join(", ")}`);
}
for (const { spec, message } of result.deprecated) console.log(`DEPRECATED ${spec}: ${message}`);
process.exit(result.deprecated.length > 0 ? 1 : 0);
