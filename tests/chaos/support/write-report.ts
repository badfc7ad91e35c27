import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { invariantDescriptions, violationCount } from "./checkers.js";
import { figuresDir, readAllFigures, type ScenarioFigures } from "./figures.js";
import { chaosProfile } from "./profile.js";

const reportPath = fileURLToPath(new URL("../../../docs/reliability.md", import.meta.url));

const notCovered = [
  "3. SIGTERM during a trial: not repeated here; tests/e2e/worker-sigterm.e2e.test.ts (part of npm test) checks the shutdown and that nothing is lost.",
  "5. PostgreSQL restart runs on a private cluster (tests/chaos/support/postgres-server.ts, fsync off): `-m immediate` crashes the server processes, not the machine, so a write lost in a disk cache (power loss) is not covered; nor is a failover to a replica.",
  "6. Pool exhaustion: the 300 concurrent requests of a burst come from one process on the same machine as the API; a pooler in front of PostgreSQL (PgBouncer, docs/scaling.md) is not part of the scenario.",
  "8. Soak: default profile only (tests/chaos/soak.chaos.test.ts), bounded at 20 minutes; not in the fast CI subset. An earlier run failed its memory bound (API peak RSS 365 -> 490 MiB). Heap snapshots of the API early and late in a shorter soak (`HPO_SERVICE_NODE_ARGS=\"--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR\"`, `kill -USR2`, compared with `tests/chaos/support/heap-snapshot-diff.ts`) found a growth, not V8 sizing: between 335 and 886 complete trials the reachable heap went 61.5 -> 74.9 MiB, all of it plans in Prisma's query plan cache (1,000 per client), 867 of its 910 entries the tell's update, one per objective value, since a bare scalar list (`values: [0.25]`) stays in the cache key and each tell compiled a plan. The tell first wrote `{ set: [...] }` and is now one raw statement (packages/db/src/trial-store/finish-trial.ts); packages/db/src/client/hot-path-query-plans.int.test.ts checks that a trial's whole API path (lookup, claim, heartbeat, report, log append, tell) compiles no new plan and the cache held 27 plans; between 405 and 1,903 trials the API's reachable heap then went 56.1 -> 60.9 MiB, all of it three source maps Node parses once (error stacks under tsx), and the scheduler's 41.7 -> 42.1 MiB. The definition cache, the API key cache, the event hub, the sampler pool and the admission gate did not grow. The same runs found two faults: a request whose client went away (a worker killed) while it waited for admission kept its slot, and with every slot gone the API answered 503 to all (packages/api/src/http/request-admission-abort.test.ts); and the API did not start under a V8 flag such as `--max-old-space-size` (its sampler threads got every flag; packages/api/src/sampling/thread-exec-argv.test.ts). The faster hot paths (raw SQL lifecycle statements; 10,000 trials in ~130 s instead of ~530 s) made the live-heap bound fail against the first quarter (API 57.3 -> 81.8 MiB) with nothing retained. Logged with `HPO_CHAOS_SOAK_TIMELINE=FILE`, the API's main thread made no full GC in the first quarter after the one during startup (37.2 MiB, modules still loading), and the failed run's 57.3 MiB is the process total at boot (57.6 and 57.8 MiB in two logged runs): a boot heap, not a steady state. The main isolate then stayed at 51.8 to 53.6 MiB at each of its 11 full GCs from 3,008 to 9,692 trials, the scheduler's at 39.8 to 41.0 MiB from 4,343 to 9,834 trials (34.9 MiB at startup); heap snapshots of the API's main isolate at 358, 1,262 and 2,515 trials (55.4, 56.1, 55.5 MiB reachable) and at 2,503 and 9,016 (56.6 -> 55.8 MiB) grew in no constructor, and Prisma's query plan cache held 16 plans in each (the hot paths no longer go through it). The bound therefore takes the second quarter, after warm-up, as its baseline (last <= 1.25 x second + slack); the first quarter stays a figure. The scenario's figures above are from `npx vitest run --config vitest.chaos.config.ts tests/chaos/soak.chaos.test.ts` alone, load average 7 to 10.7 on the shared 2-core machine; a second run of the same code passed too (115 s, API live heap 64.4 / 83.2 -> 82.7 MiB), though its scheduler made no full GC in the last quarter, so that run checked the scheduler's RSS and not its live heap. RSS stays a check beside the live heap; it moves with V8's committed heap and the allocator, which the figures show apart.",
  "Scenario 7 runs the issue's 4 processes x 2,500 asks in the default profile (4 x 10 in fast), bounded at 25 minutes.",
  "The checker 'queued/running with no live job or lease' is applied once the study settled (no trial may be left non-terminal); it is not sampled while faults are in flight.",
  "11. Load shedding: the scenario sheds on event-loop utilization (0.9, HPO_SHED_EVENT_LOOP_UTILIZATION) on extra API processes it starts; the production default sheds on event-loop delay (HPO_SHED_EVENT_LOOP_DELAY_MS, 1000 ms; packages/api/src/http/load-shedding.int.test.ts) and the e2e stacks turn shedding off, since CPU starvation on a shared machine reads as lag. A starting API is busy for its first second, so utilization shedding (off by default) sheds its first requests.",
  "13. Clock skew covers workers (and their trials) only. One place still reads a worker's clock: a job a worker hands back unclaimed (busy or unfit) is delayed by BullMQ from that worker's time, so one 5 minutes ahead delays it 5 minutes for the others; no lease is judged by it.",
];

function formatFigure(value: number | string): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return value;
}

