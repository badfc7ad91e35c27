import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trial, TrialReport } from "@hpo/db";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { obliterateTrialQueues } from "@hpo/queue";
import { freePort, startServiceProcess, waitFor, type ServiceProcess } from "./service-process.js";

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** A tiny REST client bound to one API key. */
export class RestClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // plain text body
    }
    return { status: response.status, body: parsed as T };
  }

  /** Like request, but throws unless the status is 2xx. */
  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.request<T>(method, path, body);
    if (result.status < 200 || result.status >= 300) {
      throw new Error(`${method} ${path} -> ${result.status} ${JSON.stringify(result.body)}`);
    }
    return result.body;
  }
}

export interface WorkerSpec {
  id?: string;
  concurrency?: number;
  env?: Record<string, string>;
  /** Extra worker flags (`--pool a100`, `--gpus 0,1`), after the defaults so they win. */
  args?: string[];
}

export interface StackOptions {
  label: string;
  redisUrl?: string;
  /** A PostgreSQL server of the test's own (no database in the URL); the shared test server otherwise. */
  postgresUrl?: string;
  schedulers?: number;
  workers?: WorkerSpec[];
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /**
   * Start the workers with `--in-process` (the documented worker option for fast trainers): synthetic
   * trials run inside the workers instead of a child process each. Scenarios about process supervision
   * (kill -9, SIGTERM) and the flagship random study keep children; the others use it to spend the 2-core
   * budget on the system under test rather than on booting a process per trial.
   */
  inProcess?: boolean;
  /** Node flags for every service of the stack (the soak's `--trace-gc`). */
  nodeArgs?: readonly string[];
}

/** The `application_name` of the API's PostgreSQL connections (pg_stat_activity) in a stack. */
export const apiApplicationName = "hpo-api";

function withApplicationName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("application_name", name);
  return url.toString();
}

/** Fast timings so the whole e2e suite stays short; the defaults are production-sized. */
export const FAST_TIMINGS: Record<string, string> = {
  HPO_HEARTBEAT_INTERVAL_MS: "1000",
  HPO_HEARTBEAT_GRACE_MS: "8000",
  HPO_SWEEP_INTERVAL_MS: "1000",
  HPO_WORKER_REGISTER_INTERVAL_MS: "1000",
  HPO_KILL_GRACE_MS: "1000",
  HPO_UNFIT_RETRY_MS: "300",
  HPO_BUSY_RETRY_MS: "100",
  HPO_SHUTDOWN_GRACE_MS: "3000",
  LOG_LEVEL: "info",
  HPO_RATE_LIMIT_PER_MINUTE: "1000000",
  // Load shedding off: on a shared 2-core test machine CPU starvation reads as event-loop lag, and a
  // shed 503 would fail tests about something else. tests/chaos/rate-limit-shedding.chaos.test.ts turns it on.
  HPO_SHED_EVENT_LOOP_DELAY_MS: "0",
};

/**
 * A whole hpo on this machine for one test: its own Postgres database, its own Redis key prefixes, and
 * the real API, scheduler and worker processes on ephemeral ports.
 */
export class E2eStack {
  readonly services: ServiceProcess[] = [];
  readonly workers = new Map<string, ServiceProcess>();
  user!: RestClient;
  worker!: RestClient;
  apiUrl = "";
  /** The bootstrap admin token of this stack's API (creates projects and keys). */
  adminToken = "";
  private workerKey = "";

