import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "../e2e/support/e2e-stack.js";
import { repoRoot } from "../e2e/support/service-process.js";

/**
 * The Python client's own unittest suite (clients/python/tests), run with this machine's python3
 * against a real API and scheduler started here as processes, with their own database and Redis prefix.
 * One vitest test per Python test module, so a failure names the module and shows its output.
 */
const testsDir = "clients/python/tests";
const modules = readdirSync(`${repoRoot}${testsDir}`)
  .filter((name) => /^test_.*\.py$/.test(name))
  .sort();
/** Short, so the heartbeat test proves a lease outlives it within seconds. */
const heartbeatGraceMs = 6000;

let stack: E2eStack;

beforeAll(async () => {
  stack = await E2eStack.start({
    label: "pyclient",
    workers: [],
    env: { HPO_HEARTBEAT_GRACE_MS: String(heartbeatGraceMs) },
  });
});

afterAll(async () => {
  await stack.dispose();
});

interface PythonRun {
  code: number | null;
  output: string;
}

function runUnittest(module: string): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-m", "unittest", "discover", "-v", "-s", testsDir, "-p", module], {
      cwd: repoRoot,
      env: {
        ...process.env,
        HPO_API_URL: stack.apiUrl,
        HPO_TOKEN: stack.user.token,
        HPO_TEST_REQUIRE_API: "1",
        HPO_TEST_HEARTBEAT_GRACE_MS: String(heartbeatGraceMs),
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONUNBUFFERED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) =>
      reject(new Error(`python3 could not start (Python 3.9+ is needed): ${error.message}`)),
    );
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("Python client (clients/python) against the real API", () => {
  it("has test modules", () => {
    expect(modules.length).toBeGreaterThanOrEqual(6);
  });

  it.each(modules)(
    "%s passes, with nothing skipped",
    async (module) => {
      const run = await runUnittest(module);
      expect(run.code, run.output).toBe(0);
      // "OK" alone: "OK (skipped=1)" would mean a check silently did not run here.
      expect(run.output, run.output).toMatch(/^OK$/m);
      expect(run.output).toMatch(/^Ran [1-9]\d* tests? in /m);
    },
    240_000,
  );
});
