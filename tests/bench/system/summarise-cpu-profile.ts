/**
 * `npx tsx tests/bench/system/summarise-cpu-profile.ts <dir-or-file.cpuprofile> [--service=api] [--top=25]`:
 * self time of a Node `--cpu-prof` profile grouped by package, by file and by function, to find what a
 * service spends its CPU on under a bench (profiles come from
 * `HPO_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" npm run bench:system -- ...`). Given a folder, it
 * summarises each profile whose scripts include `services/<service>/src/main.ts` (default api), so the
 * scheduler's, the worker's and the sampler threads' profiles in the same folder are left out. The last
 * table charges each sample to the nearest frame of the repository's own code on its stack, which says
 * which of our calls a library's time is spent for (within one synchronous stretch: awaits cut stacks).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const target = args.find((arg) => !arg.startsWith("--"));
const service = args.find((arg) => arg.startsWith("--service="))?.slice("--service=".length) ?? "api";
const top = Number(args.find((arg) => arg.startsWith("--top="))?.slice("--top=".length) ?? "25");

/** `node_modules/<pkg>` (scoped too), `packages/<x>` / `services/<x>`, `node:<internal>`, or the V8 bucket. */
function packageOf(url: string, functionName: string): string {
  if (url === "") return `(${functionName || "native"})`;
  if (url.startsWith("node:")) return "node:internals";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules?.[1]) return modules[1];
  const workspace = /\/(packages|services|tests)\/([^/]+)\//.exec(url);
  if (workspace?.[1] && workspace[2]) return `${workspace[1]}/${workspace[2]}`;
  return url;
}

function shortFile(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) return url.slice(modules + "node_modules/".length);
  const workspace = /\/((?:packages|services|tests)\/.*)$/.exec(url);
  return workspace?.[1] ?? url;
}

function addTo(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function printTable(title: string, map: Map<string, number>, totalMicros: number): void {
  console.log(`\n${title}`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, micros] of rows) {
    const ms = (micros / 1000).toFixed(0).padStart(8);
    const share = ((100 * micros) / totalMicros).toFixed(1).padStart(5);
    console.log(`${ms} ms ${share}%  ${key}`);
  }
}

function summarise(file: string, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPackage = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  /** The nearest frame of the repository's own code on the sample's stack: who asked for the work. */
  const callerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && /\/(packages|services)\//.test(frame.url) && !frame.url.includes("node_modules")) {
        return `${frame.functionName || "(anonymous)"} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
      }
    }
    return "(no repository frame on the stack: async continuation or runtime)";
  };
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    total += micros;
    if (functionName === "(idle)") {
      idle += micros;
      return;
    }
    addTo(byPackage, packageOf(url, functionName), micros);
    addTo(byFile, url === "" ? `(${functionName})` : shortFile(url), micros);
    addTo(byFunction, `${functionName || "(anonymous)"} ${shortFile(url)}:${lineNumber + 1}`, micros);
    addTo(byCaller, callerOf(id), micros);
  });
  const busy = total - idle;
  console.log(`\n=== ${file}`);
  console.log(
    `wall ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / Math.max(total, 1)).toFixed(0)}%), idle ${(idle / 1e6).toFixed(1)} s; shares below are of busy time`,
  );
  printTable("self time by package", byPackage, busy);
  printTable("self time by file", byFile, busy);
  printTable("self time by function", byFunction, busy);
  printTable("time by nearest repository caller (packages/, services/) on the stack", byCaller, busy);
}

function isServiceProfile(profile: CpuProfile): boolean {
  return profile.nodes.some((node) => node.callFrame.url.endsWith(`services/${service}/src/main.ts`));
}

if (!target) {
  console.error("usage: summarise-cpu-profile.ts <dir-or-file.cpuprofile> [--service=api] [--top=25]");
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => join(target, name))
  : [target];
let summarised = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  if (files.length > 1 && !isServiceProfile(profile)) continue;
  summarise(file, profile);
  summarised++;
}
if (summarised === 0) console.error(`no profile of services/${service} among ${files.length} file(s)`);
