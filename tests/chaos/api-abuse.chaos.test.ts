import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestClient, type E2eStack } from "../e2e/support/e2e-stack.js";
import { repoRoot } from "../e2e/support/service-process.js";
import { checkHistory, violationCount } from "./support/checkers.js";
import { recordFigures, seconds } from "./support/figures.js";
import { History } from "./support/history.js";
import { chaosProfile } from "./support/profile.js";
import { startChaosStack } from "./support/scenario.js";

const run = promisify(execFile);
const profile = chaosProfile();

function definition(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [
      { name: "x", type: "float", low: -5, high: 5 },
      { name: "lr", type: "float", low: 1e-4, high: 1, log: true },
      { name: "c", type: "categorical", choices: ["a", "b"] },
    ],
    sampler: { type: "random" },
    budget: { maxTrials: 100_000, parallelism: 64 },
    trainer: { type: "external" },
    ...overrides,
  };
}

function rssKiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

interface Answer {
  status: number;
  body: unknown;
}

async function send(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  payload: string | Buffer | undefined,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
    ...(payload === undefined ? {} : { body: payload }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the checks below say so
  }
  return { status: response.status, body };
}

/** A 4xx in the one error shape; a 400 names the JSON path of each problem. */
function isPathedClientError(answer: Answer): boolean {
  if (answer.status < 400 || answer.status >= 500) return false;
  const error = (answer.body as { error?: { code?: unknown; details?: { issues?: unknown } | null } }).error;
  if (typeof error?.code !== "string") return false;
  if (answer.status !== 400) return true;
  const issues = error.details?.issues;
  return (
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every((issue: { path?: unknown }) => Array.isArray(issue.path))
  );
}

let stack: E2eStack;
beforeAll(async () => {
  // Asked trials are told at once; a long lease keeps a slow moment of the machine from expiring them.
  stack = await startChaosStack({
    label: "chaos_api",
    workers: [],
    env: { HPO_HEARTBEAT_GRACE_MS: "120000" },
  });
});
afterAll(async () => {
  await stack.dispose();
}, 60_000);

describe("chaos: ask race (scenario 7)", { timeout: profile.askRaceTimeoutMs + 60_000 }, () => {
  it(`numbers stay unique and dense under ${profile.askProcesses} processes asking at once`, async () => {
    const studyId = await stack.createStudy(definition("ask-race"));
    const started = Date.now();
    const outputs = await Promise.all(
      Array.from({ length: profile.askProcesses }, () =>
        run(
          process.execPath,
          [
            "--import",
            "tsx",
            "tests/chaos/support/ask-loop.ts",
            stack.apiUrl,
            stack.user.token,
            studyId,
            String(profile.asksPerProcess),
          ],
          { cwd: repoRoot, timeout: profile.askRaceTimeoutMs },
        ),
      ),
    );
    const elapsed = Date.now() - started;
    const history = new History();
    const asked = outputs.flatMap(({ stdout }) => {
      const line = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { numbers: number[] };
      return line.numbers;
    });
    const trials = await stack.db.prisma.trial.findMany({
      where: { studyId },
      select: { id: true, number: true, state: true, retryOf: true },
    });
    for (const trial of trials) history.record({ kind: "op", what: "ask", trialId: trial.id });
    const total = profile.askProcesses * profile.asksPerProcess;
    const violations = checkHistory({ trials, history, expectedComplete: total });
    recordFigures({
      id: "07-ask-race",
      title: "7. Ask race",
      figures: {
        processes: profile.askProcesses,
        "asks (each told at once)": total,
        "asks answered 200": asked.length,
        "duplicate numbers": violations.duplicates.length,
        gaps: violations.gaps.length,
        "asks per second": Math.round(total / (elapsed / 1000)),
      },
      violations,
      invariants: ["numbers unique and dense (0..n-1)", "every asked trial told and complete"],
    });
    expect(new Set(asked).size).toBe(total);
    expect(violationCount(violations), JSON.stringify(violations)).toBe(0);
  });
});

