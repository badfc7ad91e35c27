import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The dashboard package's folder (found through its package.json, from sources or from dist alike). */
export function dashboardPackageDir(): string {
  return dirname(require.resolve("@hpo/dashboard/package.json"));
}

/** Where Vite writes the built app (index.html and assets/): what the API serves at `/`. */
export function dashboardDistDir(): string {
  return join(dashboardPackageDir(), "dist", "web");
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  let newest = info.mtimeMs;
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "dist") continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** The files a build is made from: the app, its build config, and the contracts it parses replies with. */
function buildInputs(): string[] {
  const root = dashboardPackageDir();
  return [
    join(root, "web"),
    join(root, "vite.config.ts"),
    join(root, "package.json"),
    join(root, "..", "contracts", "src"),
  ];
}

/** True when the built app is missing or older than any of its inputs. */
export async function isDashboardBuildStale(): Promise<boolean> {
  const built = await stat(join(dashboardDistDir(), "index.html")).catch(() => null);
  if (!built) return true;
  const inputs = await Promise.all(buildInputs().map(newestMtime));
  return Math.max(...inputs) > built.mtimeMs;
}

/**
 * Builds the dashboard with Vite when its build is missing or stale, so that a fresh clone runs
 * `npm ci && npm start` with no build step. Returns whether it built.
 */
export async function ensureDashboardBuilt(log: (line: string) => void = () => undefined): Promise<boolean> {
  if (!(await isDashboardBuildStale())) return false;
  log("building the dashboard (missing or older than its sources)…");
  const started = Date.now();
  const { build } = await import("vite");
  await build({ configFile: join(dashboardPackageDir(), "vite.config.ts"), logLevel: "warn" });
  log(`dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
