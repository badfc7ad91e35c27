import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";

interface Issue {
  in: string;
  path: (string | number)[];
  message: string;
}
interface ErrorReply {
  error: { code: string; message: string; details: { issues?: Issue[] } | null };
}
interface StudyReply {
  id: string;
  name: string;
  state: string;
  definition: { budget: { maxTrials: number; parallelism: number }; sampler: { type: string } };
  counts: Record<string, number>;
  best: unknown;
  progress: { finished: number; maxTrials: number };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let h: ApiHarness;
let a: TenantKeys;
let b: TenantKeys;
beforeAll(async () => {
  h = await startApiHarness("api_studies");
  a = await h.createTenant("studies-a");
  b = await h.createTenant("studies-b");
});
afterAll(async () => {
  await h.close();
});

const create = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  h.request<StudyReply & ErrorReply>("POST", "/v1/studies", { token, body, headers });

describe("POST /v1/studies", () => {
  it("creates a study with defaults applied, counts and no best yet", async () => {
    const created = await create(a.user, exampleDefinition("s-create"));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.state).toBe("running");
    expect(created.body.counts["total"]).toBe(0);
    expect(created.body.best).toBeNull();
    expect(created.body.progress).toEqual({ finished: 0, maxTrials: 20, fraction: 0 });
    expect(created.body.definition).toMatchObject({
      trainer: { type: "external" },
      pruner: { type: "none" },
    });
  });

  it.each([
    ["low >= high", { space: [{ name: "x", type: "float", low: 1, high: 1 }] }, ["space", 0]],
    [
      "duplicate names",
      {
        space: [
          { name: "x", type: "float", low: 0, high: 1 },
          { name: "x", type: "int", low: 0, high: 3 },
        ],
      },
      ["space", 1],
    ],
    [
      "log with low <= 0",
      { space: [{ name: "x", type: "float", low: 0, high: 1, log: true }] },
      ["space", 0],
    ],
    ["empty choices", { space: [{ name: "c", type: "categorical", choices: [] }] }, ["space", 0]],
    ["unknown field", { colour: "red" }, []],
    ["unknown trainer kind", { trainer: { type: "magic" } }, ["trainer"]],
    ["bad direction", { objective: { metric: "loss", direction: "up" } }, ["objective", "direction"]],
    ["missing budget", { budget: undefined }, ["budget"]],
  ])("rejects %s with 400 and the JSON path", async (_label, override, pathStart) => {
    const body = { ...exampleDefinition("s-invalid"), ...override };
    const reply = await create(a.user, JSON.parse(JSON.stringify(body)) as unknown);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    const issues = reply.body.error.details?.issues ?? [];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((issue) => pathStart.every((key, i) => issue.path[i] === key))).toBe(true);
    expect(issues.every((issue) => issue.in === "body" && issue.message.length > 0)).toBe(true);
  });

  it("rejects a body that is not an object and a duplicate name", async () => {
    expect((await create(a.user, [1, 2])).status).toBe(400);
    await create(a.user, exampleDefinition("s-dup"));
    const again = await create(a.user, exampleDefinition("s-dup"));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("name_taken");
    // Names are per project: project B may use it.
    expect((await create(b.user, exampleDefinition("s-dup"))).status).toBe(201);
  });

  it("is idempotent with an Idempotency-Key, also for concurrent repeats", async () => {
    const headers = { "idempotency-key": "key-123" };
    const replies = await Promise.all(
      [1, 2, 3].map(() => create(a.user, exampleDefinition("s-idem"), headers)),
    );
    expect(replies.map((reply) => reply.status)).toEqual([201, 201, 201]);
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect(await h.prisma.study.count({ where: { name: "s-idem" } })).toBe(1);
    const different = await create(a.user, exampleDefinition("s-idem-2"), headers);
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe("idempotency_conflict");
    // The same key in another project is another study.
    expect((await create(b.user, exampleDefinition("s-idem"), headers)).status).toBe(201);
    const badKey = await create(a.user, exampleDefinition("s-idem-3"), {
      "idempotency-key": "x".repeat(300),
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details?.issues?.[0]).toMatchObject({
      in: "headers",
      path: ["idempotency-key"],
    });
  });
});

