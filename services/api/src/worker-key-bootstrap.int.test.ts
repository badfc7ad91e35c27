import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { hashApiKeySecret } from "@hpo/api";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const workerToken = `hpo_${randomBytes(24).toString("base64url")}`;
let db: TestDatabase;
const replicas: { child: ChildProcess; url: Promise<string>; output: () => string }[] = [];

/** One API process, as Compose or Kubernetes start it, with the shared worker key secret. */
function startReplica(): (typeof replicas)[number] {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", "services/api/src/main.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: "0",
        HOST: "127.0.0.1",
        HPO_ADMIN_TOKEN: "",
        HPO_WORKER_TOKEN: workerToken,
        HPO_REDIS_PREFIX: `hpo-test-${randomBytes(4).toString("hex")}`,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; output:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited ${String(code)}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

beforeAll(async () => {
  db = await createTestDatabase("api_worker_key");
  // Two replicas starting at the same moment race to create the key and the default project.
  replicas.push(startReplica(), startReplica());
  await Promise.all(replicas.map((replica) => replica.url));
});

afterAll(async () => {
  for (const { child } of replicas)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await db.dispose();
});

describe("HPO_WORKER_TOKEN bootstrap (services/api main)", () => {
  it("makes the shared secret a worker key of project default, once, on every replica", async () => {
    for (const replica of replicas) {
      const url = await replica.url;
      const headers = { authorization: `Bearer ${workerToken}`, "content-type": "application/json" };
      expect((await fetch(`${url}/v1/workers`, { headers })).status, replica.output()).toBe(200);
      // It is a worker key: it may not create studies.
      const create = await fetch(`${url}/v1/studies`, { method: "POST", headers, body: "{}" });
      expect(create.status).toBe(403);
    }
    const keys = await db.prisma.apiKey.findMany({ include: { project: true } });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ role: "worker", hash: hashApiKeySecret(workerToken) });
    expect(keys[0]?.project?.name).toBe("default");
    // An empty HPO_ADMIN_TOKEN counts as unset: each replica generated and printed one.
    for (const replica of replicas) expect(replica.output()).toMatch(/this run's admin token: hpo_admin_/);
  });
});
