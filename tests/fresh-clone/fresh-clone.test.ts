import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, repoRoot, waitFor } from "../e2e/support/service-process.js";

const run = promisify(execFile);

/**
 * What a newcomer does, on a fresh clone of this repository (its committed HEAD): `npm ci`, `npm start`,
 * then the README's next steps: a study submitted with curl and the printed key, `npx hpo study create
 * --watch`, and `npx hpo demo` with its default budget. Minutes long, so it runs only in .ci/run (and by
 * `npm run test:fresh-clone`), never in `npm test`.
 */
describe.runIf(process.env["HPO_FRESH_CLONE_TEST"] === "1")(
  "fresh clone: npm ci, npm start, then the CLI",
  () => {
    const folder = mkdtempSync(join(tmpdir(), "hpo-fresh-clone-"));
    const clone = join(folder, "hpo");
    const database = `hpo_fresh_${randomBytes(4).toString("hex")}`;
    const serverUrl = process.env["HPO_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432";
    const databaseUrl = new URL(`/${database}`, serverUrl).toString();
    const prefix = `hpofresh-${randomBytes(4).toString("hex")}`;
    let start: ReturnType<typeof spawn> | null = null;
    let output = "";

    afterAll(async () => {
      if (start?.pid !== undefined && start.exitCode === null && start.signalCode === null) {
        try {
          process.kill(-start.pid, "SIGKILL");
        } catch {
          // the group is gone already
        }
      }
      const admin = new pg.Client({ connectionString: new URL("/postgres", serverUrl).toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
      rmSync(folder, { recursive: true, force: true });
    }, 120_000);

    it("starts with the README's two commands and runs the README's studies", async () => {
      await run("git", ["clone", "--quiet", repoRoot, clone]);
      // npm's cache makes this fast when the registry was used before; the Prisma client is generated offline.
      await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
        cwd: clone,
        maxBuffer: 64 << 20,
      });

      const port = await freePort();
      const env = {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        HPO_REDIS_PREFIX: prefix,
        HPO_QUEUE_PREFIX: prefix,
        HPO_CONFIG: join(folder, "config.json"),
        LOG_FORMAT: "json",
      };
      // Its own process group, as a terminal would run it: Ctrl-C (here SIGINT) goes to the whole group.
      start = spawn("npm", ["start"], { cwd: clone, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      start.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      start.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      const running = await waitFor(
        "npm start to print that hpo is running",
        () => {
          const line = output.split("\n").find((entry) => entry.includes('"msg":"hpo is running"'));
          return Promise.resolve(
            line === undefined ? undefined : (JSON.parse(line) as { apiUrl: string; userKey: string }),
          );
        },
        300_000,
        500,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${output.slice(-4000)}`);
      });
      const apiUrl = `http://127.0.0.1:${port}`;
      expect(running.apiUrl).toBe(apiUrl);
      expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);

      // The README's curl path: POST the example with the printed key, then see it complete.
      const headers = { authorization: `Bearer ${running.userKey}`, "content-type": "application/json" };
      const { readFile } = await import("node:fs/promises");
      const created = await fetch(`${apiUrl}/v1/studies`, {
        method: "POST",
        headers,
        body: await readFile(join(clone, "examples/synthetic/branin-study.json"), "utf8"),
      });
      expect(created.status).toBe(201);
      const study = (await created.json()) as { id: string };
      const completed = await waitFor(
        "the branin study to complete",
        async () => {
          const reply = (await (await fetch(`${apiUrl}/v1/studies/${study.id}`, { headers })).json()) as {
            state: string;
            counts: { complete: number };
          };
          return reply.state === "completed" ? reply : undefined;
        },
        300_000,
        1_000,
      );
      expect(completed.counts.complete).toBe(30);

      // The CLI path, from the profile npm start saved: the same study file, watched live, exit 0.
      const cli = (args: string[]) => run("npx", ["hpo", ...args], { cwd: clone, env, maxBuffer: 16 << 20 });
      const watched = await cli([
        "study",
        "create",
        "-f",
        "examples/synthetic/branin-study.json",
        "--name",
        "branin-cli",
        "--watch",
      ]);
      expect(watched.stdout).toContain("study branin-cli completed (max_trials): 30/30 trials; complete 30");

      // The demo with its default budget: real tfjs trials, then the initializer report.
      const demo = await cli(["demo"]);
      expect(demo.stdout).toContain("What the demo learned (val_accuracy, higher is better)");
      expect(demo.stdout).toMatch(/initializers from best to worst: (\w+ > ){3}\w+/);
      expect(demo.stdout).toMatch(/completed \(max_trials\): 16\/16 trials/);

      // Ctrl-C stops everything cleanly: npm itself ends by the signal, hpo stops the worker, the scheduler,
      // then the API, each exiting 0.
      const pid = start.pid ?? 0;
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        start?.once("exit", (code, signal) => resolve({ code, signal })),
      );
      process.kill(-pid, "SIGINT");
      const npmExit = await exited;
      expect(npmExit.code === 0 || npmExit.signal === "SIGINT", JSON.stringify(npmExit)).toBe(true);
      await waitFor(
        "the API to stop last",
        () => Promise.resolve(output.includes('"msg":"api exited (0)"') || undefined),
        60_000,
        250,
      );
      expect(output).toContain('"msg":"stopping: worker, scheduler, API"');
      expect(output).toContain('"msg":"worker exited (0)"');
      expect(output).toContain('"msg":"scheduler exited (0)"');
    }, 1_500_000);
  },
);