describe("chaos: bad input (scenario 9)", () => {
  const invalidDefinition = fc.oneof(
    fc
      .record({
        field: fc.constantFrom("objective", "space", "budget", "trainer", "name"),
        value: fc.oneof(
          fc.integer(),
          fc.constant(null),
          fc.array(fc.integer(), { maxLength: 3 }),
          fc.boolean(),
        ),
      })
      .map(({ field, value }) => definition("bad", { [field]: value })),
    fc
      .tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: 0, max: 1e6 }))
      .map(([low, delta]) =>
        definition("bad", { space: [{ name: "x", type: "float", low, high: low - delta }] }),
      ),
    fc
      .double({ noNaN: true, max: 0 })
      .map((low) => definition("bad", { space: [{ name: "x", type: "float", low, high: 10, log: true }] })),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter(
        (key) =>
          !["name", "objective", "space", "sampler", "budget", "trainer", "pruner", "seed"].includes(key),
      )
      .map((key) => ({ ...definition("bad"), [key]: { x: 1 } })),
    fc
      .constantFrom("__proto__", "constructor")
      .map((key) => `{"name":"bad","${key}":{"prototype":{"polluted":1}}}`),
    fc
      .record({ maxTrials: fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.1, max: 0.9 }), fc.string()) })
      .map(({ maxTrials }) => definition("bad", { budget: { maxTrials, parallelism: 1 } })),
  );

  it("answers every malformed request with a 4xx and its JSON path, never a 5xx, and creates nothing", async () => {
    const base = stack.apiUrl;
    const token = stack.user.token;
    const studiesBefore = await stack.db.prisma.study.count();
    const trialsBefore = await stack.db.prisma.trial.count();
    const api = stack.services.find((service) => service.name === "api");
    const rssBefore = rssKiB(api?.child.pid);
    const answers: Answer[] = [];
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(invalidDefinition, async (body) => {
        const payload = typeof body === "string" ? body : JSON.stringify(body);
        const answer = await send(base, token, "POST", "/v1/studies", payload);
        answers.push(answer);
        return isPathedClientError(answer);
      }),
      { numRuns: profile.badInputRuns, seed: 15 },
    );
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const handWritten: [string, string | Buffer, Record<string, string>?][] = [
      ["1e309", '{"name":"x","space":[{"name":"x","type":"float","low":0,"high":1e309}]}'],
      ["NaN", '{"name":"x","budget":{"maxTrials":NaN}}'],
      ["deep nesting", deep],
      [
        "a million choices",
        JSON.stringify(
          definition("c", {
            space: [
              { name: "c", type: "categorical", choices: Array.from({ length: 1_000_000 }, (_, i) => i) },
            ],
          }),
        ),
      ],
      ["2 MiB body", JSON.stringify(definition("x".repeat(2 * 1024 * 1024)))],
      [
        "invalid UTF-8",
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
      ],
      ["text/plain", JSON.stringify(definition("t")), { "content-type": "text/plain" }],
      ["form", "name=x", { "content-type": "application/x-www-form-urlencoded" }],
      ["NUL", JSON.stringify(definition("a\u0000b"))],
      ["lease token not a UUID", '{"leaseToken":"x","state":"complete"}'],
    ];
    const handAnswers: Record<string, number> = {};
    for (const [label, payload, headers] of handWritten) {
      const path = label === "lease token not a UUID" ? `/v1/trials/${randomUUID()}/tell` : "/v1/studies";
      const answer = await send(base, token, "POST", path, payload, headers);
      answers.push(answer);
      handAnswers[label] = answer.status;
      expect(
        isPathedClientError(answer),
        `${label}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
      ).toBe(true);
    }
    const elapsed = Date.now() - started;
    const rssAfter = rssKiB(api?.child.pid);
    const fiveHundreds = answers.filter((answer) => answer.status >= 500).length;
    recordFigures({
      id: "09-bad-input",
      title: "9. Bad input",
      figures: {
        "generated requests (fast-check)": profile.badInputRuns,
        "hand-written requests": handWritten.length,
        "5xx answers": fiveHundreds,
        "answers without a JSON path": answers.filter((answer) => !isPathedClientError(answer)).length,
        "rows created":
          (await stack.db.prisma.study.count()) -
          studiesBefore +
          ((await stack.db.prisma.trial.count()) - trialsBefore),
        "API RSS before (MiB)": Math.round(rssBefore / 1024),
        "API RSS after (MiB)": Math.round(rssAfter / 1024),
        "duration (s)": seconds(elapsed),
      },
      violations: null,
      invariants: [
        "every answer 4xx in the error shape, 400s with the JSON path of each problem",
        "no 5xx",
        "no row created",
        "API memory steady",
      ],
    });
    expect(fiveHundreds).toBe(0);
    expect(await stack.db.prisma.study.count()).toBe(studiesBefore);
    expect(await stack.db.prisma.trial.count()).toBe(trialsBefore);
  });
});

describe("chaos: cross-project (scenario 10)", () => {
  it("answers 404 on every route for another project's ids; worker keys stay off user routes; revoked keys fail", async () => {
    const admin = new RestClient(stack.apiUrl, stack.adminToken);
    const other = await admin.ok<{ id: string }>("POST", "/v1/projects", { name: "chaos-other" });
    const otherUser = new RestClient(
      stack.apiUrl,
      (await admin.ok<{ key: string }>("POST", `/v1/projects/${other.id}/keys`, { role: "user" })).key,
    );
    const otherAdminKey = await admin.ok<{ id: string; key: string }>(
      "POST",
      `/v1/projects/${other.id}/keys`,
      {
        role: "admin",
      },
    );
    const studyId = await otherUser
      .ok<{ id: string }>("POST", "/v1/studies", definition("secret"))
      .then((s) => s.id);
    const trial = await otherUser.ok<{ id: string; leaseToken: string }>(
      "POST",
      `/v1/studies/${studyId}/ask`,
      {},
    );
    const lease = { leaseToken: trial.leaseToken };
    const routes = (
      study: string,
      trialId: string,
      project: string,
      key: string,
    ): [string, string, unknown?][] => [
      ["GET", `/v1/studies/${study}`],
      ["PATCH", `/v1/studies/${study}`, { action: "pause" }],
      ["GET", `/v1/studies/${study}/trials`],
      ["GET", `/v1/studies/${study}/trials/count`],
      ["POST", `/v1/studies/${study}/trials`, { params: { x: 1, lr: 0.1, c: "a" } }],
      ["POST", `/v1/studies/${study}/ask`, {}],
      ["GET", `/v1/studies/${study}/summary`],
      ["GET", `/v1/studies/${study}/heatmap?x=x&y=lr`],
      ["GET", `/v1/studies/${study}/trials?format=csv`],
      ["GET", `/v1/studies/${study}/pareto`],
      ["GET", `/v1/studies/${study}/importance`],
      ["GET", `/v1/studies/${study}/events`],
      ["GET", `/v1/trials/${trialId}`],
      ["GET", `/v1/trials/${trialId}/logs`],
      ["POST", `/v1/trials/${trialId}/claim`, { workerId: "w" }],
      ["POST", `/v1/trials/${trialId}/heartbeat`, lease],
      ["POST", `/v1/trials/${trialId}/report`, { ...lease, step: 0, value: 1 }],
      ["POST", `/v1/trials/${trialId}/logs`, { ...lease, text: "x" }],
      ["POST", `/v1/trials/${trialId}/release`, { ...lease, reason: "x" }],
      ["POST", `/v1/trials/${trialId}/tell`, { ...lease, state: "complete", value: 1 }],
      ["DELETE", `/v1/studies/${study}`],
      ["GET", `/v1/projects/${project}/keys`],
      ["POST", `/v1/projects/${project}/keys`, { role: "user" }],
      ["DELETE", `/v1/keys/${key}`],
    ];
    const callers = [stack.user, new RestClient(stack.apiUrl, stack.adminToken)];
    const ownAdmin = await admin.ok<{ items: { id: string; name: string }[] }>("GET", "/v1/projects");
    const ownProject = ownAdmin.items.find((project) => project.id !== other.id)?.id ?? "";
    const ownAdminKey = await admin.ok<{ key: string }>("POST", `/v1/projects/${ownProject}/keys`, {
      role: "admin",
    });
    callers[1] = new RestClient(stack.apiUrl, ownAdminKey.key);
    let tried = 0;
    const leaks: string[] = [];
    const call = async (client: RestClient, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${client.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5_000),
      });
      const text = await response.text();
      return { status: response.status, text };
    };
    for (const caller of callers) {
      for (const ids of [
        [studyId, trial.id, other.id, otherAdminKey.id],
        [randomUUID(), randomUUID(), randomUUID(), randomUUID()],
      ] as const) {
        for (const [method, path, body] of routes(ids[0], ids[1], ids[2], ids[3])) {
          const answer = await call(caller, method, path, body);
          tried++;
          const ownRoleForbidden = answer.status === 403;
          if (!(answer.status === 404 || ownRoleForbidden) || answer.text.includes("secret")) {
            leaks.push(`${method} ${path} -> ${answer.status} ${answer.text.slice(0, 200)}`);
          }
        }
      }
    }
    // The project-wide reads list nothing of the other project.
    for (const caller of callers) {
      for (const path of ["/v1/studies", "/v1/running-trials"]) {
        const answer = await call(caller, "GET", path);
        tried++;
        if (answer.status !== 200 || answer.text.includes(studyId) || answer.text.includes(trial.id)) {
          leaks.push(`GET ${path} -> ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
    }
    const untouched = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
    expect(untouched.state).toBe("running");
    expect((await stack.db.prisma.study.findUniqueOrThrow({ where: { id: studyId } })).state).toBe("running");

    const workerOnUserRoutes = await Promise.all([
      call(stack.worker, "POST", "/v1/studies", definition("w")),
      call(stack.worker, "GET", "/v1/projects"),
      call(stack.worker, "POST", `/v1/projects/${ownProject}/keys`, { role: "admin" }),
    ]);
    const revocable = await admin.ok<{ id: string; key: string }>("POST", `/v1/projects/${ownProject}/keys`, {
      role: "user",
    });
    const revokedClient = new RestClient(stack.apiUrl, revocable.key);
    const beforeRevoke = (await call(revokedClient, "GET", "/v1/studies")).status;
    await admin.ok("DELETE", `/v1/keys/${revocable.id}`);
    const afterRevoke = (await call(revokedClient, "GET", "/v1/studies")).status;
    recordFigures({
      id: "10-cross-project",
      title: "10. Cross-project",
      figures: {
        "requests with another project's or guessed ids": tried,
        "answers other than 404 (or 403 for the role)": leaks.length,
        "worker key on user/admin routes": workerOnUserRoutes.map((answer) => answer.status).join(", "),
        "revoked key: status before, after": `${beforeRevoke}, ${afterRevoke}`,
      },
      violations: null,
      invariants: [
        "every route with another project's real or guessed ids answers 404 with no data",
        "worker keys get 403 on user and admin routes",
        "a revoked key fails (401) on its next request",
      ],
    });
    expect(leaks).toEqual([]);
    expect(workerOnUserRoutes.map((answer) => answer.status)).toEqual([403, 403, 403]);
    expect([beforeRevoke, afterRevoke]).toEqual([200, 401]);
  });
});
