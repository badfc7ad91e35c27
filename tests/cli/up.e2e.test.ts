import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { privateConfigPath, runCli, startCli, type RunningCli } from "./support/run-cli.js";

interface LogRecord {
  name?: string;
  msg?: string;
  [field: string]: unknown;
}

function records(output: string): LogRecord[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogRecord);
}

/**
 * `hpo up` (what `npm start` runs) as a process: migrates its database, starts the API, the scheduler and
 * a worker, prints where they are as one JSON log stream (its output is not a terminal), saves the CLI
 * profile, runs a study, and stops cleanly on SIGTERM.
 */
describe("e2e: hpo up", () => {
  let db: TestDatabase;
  let up: RunningCli;
  let port: number;
  const config = privateConfigPath();
  const prefix = `hpoup-${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createTestDatabase("up");
    port = await freePort();
    up = startCli(["up", "--workers", "2"], {
      DATABASE_URL: db.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      PORT: String(port),
      HPO_REDIS_PREFIX: prefix,
      HPO_QUEUE_PREFIX: prefix,
      HPO_CONFIG: config,
    });
  }, 60_000);
  afterAll(async () => {
    if (up.child.exitCode === null) up.child.kill("SIGKILL");
    await db.dispose();
  }, 60_000);

  it("starts everything, runs a study from the saved profile, logs it in one format, and stops on SIGTERM", async () => {
    const running = await waitFor(
      "hpo up to print that it is running",
      () => Promise.resolve(records(up.stdout()).find((record) => record.msg === "hpo is running")),
      120_000,
      250,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${up.stdout()}\n${up.stderr()}`);
    });
    expect(running).toMatchObject({ name: "hpo", apiUrl: `http://127.0.0.1:${port}`, workerSlots: 2 });
    expect(String(running["dashboardUrl"])).toBe(
      `http://127.0.0.1:${port}/#key=${String(running["userKey"])}`,
    );
    expect(JSON.parse(readFileSync(config, "utf8"))).toMatchObject({
      profile: "local",
      profiles: { local: { apiUrl: `http://127.0.0.1:${port}`, token: running["userKey"] } },
    });

    const studyFile = join(tmpdir(), `up-study-${prefix}.yaml`);
    writeFileSync(
      studyFile,
      stringify(syntheticStudy({ name: "up-study", maxTrials: 4, parallelism: 2, steps: 2 })),
    );
    // No HPO_API_URL or HPO_TOKEN: the profile `hpo up` saved is enough.
    const watched = await runCli(
      ["study", "create", "-f", studyFile, "--watch"],
      { HPO_CONFIG: config },
      150_000,
    );
    expect(watched.code, watched.stderr).toBe(0);

    await waitFor(
      "the study's end in the log",
      () =>
        Promise.resolve(records(up.stdout()).find((record) => record.msg === "study completed") ?? undefined),
      30_000,
      250,
    );
    const log = records(up.stdout());
    const services = new Set(log.map((record) => record.name));
    expect([...services]).toEqual(expect.arrayContaining(["hpo", "api", "scheduler", "worker"]));
    expect(log.find((record) => record.msg === "study started")).toMatchObject({
      name: "api",
      study: "up-study",
    });
    const finished = log.filter((record) => record.msg === "trial finished");
    expect(finished).toHaveLength(4);
    for (const record of finished) {
      expect(record).toMatchObject({ name: "worker", study: "up-study", state: "complete" });
      expect(typeof record["loss"]).toBe("number");
    }

    // The second-project scenario: a second project, its own user key, a study there: the local worker (a fleet
    // key of pool default, open to every project) runs it too, and never refuses a claim.
    const api = `http://127.0.0.1:${port}`;
    const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    };
    const admin = String(running["adminToken"]);
    const second = await call<{ id: string }>(admin, "POST", "/v1/projects", { name: "second" });
    const secondKey = await call<{ key: string }>(admin, "POST", `/v1/projects/${second.id}/keys`, {
      role: "user",
    });
    const secondStudy = await call<{ id: string }>(
      secondKey.key,
      "POST",
      "/v1/studies",
      syntheticStudy({ name: "second-project", maxTrials: 4, parallelism: 2, steps: 2 }),
    );
    await waitFor(
      "the second project's study to complete",
      async () => {
        const study = await call<{ state: string }>(secondKey.key, "GET", `/v1/studies/${secondStudy.id}`);
        return study.state === "completed" ? study : undefined;
      },
      60_000,
      250,
    );
    expect(up.stdout()).not.toContain("trial not claimable");

    up.child.kill("SIGTERM");
    const ended = await up.done;
    expect(ended.code, ended.stdout.slice(-2000)).toBe(0);
    const stopped = records(ended.stdout).map((record) => record.msg);
    expect(stopped).toEqual(expect.arrayContaining(["stopping: worker, scheduler, API", "api exited (0)"]));
    // The run's worker key was revoked on the way out; the user key stays for the next run.
    const keys = await db.prisma.apiKey.findMany({ where: { role: "worker" } });
    expect(keys.map((key) => key.pool)).toEqual(["default"]);
    expect(keys.map((key) => key.revokedAt !== null)).toEqual([true]);
  }, 300_000);
});
