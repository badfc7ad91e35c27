import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "../e2e/support/e2e-stack.js";
import { waitFor } from "../e2e/support/service-process.js";
import { syntheticStudy } from "../e2e/support/study-fixtures.js";
import { jsonOf, privateConfigPath, runCli, startCli } from "./support/run-cli.js";

/** The real `hpo` as a process against a real API, scheduler and worker (Postgres, Redis). */
describe("e2e: the hpo CLI", () => {
  let stack: E2eStack;
  let env: Record<string, string>;
  const files = mkdtempSync(join(tmpdir(), "hpo-cli-files-"));
  const file = (name: string, text: string) => {
    const path = join(files, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    stack = await E2eStack.start({ label: "cli", workers: [{ concurrency: 2 }] });
    env = { HPO_API_URL: stack.apiUrl, HPO_TOKEN: stack.user.token, HPO_CONFIG: privateConfigPath() };
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("refuses a study file with a YAML error, pointing at the line, column and key (exit 3)", async () => {
    const broken = file(
      "broken.yaml",
      "name: broken\nobjective:\n  metric: loss\n  direction: minimize\nspace:\n  - name: x\n    type: float\n    low: [0, 1\n    high: 1\nbudget:\n  maxTrials: 3\n",
    );
    const result = await runCli(["study", "create", "-f", broken], env);
    // (each CLI run starts a Node process through tsx: seconds on a loaded machine)
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/broken\.yaml:9:5 \(under space\.0[.\w]*\): Flow sequence/);

    const invalid = file(
      "invalid.yaml",
      "name: invalid\nobjective:\n  metric: loss\n  direction: sideways\nspace:\n  - name: x\n    type: float\n    low: 0\n    high: one\nbudget:\n  maxTrials: 3\n",
    );
    const refused = await runCli(["study", "create", "-f", invalid], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("invalid.yaml:4:14 (objective.direction):");
    expect(refused.stderr).toContain("invalid.yaml:9:11 (space.0.high):");
  }, 120_000);

  it("creates a synthetic study from YAML with --watch: live progress lines, a summary, exit 0", async () => {
    await stack.explain(async () => {
      const study = file(
        "study.yaml",
        stringify(
          syntheticStudy({ name: "cli-watch", maxTrials: 6, parallelism: 2, steps: 3, stepDelayMs: 50 }),
        ),
      );
      const result = await runCli(["study", "create", "-f", study, "--watch"], env, 150_000);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/trial #\d+ complete loss=\S+ {2}\[\d\/6\]/);
      expect(result.stdout).toContain("study cli-watch completed (max_trials): 6/6 trials; complete 6");
      expect(result.stdout).toMatch(/best: \S+ \(trial #\d+\) {2}x1=\S+ x2=\S+/);
    });
  }, 180_000);

  it("watches a study already running until it completes, then reads its trials", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "cli-running", maxTrials: 6, parallelism: 2, steps: 3, stepDelayMs: 300 }),
      );
      await waitFor(
        "a trial to start",
        async () => (await stack.trials(studyId)).some((t) => t.state === "running"),
        60_000,
        200,
      );
      const watched = await runCli(["study", "watch", "cli-running"], env, 150_000);
      expect(watched.code, watched.stderr).toBe(0);
      expect(watched.stdout).toContain("study cli-running completed (max_trials): 6/6 trials");

      const [listed, top, best, shown, logs, studies, workers] = await Promise.all([
        runCli(["trials", "cli-running", "--format", "json"], env),
        runCli(["trials", studyId, "--sort", "value", "--top", "2", "--format", "csv"], env),
        runCli(["best", "cli-running", "--json"], env),
        runCli(["trial", "show", "cli-running", "0"], env),
        runCli(["logs", "cli-running", "0"], env),
        runCli(["study", "ls", "--json"], env),
        runCli(["workers", "--json"], env),
      ]);
      const trials = jsonOf(listed) as { number: number; state: string; value: number }[];
      expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4, 5]);
      const values = trials.map((trial) => trial.value).sort((a, b) => a - b);
      const csv = top.stdout.trim().split("\n");
      expect(csv).toHaveLength(3);
      expect(csv[0]).toContain("number");
      expect((jsonOf(best) as { value: number }).value).toBe(values[0]);
      expect(shown.stdout).toMatch(/trial #0 .*\nstate: {5}complete/);
      expect(shown.stdout).toMatch(/step +│ value/);
      expect(logs.code).toBe(0);
      expect((jsonOf(studies) as { name: string }[]).map((study) => study.name)).toContain("cli-running");
      expect((jsonOf(workers) as { alive: boolean }[]).some((worker) => worker.alive)).toBe(true);
    });
  }, 240_000);

  it("exits 8 from watch when the study is stopped (hpo study stop)", async () => {
    await stack.explain(async () => {
      await stack.createStudy(
        syntheticStudy({ name: "cli-stop", maxTrials: 50, parallelism: 1, steps: 20, stepDelayMs: 500 }),
      );
      const watching = startCli(["study", "watch", "cli-stop"], env);
      // Stopped while watched (or, on a slow machine, before the watch connected: it exits 8 either way).
      await waitFor(
        "the watch to draw a line",
        () => Promise.resolve(watching.stdout().length > 0 || undefined),
        60_000,
        200,
      ).catch(() => undefined);
      const stopped = await runCli(["study", "stop", "cli-stop"], env);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain("cli-stop: stopped");
      const result = await watching.done;
      expect(result.code, result.stdout + result.stderr).toBe(8);
      expect(result.stdout).toContain("study cli-stop stopped");
    });
  }, 300_000);

  it("adds a manual trial with params typed by the space, and changes parallelism and state", async () => {
    await stack.user.ok("POST", "/v1/studies", {
      name: "cli-manual",
      objective: { metric: "loss", direction: "minimize" },
      space: [
        { name: "x", type: "float", low: -5, high: 5 },
        { name: "batch", type: "categorical", choices: [32, 64] },
        { name: "optimizer", type: "categorical", choices: ["sgd", "adam"] },
      ],
      budget: { maxTrials: 5 },
    });
    const added = await runCli(
      ["trial", "add", "cli-manual", "-p", "x=1.5", "-p", "batch=64", "-p", "optimizer=adam", "--json"],
      env,
    );
    expect(jsonOf(added) as { params: unknown; origin: string }).toMatchObject({
      params: { x: 1.5, batch: 64, optimizer: "adam" },
      origin: "manual",
    });
    const wrong = await runCli(["trial", "add", "cli-manual", "-p", "optimizer=rmsprop"], env);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("optimizer must be one of sgd, adam");
    const parallel = await runCli(["study", "parallelism", "cli-manual", "3", "--json"], env);
    expect(
      (jsonOf(parallel) as { definition: { budget: { parallelism: number } } }).definition.budget.parallelism,
    ).toBe(3);
    const paused = await runCli(["study", "pause", "cli-manual"], env);
    expect(paused.stdout).toContain("cli-manual: paused");
  }, 300_000);

  it("manages keys with an admin key; login saves a profile later commands use", async () => {
    const admin = { ...env, HPO_TOKEN: stack.adminToken };
    const project = `e2e-${stack.prefix}`;
    const created = jsonOf(
      await runCli(["keys", "create", "--role", "user", "--project", project, "--json"], admin),
    ) as { id: string; key: string; role: string };
    expect(created.role).toBe("user");
    const listed = jsonOf(await runCli(["keys", "ls", "--project", project, "--json"], admin)) as {
      id: string;
    }[];
    expect(listed.map((key) => key.id)).toContain(created.id);

    const config = privateConfigPath();
    const login = await runCli(["login", "--api-url", stack.apiUrl, "--token", created.key], {
      HPO_CONFIG: config,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, "utf8"))).toMatchObject({
      profile: "default",
      profiles: { default: { apiUrl: stack.apiUrl, token: created.key } },
    });
    const viaProfile = await runCli(["study", "ls", "--json"], { HPO_CONFIG: config });
    expect(viaProfile.code, viaProfile.stderr).toBe(0);

    expect((await runCli(["keys", "revoke", created.id], admin)).code).toBe(0);
    const revoked = await runCli(["study", "ls"], { HPO_CONFIG: config });
    expect(revoked.code).toBe(4);
  }, 300_000);

  it("prints the dashboard URL with the key in its fragment", async () => {
    const result = jsonOf(await runCli(["dashboard", "cli-manual", "--json"], env)) as { url: string };
    const url = new URL(result.url);
    expect(url.origin).toBe(stack.apiUrl);
    expect(url.pathname).toMatch(/^\/studies\/[0-9a-f-]{36}$/);
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get("key")).toBe(stack.user.token);
  }, 120_000);

  it("ends with the documented exit codes: usage 2, no key 4, not found 5, unreachable 7", async () => {
    const [usage, noKey, missing, unreachable] = await Promise.all([
      runCli(["trials", "x", "--sort", "sideways"], env),
      runCli(["study", "ls"], { HPO_API_URL: stack.apiUrl, HPO_CONFIG: privateConfigPath() }),
      runCli(["study", "show", "no-such-study", "--json"], env),
      runCli(["study", "ls"], { ...env, HPO_API_URL: "http://127.0.0.1:1" }),
    ]);
    expect(usage.code).toBe(2);
    expect(noKey.code).toBe(4);
    expect(noKey.stderr).toContain("no API key");
    expect(missing.code).toBe(5);
    expect(JSON.parse(missing.stderr)).toMatchObject({ exitCode: 5 });
    expect(unreachable.code).toBe(7);
  }, 300_000);
});
