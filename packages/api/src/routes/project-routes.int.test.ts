import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, exampleDefinition, type ApiHarness } from "../testing/api-harness.js";

interface ErrorReply {
  error: {
    code: string;
    message: string;
    details: { issues?: { in: string; path: unknown[]; message: string }[] } | null;
  };
}

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness("api_projects");
});
afterAll(async () => {
  await h.close();
});

describe("projects and keys", () => {
  it("creates a project and keys whose secret is shown once and stored hashed", async () => {
    const project = await h.request<{ id: string; name: string }>("POST", "/v1/projects", {
      body: { name: "p-one" },
    });
    expect(project.status).toBe(201);
    expect(project.body).toEqual({ id: expect.any(String) as string, name: "p-one" });
    const key = await h.request<{ id: string; key: string; role: string }>(
      "POST",
      `/v1/projects/${project.body.id}/keys`,
      { body: { role: "user" } },
    );
    expect(key.status).toBe(201);
    expect(key.body.role).toBe("user");
    const stored = await h.prisma.apiKey.findUniqueOrThrow({ where: { id: key.body.id } });
    expect(stored.hash).not.toContain(key.body.key);
    expect(JSON.stringify(stored)).not.toContain(key.body.key);
    const studies = await h.request("GET", "/v1/studies", { token: key.body.key });
    expect(studies.status).toBe(200);
  });

  it("rejects a duplicate project name with 409 and bad input with 400 and the path", async () => {
    await h.request("POST", "/v1/projects", { body: { name: "dup" } });
    const again = await h.request<ErrorReply>("POST", "/v1/projects", { body: { name: "dup" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("name_taken");
    const bad = await h.request<ErrorReply>("POST", "/v1/projects", { body: { name: "", extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    const paths = bad.body.error.details?.issues?.map((issue) => issue.path.join("."));
    expect(paths).toContain("name");
    const badRole = await h.request<ErrorReply>("POST", `/v1/projects/${crypto.randomUUID()}/keys`, {
      body: { role: "root" },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.details?.issues?.[0]?.path).toEqual(["role"]);
  });

  it("answers 401 without a key or with an unknown or revoked one, 403 for the wrong role", async () => {
    const tenant = await h.createTenant("p-auth");
    expect((await h.request<ErrorReply>("GET", "/v1/studies", { token: null })).status).toBe(401);
    const unknown = await h.request<ErrorReply>("GET", "/v1/studies", { token: "hpo_nope" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("unauthorized");
    expect(
      (await h.request("POST", "/v1/projects", { token: tenant.user, body: { name: "x" } })).status,
    ).toBe(403);
    expect(
      (await h.request("POST", "/v1/projects", { token: tenant.admin, body: { name: "x" } })).status,
    ).toBe(403);
    expect((await h.request("GET", "/v1/studies", { token: tenant.worker })).status).toBe(403);

    const keys = await h.prisma.apiKey.findMany({ where: { projectId: tenant.projectId, role: "user" } });
    const userKeyId = keys[0]?.id ?? "";
    expect((await h.request("DELETE", `/v1/keys/${userKeyId}`)).status).toBe(204);
    expect((await h.request("GET", "/v1/studies", { token: tenant.user })).status).toBe(401);
  });

  it("keeps project admins inside their project: another project's keys are 404", async () => {
    const a = await h.createTenant("p-a");
    const b = await h.createTenant("p-b");
    const crossCreate = await h.request<ErrorReply>("POST", `/v1/projects/${b.projectId}/keys`, {
      token: a.admin,
      body: { role: "user" },
    });
    expect(crossCreate.status).toBe(404);
    const bKey = await h.prisma.apiKey.findFirstOrThrow({
      where: { projectId: b.projectId, role: "worker" },
    });
    expect((await h.request("DELETE", `/v1/keys/${bKey.id}`, { token: a.admin })).status).toBe(404);
    expect((await h.request("GET", "/v1/workers", { token: b.worker })).status).toBe(200);
    const own = await h.request("POST", `/v1/projects/${a.projectId}/keys`, {
      token: a.admin,
      body: { role: "worker" },
    });
    expect(own.status).toBe(201);
    expect((await h.request("DELETE", `/v1/keys/not-a-uuid`)).status).toBe(404);
    const listed = await h.request<{ items: { id: string; role: string; prefix: string }[] }>(
      "GET",
      `/v1/projects/${a.projectId}/keys`,
      { token: a.admin },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((key) => key.role).sort()).toEqual(["admin", "user", "worker", "worker"]);
    expect(listed.text).not.toContain(a.user);
    const adminKey = listed.body.items.find((key) => key.role === "admin") as
      { lastUsedAt: string | null } | undefined;
    expect(adminKey?.lastUsedAt).toEqual(expect.any(String));
    expect((await h.request("GET", `/v1/projects/${b.projectId}/keys`, { token: a.admin })).status).toBe(404);
    expect((await h.request("GET", `/v1/projects/${a.projectId}/keys`, { token: a.user })).status).toBe(403);
  });

  it("lets the bootstrap admin use project routes in the default project", async () => {
    const first = await Promise.all([1, 2, 3, 4].map(() => h.request("GET", "/v1/studies")));
    expect(first.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
    const created = await h.request<{ id: string }>("POST", "/v1/studies", {
      body: exampleDefinition("boot"),
    });
    expect(created.status).toBe(201);
    const project = await h.prisma.project.findUniqueOrThrow({ where: { name: "default" } });
    const study = await h.prisma.study.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(study.projectId).toBe(project.id);
  });
});

describe("HTTP edges", () => {
  it("answers 413 over 1 MiB, 415 for a non-JSON body, 400 for malformed JSON, 404 with the error shape", async () => {
    const big = await h.request<ErrorReply>("POST", "/v1/projects", {
      payload: JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) }),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("payload_too_large");
    const text = await h.request<ErrorReply>("POST", "/v1/projects", {
      payload: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe("unsupported_media_type");
    const malformed = await h.request<ErrorReply>("POST", "/v1/projects", {
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_json");
    const nulBody = await h.request<ErrorReply>("POST", "/v1/studies", {
      body: exampleDefinition("a\u0000b"),
    });
    expect(nulBody.status).toBe(400);
    expect((await h.request<ErrorReply>("GET", "/v1/studies?name=%00")).status).toBe(400);
    const missing = await h.request<ErrorReply>("GET", "/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });

  it("serves /healthz, /readyz, /metrics and the OpenAPI docs without a key", async () => {
    expect((await h.request("GET", "/healthz", { token: null })).status).toBe(200);
    const ready = await h.request<{ postgres: { ok: boolean }; redis: { ok: boolean } }>("GET", "/readyz", {
      token: null,
    });
    expect(ready.status).toBe(200);
    expect(ready.body.postgres.ok && ready.body.redis.ok).toBe(true);
    const metrics = await h.request("GET", "/metrics", { token: null });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("hpo_http_request_duration_seconds");
    const spec = await h.request<{ openapi: string; paths: Record<string, unknown> }>("GET", "/docs/json", {
      token: null,
    });
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toContain("/v1/studies/{id}/trials");
    const createStudy = JSON.stringify(spec.body.paths["/v1/studies"]);
    for (const field of ["objective", "space", "sampler", "budget", "trainer", "counts"]) {
      expect(createStudy).toContain(field);
    }
    expect(JSON.stringify(spec.body.paths["/v1/trials/{id}"])).toContain("durationMs");
    expect((await h.request("GET", "/docs", { token: null })).status).toBeLessThan(400);
  });

  it("limits requests per key with 429 and Retry-After", async () => {
    const limited = await startApiHarness("api_ratelimit", { rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      let last = await limited.request<ErrorReply>("GET", "/v1/studies");
      statuses.push(last.status);
      for (let i = 0; i < 3; i++) {
        last = await limited.request<ErrorReply>("GET", "/v1/studies");
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last.body.error.code).toBe("rate_limited");
      expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
      // Health stays reachable for probes.
      expect((await limited.request("GET", "/healthz", { token: null })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("gives a worker key its own, larger budget (a fleet shares one key)", async () => {
    const limited = await startApiHarness("api_ratelimit_worker", {
      rateLimit: { max: 6, workerMax: 10, timeWindowMs: 60_000 },
    });
    try {
      const tenant = await limited.createTenant("fleet");
      const statuses = async (token: string, times: number) => {
        const seen: number[] = [];
        for (let i = 0; i < times; i++) {
          seen.push((await limited.request("GET", "/v1/workers", { token })).status);
        }
        return seen;
      };
      expect(await statuses(tenant.worker, 11)).toEqual([...Array<number>(10).fill(200), 429]);
      expect(await statuses(tenant.user, 7)).toEqual([...Array<number>(6).fill(200), 429]);
    } finally {
      await limited.close();
    }
  });
});
