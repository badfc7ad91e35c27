import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bootstrapSecretPattern } from "@hpo/api";
import { repoRoot } from "../e2e/support/service-process.js";
import { entryPointsOf, readDockerStages, serviceEnvs, type ServiceKind } from "./support/service-env.js";

/**
 * docker-compose.yml, checked without a Docker engine: the file is parsed with `yaml` and held against
 * the Dockerfile's stages and each service's env schema (services/*\/src/env.ts).
 */
const text = readFileSync(`${repoRoot}docker-compose.yml`, "utf8");

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  stop_grace_period?: string;
  deploy?: {
    replicas?: number;
    resources?: { reservations?: { devices?: { driver: string; count: string; capabilities: string[] }[] } };
  };
}

const compose = parse(text) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const services = compose.services;
const kindOf: Record<string, ServiceKind> = {
  api: "api",
  scheduler: "scheduler",
  worker: "worker",
  "worker-gpu": "worker",
};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** What Compose substitutes when no variable is set: `${X:-d}` and `${X-d}` become d, `$$` becomes `$`. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, "$1").replace(/\$\$/g, "$");
}

function environmentOf(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(service(name).environment ?? {})) env[key] = withDefaults(value);
  return env;
}

function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!match?.[1]) throw new Error(`unknown duration ${duration}`);
  const unit = { ms: 0.001, s: 1, m: 60 }[match[2] as "ms" | "s" | "m"];
  return Number(match[1]) * unit;
}