describe("GET /v1/studies", () => {
  it("pages with a cursor that stays stable while studies are created concurrently", async () => {
    const tenant = await h.createTenant("studies-paging");
    for (let i = 0; i < 7; i++)
      expect((await create(tenant.user, exampleDefinition(`page-${i}`))).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const url: string = `/v1/studies?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const [page] = await Promise.all([
        h.request<Page<StudyReply>>("GET", url, { token: tenant.user }),
        create(tenant.user, exampleDefinition(`page-new-${round}`)),
      ]);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.name));
      cursor = page.body.nextCursor;
      round++;
    } while (cursor && round < 20);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 0; i < 7; i++) expect(seen).toContain(`page-${i}`);
  });

  it("filters by state and name, and validates its query", async () => {
    const tenant = await h.createTenant("studies-filter");
    const one = await create(tenant.user, exampleDefinition("alpha-one"));
    await create(tenant.user, exampleDefinition("beta-two"));
    await h.request("PATCH", `/v1/studies/${one.body.id}`, { token: tenant.user, body: { action: "pause" } });
    const paused = await h.request<Page<StudyReply>>("GET", "/v1/studies?state=paused", {
      token: tenant.user,
    });
    expect(paused.body.items.map((item) => item.name)).toEqual(["alpha-one"]);
    const named = await h.request<Page<StudyReply>>("GET", "/v1/studies?name=BETA", { token: tenant.user });
    expect(named.body.items.map((item) => item.name)).toEqual(["beta-two"]);
    const bad = await h.request<ErrorReply>("GET", "/v1/studies?state=sleeping&limit=0", {
      token: tenant.user,
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details?.issues?.map((issue) => `${issue.in}:${issue.path[0] ?? ""}`);
    expect(paths).toEqual(expect.arrayContaining(["query:state", "query:limit"]));
    const badCursor = await h.request<ErrorReply>("GET", "/v1/studies?cursor=garbage", {
      token: tenant.user,
    });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe("invalid_cursor");
  });
});

describe("GET, PATCH, DELETE /v1/studies/:id", () => {
  it("reads a study and changes state, parallelism and maxTrials", async () => {
    const created = await create(a.user, exampleDefinition("s-patch"));
    const id = created.body.id;
    expect((await h.request<StudyReply>("GET", `/v1/studies/${id}`, { token: a.user })).body.name).toBe(
      "s-patch",
    );
    const paused = await h.request<StudyReply>("PATCH", `/v1/studies/${id}`, {
      token: a.user,
      body: { action: "pause", parallelism: 2, maxTrials: 5 },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe("paused");
    expect(paused.body.definition.budget).toMatchObject({ parallelism: 2, maxTrials: 5 });
    const resumed = await h.request<StudyReply>("PATCH", `/v1/studies/${id}`, {
      token: a.user,
      body: { action: "resume" },
    });
    expect(resumed.body.state).toBe("running");
    const stopped = await h.request<StudyReply>("PATCH", `/v1/studies/${id}`, {
      token: a.user,
      body: { action: "stop" },
    });
    expect(stopped.body.state).toBe("stopped");
    const again = await h.request<ErrorReply>("PATCH", `/v1/studies/${id}`, {
      token: a.user,
      body: { action: "resume" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_transition");
  });

  it("validates PATCH bodies with paths", async () => {
    const created = await create(a.user, exampleDefinition("s-patch-bad"));
    const bad = await h.request<ErrorReply>("PATCH", `/v1/studies/${created.body.id}`, {
      token: a.user,
      body: { action: "explode", parallelism: 0 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details?.issues?.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["action", "parallelism"]));
    expect(
      (await h.request("PATCH", `/v1/studies/${created.body.id}`, { token: a.user, body: {} })).status,
    ).toBe(400);
  });

  it("answers 4xx, never 5xx, when a study is deleted while it is being changed", async () => {
    const created = await create(a.user, exampleDefinition("s-race"));
    const id = created.body.id;
    const replies = await Promise.all([
      h.request("PATCH", `/v1/studies/${id}`, { token: a.user, body: { action: "pause" } }),
      h.request("DELETE", `/v1/studies/${id}`, { token: a.user }),
      h.request("POST", `/v1/studies/${id}/ask`, { token: a.user, body: {} }),
      h.request("PATCH", `/v1/studies/${id}`, { token: a.user, body: { maxTrials: 3 } }),
      h.request("POST", `/v1/studies/${id}/trials`, {
        token: a.user,
        body: { params: { x: 0, opt: "sgd" } },
      }),
    ]);
    for (const reply of replies) expect(reply.status).toBeLessThan(500);
    expect((await h.request("GET", `/v1/studies/${id}`, { token: a.user })).status).toBe(404);
  });

  it("deletes a study and its trials", async () => {
    const created = await create(a.user, exampleDefinition("s-delete"));
    await h.request("POST", `/v1/studies/${created.body.id}/ask`, { token: a.user, body: {} });
    expect((await h.request("DELETE", `/v1/studies/${created.body.id}`, { token: a.user })).status).toBe(204);
    expect((await h.request("GET", `/v1/studies/${created.body.id}`, { token: a.user })).status).toBe(404);
    expect(await h.prisma.trial.count({ where: { studyId: created.body.id } })).toBe(0);
  });

  it("never shows another project's study: every study route answers 404 and changes nothing", async () => {
    const theirs = await create(b.user, exampleDefinition("s-private"));
    const id = theirs.body.id;
    const attempts = [
      h.request("GET", `/v1/studies/${id}`, { token: a.user }),
      h.request("PATCH", `/v1/studies/${id}`, { token: a.user, body: { action: "stop" } }),
      h.request("DELETE", `/v1/studies/${id}`, { token: a.user }),
      h.request("GET", `/v1/studies/${id}/trials`, { token: a.user }),
      h.request("GET", `/v1/studies/${id}/trials?format=csv`, { token: a.user }),
      h.request("POST", `/v1/studies/${id}/trials`, {
        token: a.user,
        body: { params: { x: 1, opt: "sgd" } },
      }),
      h.request("POST", `/v1/studies/${id}/ask`, { token: a.user, body: {} }),
      h.request("GET", `/v1/studies/${id}/events`, { token: a.user }),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply.status).toBe(404);
      expect((reply.body as ErrorReply).error.code).toBe("not_found");
    }
    const list = await h.request<Page<StudyReply>>("GET", "/v1/studies?limit=100", { token: a.user });
    expect(list.body.items.map((item) => item.id)).not.toContain(id);
    const after = await h.prisma.study.findUniqueOrThrow({ where: { id } });
    expect(after.state).toBe("running");
    expect(await h.prisma.trial.count({ where: { studyId: id } })).toBe(0);
  });
});