  private constructor(
    readonly options: StackOptions,
    readonly db: TestDatabase,
    readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  static async start(options: StackOptions): Promise<E2eStack> {
    const db = await createTestDatabase(
      options.label,
      options.postgresUrl === undefined ? {} : { serverUrl: options.postgresUrl },
    );
    const prefix = `hpoe2e-${options.label}-${randomBytes(4).toString("hex")}`;
    const stack = new E2eStack(options, db, options.redisUrl ?? "redis://127.0.0.1:6379", prefix);
    try {
      await stack.boot();
    } catch (error) {
      await stack.dispose();
      throw error;
    }
    return stack;
  }

  private baseEnv(): Record<string, string> {
    return {
      ...FAST_TIMINGS,
      DATABASE_URL: this.db.url,
      REDIS_URL: this.redisUrl,
      HPO_QUEUE_PREFIX: this.prefix,
      HPO_REDIS_PREFIX: this.prefix,
      ...this.options.env,
    };
  }

  private async boot(): Promise<void> {
    const port = await freePort();
    const adminToken = `hpo_admin_${randomBytes(16).toString("hex")}`;
    this.adminToken = adminToken;
    this.apiUrl = `http://127.0.0.1:${port}`;
    const api = startServiceProcess(
      "api",
      "services/api/src/main.ts",
      {
        ...this.baseEnv(),
        // Its connections are named in pg_stat_activity, so a scenario can terminate exactly the API's.
        DATABASE_URL: withApplicationName(this.db.url, apiApplicationName),
        PORT: String(port),
        HPO_ADMIN_TOKEN: adminToken,
        // Per-request access logs cost the loaded 2-core box more than they tell here.
        LOG_LEVEL: "warn",
      },
      [],
      this.options.nodeArgs,
    );
    this.services.push(api);
    await waitFor(
      "the API to be ready",
      async () => {
        if (api.child.exitCode !== null) throw new Error(`api exited:\n${api.output()}`);
        return (await fetch(`${this.apiUrl}/readyz`)).ok;
      },
      60_000,
      200,
    );
    const admin = new RestClient(this.apiUrl, adminToken);
    const project = await admin.ok<{ id: string }>("POST", "/v1/projects", { name: `e2e-${this.prefix}` });
    const userKey = await admin.ok<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, {
      role: "user",
    });
    const workerKey = await admin.ok<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, {
      role: "worker",
    });
    this.user = new RestClient(this.apiUrl, userKey.key);
    this.worker = new RestClient(this.apiUrl, workerKey.key);
    this.workerKey = workerKey.key;
    for (let i = 0; i < (this.options.schedulers ?? 1); i++) this.startScheduler();
    for (const [index, spec] of (this.options.workers ?? [{}]).entries()) this.startWorker(spec, index);
    await this.waitForWorkers([...this.workers.keys()]);
  }

  /** Waits until the API lists these workers (each registers once it is ready to take jobs). */
  async waitForWorkers(ids: string[]): Promise<void> {
    await waitFor(
      `workers ${ids.join(", ")} to register`,
      async () => {
        const listed = await this.user.ok<{ items: { id: string }[] }>("GET", "/v1/workers");
        const known = new Set(listed.items.map((worker) => worker.id));
        return ids.every((id) => known.has(id));
      },
      60_000,
      200,
    );
  }

  startScheduler(): ServiceProcess {
    const scheduler = startServiceProcess(
      "scheduler",
      "services/scheduler/src/main.ts",
      this.baseEnv(),
      [],
      this.options.nodeArgs,
    );
    this.services.push(scheduler);
    return scheduler;
  }

  startWorker(spec: WorkerSpec = {}, index = this.workers.size): ServiceProcess {
    const id = spec.id ?? `w${index}-${this.prefix}`;
    const worker = startServiceProcess(
      `worker ${id}`,
      "services/worker/src/main.ts",
      {
        ...this.baseEnv(),
        HPO_API_URL: this.apiUrl,
        HPO_TOKEN: this.workerKey,
        HPO_WORKER_ID: id,
        ...spec.env,
      },
      [
        "--concurrency",
        String(spec.concurrency ?? 2),
        "--gpus",
        "none",
        "--backend",
        "cpu",
        ...(this.options.inProcess === true ? ["--in-process"] : []),
        ...(spec.args ?? []),
      ],
      this.options.nodeArgs,
    );
    this.services.push(worker);
    this.workers.set(id, worker);
    return worker;
  }

  async createStudy(definition: unknown): Promise<string> {
    const created = await this.user.ok<{ id: string }>("POST", "/v1/studies", definition);
    return created.id;
  }

  async studyState(studyId: string): Promise<string> {
    const study = await this.db.prisma.study.findUniqueOrThrow({
      where: { id: studyId },
      select: { state: true },
    });
    return study.state;
  }

  async waitForStudyState(studyId: string, states: string[], timeoutMs: number): Promise<string> {
    return waitFor(
      `study ${studyId} to reach ${states.join("|")}`,
      async () => {
        const state = await this.studyState(studyId);
        return states.includes(state) ? state : undefined;
      },
      timeoutMs,
      150,
    );
  }

  trials(studyId: string): Promise<(Trial & { reports: TrialReport[] })[]> {
    return this.db.prisma.trial.findMany({
      where: { studyId },
      orderBy: { number: "asc" },
      include: { reports: { orderBy: { step: "asc" } } },
    });
  }

  /** The services' recent output, appended to a failing test's error so the cause is visible. */
  describeServices(): string {
    const dir = mkdtempSync(join(tmpdir(), `hpo-e2e-${this.options.label}-`));
    return this.services
      .map((service, index) => {
        const file = join(dir, `${index}-${service.name.replace(/[^a-z0-9-]+/gi, "_")}.log`);
        writeFileSync(file, service.output());
        const notable = service
          .output()
          .split("\n")
          .filter((line) => /"level":("(warn|error)"|[456]0)|Error|error/.test(line))
          .slice(-15)
          .map((line) => line.slice(0, 400));
        return `----- ${service.name} (full log: ${file}) -----\n${notable.join("\n")}`;
      })
      .join("\n");
  }

  /** Runs a test body; on failure, attaches the services' logs to the error. */
  async explain(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      if (error instanceof Error) error.message += `\n${this.describeServices()}`;
      throw error;
    }
  }

  async dispose(): Promise<void> {
    for (const service of this.services) service.kill("SIGTERM");
    await Promise.all(
      this.services.map((service) =>
        Promise.race([
          service.exited,
          new Promise((resolve) => setTimeout(resolve, 8_000)).then(() => service.kill("SIGKILL")),
        ]),
      ),
    );
    try {
      await obliterateTrialQueues({ redisUrl: this.redisUrl, prefix: this.prefix });
    } catch {
      // the private Redis of a test may already be gone
    }
    await this.db.dispose();
  }
}

/** Waits until a trial of the study is running (on `workerId` if given) with at least `minReports` reports. */
export async function waitForRunningTrial(
  stack: E2eStack,
  studyId: string,
  options: { workerId?: string; minReports?: number; timeoutMs?: number } = {},
) {
  return waitFor(
    `a running trial${options.workerId ? ` on ${options.workerId}` : ""}`,
    async () => {
      const trials = await stack.db.prisma.trial.findMany({
        where: { studyId, state: "running", ...(options.workerId ? { workerId: options.workerId } : {}) },
        include: { reports: true },
      });
      return trials.find((trial) => trial.reports.length >= (options.minReports ?? 1));
    },
    options.timeoutMs ?? 60_000,
  );
}

/** Prints one measured figure on its own line, for the report (`[e2e figure] name: value unit`). */
export function printFigure(name: string, value: number, unit: string): void {
  process.stdout.write(
    `[e2e figure] ${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}\n`,
  );
}
