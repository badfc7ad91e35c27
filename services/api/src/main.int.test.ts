import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const adminToken = `admin-${randomBytes(12).toString("hex")}`;
let db: TestDatabase;
let child: ChildProcess;
let baseUrl = "";
let output = "";

beforeAll(async () => {
  db = await createTestDatabase("api_main");
  child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", "services/api/src/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: "0",
      HOST: "127.0.0.1",
      HPO_ADMIN_TOKEN: adminToken,
      HPO_REDIS_PREFIX: `hpo-test-${randomBytes(4).toString("hex")}`,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; output:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited ${String(code)}:\n${output}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await db.dispose();
});

describe("services/api main", () => {
  it("prints its URL, serves requests, and on SIGTERM lets in-flight requests finish and exits 0", async () => {
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const requests = Array.from({ length: 20 }, (_, i) =>
      fetch(`${baseUrl}/v1/projects`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `p${i}` }),
      }).then(
        (response) => response.status,
        () => "refused" as const,
      ),
    );
    await requests[0];
    child.kill("SIGTERM");
    const statuses = await Promise.all(requests);
    expect(await exited, output).toBe(0);
    // Every request either completed or was turned away cleanly; none failed half-way.
    for (const status of statuses) expect([201, 503, "refused"]).toContain(status);
    const created = statuses.filter((status) => status === 201).length;
    expect(await db.prisma.project.count({ where: { name: { startsWith: "p" } } })).toBe(created);
  });
});
