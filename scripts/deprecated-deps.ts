/** What the deprecated-dependency check (check-deprecated-deps.ts) decides, apart from npm itself. */

/** spec ("name@version") → the registry's deprecation message ("" when not deprecated) and when it was read. */
export type DeprecationCache = Record<string, { message: string; checkedAt: number }>;

export const cacheTtlMs = 7 * 24 * 3600 * 1000;

interface LsNode {
  version?: unknown;
  resolved?: unknown;
  dependencies?: unknown;
}

/**
 * Every registry package in `npm ls --all --json` output, as sorted unique "name@version" specs. The
 * workspace's own packages (linked, `file:` or `@hpo/`) are not in the registry and are skipped.
 */
export function collectProductionPackages(tree: unknown): string[] {
  const specs = new Set<string>();
  const walk = (node: LsNode): void => {
    if (typeof node.dependencies !== "object" || node.dependencies === null) return;
    for (const [name, child] of Object.entries(node.dependencies as Record<string, LsNode>)) {
      const local =
        name.startsWith("@hpo/") ||
        (typeof child.resolved === "string" && child.resolved.startsWith("file:"));
      if (!local && typeof child.version === "string") specs.add(`${name}@${child.version}`);
      walk(child);
    }
  };
  if (typeof tree === "object" && tree !== null) walk(tree);
  return [...specs].sort();
}

export interface LookUpOptions {
  cache: DeprecationCache;
  view: (spec: string) => Promise<string>;
  now: number;
  /** No lookup starts after this time (ms since epoch); what is left is reported as unknown. */
  deadline: number;
  concurrency: number;
  clock?: () => number;
}

export interface LookUpResult {
  deprecated: { spec: string; message: string }[];
  unknown: string[];
  cached: number;
  looked: number;
  cache: DeprecationCache;
}

/** Answers each spec from the cache when fresh, otherwise from `view`, a few at a time, until the deadline. */
export async function lookUpDeprecations(
  specs: readonly string[],
  options: LookUpOptions,
): Promise<LookUpResult> {
  const clock = options.clock ?? Date.now;
  const cache: DeprecationCache = { ...options.cache };
  const pending: string[] = [];
  let cached = 0;
  for (const spec of specs) {
    const hit = cache[spec];
    if (hit && options.now - hit.checkedAt < cacheTtlMs) cached++;
    else pending.push(spec);
  }
  const unknown: string[] = [];
  let looked = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pending.length) {
      const spec = pending[next++];
      if (spec === undefined) return;
      if (clock() > options.deadline) {
        unknown.push(spec);
        continue;
      }
      try {
        cache[spec] = { message: await options.view(spec), checkedAt: options.now };
        looked++;
      } catch {
        unknown.push(spec);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  const deprecated = specs
    .map((spec) => ({ spec, message: cache[spec]?.message ?? "" }))
    .filter((entry) => entry.message !== "");
  return { deprecated, unknown: unknown.sort(), cached, looked, cache };
}