describe("docker-compose.yml", () => {
  it("has the stack's services, with only the GPU worker behind a profile", () => {
    expect(Object.keys(services).sort()).toEqual([
      "api",
      "postgres",
      "redis",
      "scheduler",
      "worker",
      "worker-gpu",
    ]);
    for (const [name, definition] of Object.entries(services)) {
      expect(definition.profiles ?? [], name).toEqual(name === "worker-gpu" ? ["gpu"] : []);
    }
  });

  it("writes commands, health checks and environment values as strings (a stray ': ' makes a mapping)", () => {
    for (const [name, definition] of Object.entries(services)) {
      const strings = [
        ...(definition.command ?? []),
        ...(definition.healthcheck?.test ?? []),
        ...Object.values(definition.environment ?? {}),
      ];
      for (const value of strings) expect(typeof value, `${name}: ${JSON.stringify(value)}`).toBe("string");
    }
  });

  it("needs no variable at all: every ${VAR} has a default, so `up -d postgres redis` just works", () => {
    // Compose interpolates the whole file even to start two services: one required variable anywhere
    // (${X:?...} or a bare ${X}) would stop `docker compose up -d postgres redis`.
    const references = [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1] ?? "");
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference, reference).toMatch(/^[A-Za-z_][A-Za-z0-9_]*:?-/);
    expect(text.replace(/\$\$|\$\{/g, "")).not.toMatch(/\$[A-Za-z_]/);
  });

  it("runs PostgreSQL 15+ on a named volume and Redis 7 append-only with noeviction", () => {
    const postgres = service("postgres");
    expect(postgres.image).toMatch(/^postgres:1[5-9]/);
    expect(postgres.volumes).toContain("pgdata:/var/lib/postgresql/data");
    const redis = service("redis");
    expect(redis.image).toMatch(/^redis:7/);
    const command = redis.command?.join(" ") ?? "";
    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--maxmemory-policy noeviction");
    expect(redis.volumes).toContain("redisdata:/data");
    expect(Object.keys(compose.volumes).sort()).toEqual(["pgdata", "redisdata"]);
  });

  it("builds every hpo service from a Dockerfile stage whose entry points exist", () => {
    const stages = readDockerStages();
    for (const name of Object.keys(kindOf)) {
      const definition = service(name);
      expect(definition.build?.context, name).toBe(".");
      const target = definition.build?.target ?? "";
      const stage = stages.get(target);
      expect(stage, `${name}: Dockerfile stage ${target}`).toBeDefined();
      const commands = [...(stage?.commands ?? []), ...(definition.command ? [definition.command] : [])];
      const entries = commands.flatMap((command) => entryPointsOf(command.map(withDefaults)));
      expect(entries.length, name).toBeGreaterThan(0);
      for (const entry of entries)
        expect(entry.exists, `${name}: ${entry.built} from ${entry.source}`).toBe(true);
    }
    // The API's image migrates first, then execs the API (so SIGTERM reaches node, not the shell).
    const api = stages.get("api")?.commands.flat().join(" ") ?? "";
    expect(api).toMatch(/migrate\.js && exec node services\/api\/dist\/main\.js/);
    expect(stages.get("runtime")?.commands).toContainEqual(["/usr/bin/tini", "--"]);
  });

  it("sets only variables the services read, and values their env schemas accept", () => {
    for (const [name, kind] of Object.entries(kindOf)) {
      const env = environmentOf(name);
      const { keys, parse: parseEnv } = serviceEnvs[kind];
      for (const key of Object.keys(env))
        expect(keys.has(key), `${name} sets ${key}, which it never reads`).toBe(true);
      expect(() => parseEnv(env), name).not.toThrow();
    }
  });

  it("bootstraps the worker key: the API and both workers share one secret of the right shape", () => {
    const secret = environmentOf("api")["HPO_WORKER_TOKEN"] ?? "";
    expect(secret).toMatch(bootstrapSecretPattern);
    expect(environmentOf("worker")["HPO_TOKEN"]).toBe(secret);
    expect(environmentOf("worker-gpu")["HPO_TOKEN"]).toBe(secret);
    // Both come from the same variable, so setting HPO_WORKER_TOKEN changes them together.
    for (const [name, key] of [
      ["api", "HPO_WORKER_TOKEN"],
      ["worker", "HPO_TOKEN"],
      ["worker-gpu", "HPO_TOKEN"],
    ] as const) {
      expect(service(name).environment?.[key]).toMatch(/^\$\{HPO_WORKER_TOKEN:-/);
    }
  });

  it("points the services at each other by their Compose names", () => {
    for (const name of ["api", "scheduler"]) {
      expect(new URL(environmentOf(name)["DATABASE_URL"] ?? "").host).toBe("postgres:5432");
    }
    for (const name of Object.keys(kindOf))
      expect(environmentOf(name)["REDIS_URL"]).toBe("redis://redis:6379");
    const port = environmentOf("api")["PORT"];
    for (const name of ["worker", "worker-gpu"])
      expect(environmentOf(name)["HPO_API_URL"]).toBe(`http://api:${port}`);
  });

  it("binds every published port to 127.0.0.1 unless told otherwise, the API's to its PORT", () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const port of definition.ports ?? [])
        expect(withDefaults(port), name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    expect(withDefaults(service("api").ports?.[0] ?? "")).toBe(
      `127.0.0.1:3000:${environmentOf("api")["PORT"]}`,
    );
    for (const name of ["scheduler", "worker", "worker-gpu"])
      expect(service(name).ports, name).toBeUndefined();
  });

  it("health-checks the databases and the API, and starts each service after what it needs is healthy", () => {
    expect(service("postgres").healthcheck?.test).toContain("pg_isready");
    expect(service("redis").healthcheck?.test).toEqual(["CMD", "redis-cli", "ping"]);
    const apiCheck = service("api").healthcheck?.test.join(" ") ?? "";
    expect(apiCheck).toContain(`http://127.0.0.1:${environmentOf("api")["PORT"]}/readyz`);
    const healthy = { condition: "service_healthy" };
    expect(service("api").depends_on).toEqual({ postgres: healthy, redis: healthy });
    for (const name of ["scheduler", "worker", "worker-gpu"])
      expect(service(name).depends_on, name).toEqual({ api: healthy });
    expect(service("scheduler").deploy?.replicas).toBe(2);
  });

  it("gives workers time to finish trials on stop: grace + kill grace < stop_grace_period", () => {
    for (const name of ["worker", "worker-gpu"]) {
      const env = serviceEnvs.worker.parse({ ...environmentOf(name) }) as {
        HPO_SHUTDOWN_GRACE_MS: number;
        HPO_KILL_GRACE_MS: number;
      };
      const needed = (env.HPO_SHUTDOWN_GRACE_MS + env.HPO_KILL_GRACE_MS) / 1000;
      expect(seconds(service(name).stop_grace_period ?? "10s"), name).toBeGreaterThanOrEqual(needed + 5);
    }
  });

  it("reserves NVIDIA GPUs for the GPU worker, which pins one trial per GPU by default", () => {
    const gpu = service("worker-gpu");
    expect(gpu.deploy?.resources?.reservations?.devices).toEqual([
      { driver: "nvidia", count: "all", capabilities: ["gpu"] },
    ]);
    expect(gpu.command?.map(withDefaults).join(" ")).toMatch(/--gpus auto --trials-per-gpu 1$/);
    expect(service("worker").command?.map(withDefaults).join(" ")).toContain("--gpus none");
  });
});