function scenarioSection(scenario: ScenarioFigures): string {
  const rows = Object.entries(scenario.figures).map(
    ([name, value]) => `| ${name} | ${formatFigure(value)} |`,
  );
  const violations = scenario.violations ? violationCount(scenario.violations) : 0;
  return [
    `### ${scenario.title}`,
    "",
    "| figure | value |",
    "| --- | --- |",
    ...rows,
    `| checker violations | ${violations} |`,
    "",
    `Invariants checked: ${scenario.invariants.join("; ")}.`,
    "",
  ].join("\n");
}

/** The whole of docs/reliability.md, from the figures the scenarios recorded in this run. */
export function renderReport(scenarios: readonly ScenarioFigures[], profile: string): string {
  return [
    "# Reliability and security",
    "",
    "<!-- Written by `npm run test:chaos` (tests/chaos/support/write-report.ts); do not edit by hand. -->",
    "",
    "The fault-injection suite in `tests/chaos/` starts the real services as processes (the API, the",
    "scheduler and workers from `services/*`, each test on its own database and Redis prefix; scenarios",
    "that flush or kill Redis start a private `redis-server`), injects faults and then runs the checkers of",
    "`tests/chaos/support/checkers.ts` over a history log of every operation and fault and over what",
    "PostgreSQL holds. `npm run test:chaos` runs every scenario with the default timing profile and",
    "rewrites this page; `.ci/run` runs the fast subset (`HPO_CHAOS_PROFILE=fast`, short leases, fewer",
    "repetitions) as its own step. Neither is part of `npm test`.",
    "",
    `Figures below: profile \`${profile}\`, measured on this repository's 2-core CI machine, ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "## Invariants (checked after every scenario settles)",
    "",
    ...Object.values(invariantDescriptions).map((text) => `- ${text}`),
    "",
    "## Scenarios",
    "",
    ...scenarios.map(scenarioSection),
    "## Not covered yet",
    "",
    ...notCovered.map((line) => `- ${line}`),
    "",
    "## Request limits (packages/api/src/http/json-body.ts)",
    "",
    "- Bodies are JSON only: any other `Content-Type` (or none) is a `415` naming the `content-type` header.",
    "- At most 1 MiB per body (`413`), at most 64 levels of nested objects and arrays (`400 too_deep`,",
    "  checked by a linear scan before parsing, so no recursive code sees a deep body).",
    "- A body that announces more than 1 MiB (up to 16 MiB) is read and discarded before the `413` (a lingering",
    "  close, packages/api/src/http/drain-oversized-body.ts), so a client still writing it gets the answer, not EPIPE.",
    "- `__proto__` and `constructor.prototype` keys and NUL characters are a `400`.",
    "- String lengths are bounded by the zod schemas in `packages/contracts` (names 200 characters, error",
    "  texts 10,000, a log chunk 1 MiB); lease tokens are UUIDs.",
    "",
    "## Security",
    "",
    "- API keys: only their sha256 is stored (`packages/api/src/auth/api-key-secret.ts`), the bootstrap",
    "  admin secret is compared in constant time, and no key appears in any service's log (the",
    "  full-stack scenario greps every line the services printed for every key it used).",
    "- Project scoping: every route filters by the caller's project (another project's id is a 404, the",
    "  cross-project scenario tries every route). PostgreSQL row-level security is the second wall: the",
    "  user-facing routes (studies, trial lists and reads, Pareto front, importance, events, dashboard",
    "  reads) reach the database only through `ProjectDatabase` (`packages/api/src/auth/project-database.ts`),",
    "  whose transactions `withProjectScope` (`packages/db/src/project-scope/with-project-scope.ts`) confines",
    "  to the key's project. With the code's project filter removed from the study and trial lookups, those",
    "  routes still answer 404, read no rows and change nothing of another project",
    "  (`packages/api/src/routes/row-level-security.int.test.ts`). The workers' hot calls (ask, claim,",
    "  heartbeat, report, tell, release, log writes), fleet keys (their pool spans projects) and admin",
    "  routes keep the code's filter alone. The wall costs a BEGIN, one `set_config` and a COMMIT per",
    "  request, and its per-row checks slow reads that scan a whole big study (summary, counts: about 2-3x",
    "  at 100,000 trials; `packages/api/bench/scoped-read-bench.ts` compares two commits).",
    "- Headers: every API answer carries `Content-Security-Policy: default-src 'none'`, `nosniff`,",
    "  `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, `Cache-Control: no-store`; the dashboard",
    "  has its own strict CSP.",
    "- Dependencies: `.ci/run` fails when a production dependency is deprecated in the registry",
    "  (`scripts/check-deprecated-deps.ts`); run `npm audit --omit=dev` where an advisory service is",
    "  reachable.",
    "",
  ].join("\n");
}

/** vitest globalSetup: starts each run with no figures, and writes the report once every file ran. */
export default function setup(): () => void {
  rmSync(figuresDir(), { recursive: true, force: true });
  return () => {
    const profile = chaosProfile().name;
    const scenarios = readAllFigures();
    const text = renderReport(scenarios, profile);
    if (profile === "default" && scenarios.length > 0) {
      writeFileSync(reportPath, text);
      process.stdout.write(`wrote docs/reliability.md (${scenarios.length} scenarios)\n`);
    }
    for (const scenario of scenarios) {
      const shown = Object.entries(scenario.figures)
        .map(([name, value]) => `${name}=${formatFigure(value)}`)
        .join(", ");
      process.stdout.write(`[chaos] ${scenario.title}: ${shown}\n`);
    }
  };
}
