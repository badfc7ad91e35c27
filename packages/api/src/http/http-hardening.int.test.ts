import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";
import { jsonDepthOver, maxJsonDepth } from "./json-body.js";
import { apiSecurityHeaders } from "./security-headers.js";

interface ErrorReply {
  error: {
    code: string;
    message: string;
    details: { issues?: { in: string; path: (string | number)[] }[]; reason?: string } | null;
  };
}
interface Asked {
  id: string;
  leaseToken: string;
}

let h: ApiHarness;
let a: TenantKeys;
let studyId: string;
let asked: Asked;
beforeAll(async () => {
  h = await startApiHarness("api_hardening");
  a = await h.createTenant("hardening-a");
  const created = await h.request<{ id: string }>("POST", "/v1/studies", {
    token: a.user,
    body: exampleDefinition("hardening"),
  });
  expect(created.status).toBe(201);
  studyId = created.body.id;
  const reply = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} });
  expect(reply.status).toBe(200);
  asked = reply.body;
});
afterAll(async () => {
  await h.close();
});

/** Every route that takes a body, with a real id in its path. */
function bodyRoutes(): [string, string][] {
  return [
    ["POST", "/v1/projects"],
    ["POST", `/v1/projects/${a.projectId}/keys`],
    ["POST", "/v1/studies"],
    ["PATCH", `/v1/studies/${studyId}`],
    ["POST", `/v1/studies/${studyId}/trials`],
    ["POST", `/v1/studies/${studyId}/ask`],
    ["POST", `/v1/trials/${asked.id}/claim`],
    ["POST", `/v1/trials/${asked.id}/heartbeat`],
    ["POST", `/v1/trials/${asked.id}/report`],
    ["POST", `/v1/trials/${asked.id}/tell`],
    ["POST", `/v1/trials/${asked.id}/release`],
    ["POST", `/v1/trials/${asked.id}/logs`],
    ["POST", "/v1/workers"],
  ];
}

async function rowCounts(): Promise<number[]> {
  return Promise.all([
    h.prisma.project.count(),
    h.prisma.apiKey.count(),
    h.prisma.study.count(),
    h.prisma.trial.count(),
    h.prisma.trialReport.count(),
  ]);
}

describe("bodies: JSON only, bounded depth", () => {
  it("answers 415 naming the content-type header to text/plain, forms and a body without a type", async () => {
    const before = await rowCounts();
    for (const [method, url] of bodyRoutes()) {
      for (const headers of [
        { "content-type": "text/plain" },
        { "content-type": "application/x-www-form-urlencoded" },
        { "content-type": "application/xml" },
        {} as Record<string, string>,
      ]) {
        const reply = await h.request<ErrorReply>(method, url, { payload: '{"name":"x"}', headers });
        expect(reply.status, `${method} ${url} ${JSON.stringify(headers)}`).toBe(415);
        expect(reply.body.error.code).toBe("unsupported_media_type");
        expect(reply.body.error.details?.issues?.[0]).toMatchObject({
          in: "headers",
          path: ["content-type"],
        });
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 400 too_deep to a body nested 5,000 levels on every route, and accepts normal nesting", async () => {
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const deepArray = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const before = await rowCounts();
    for (const [method, url] of bodyRoutes()) {
      for (const payload of [deep, deepArray]) {
        const reply = await h.request<ErrorReply>(method, url, {
          payload,
          headers: { "content-type": "application/json" },
        });
        expect(reply.status, `${method} ${url}`).toBe(400);
        expect(reply.body.error.code).toBe("too_deep");
        expect(reply.body.error.details?.issues?.[0]).toMatchObject({ in: "body", path: [] });
      }
    }
    expect(await rowCounts()).toEqual(before);
    expect(jsonDepthOver(`${"[".repeat(maxJsonDepth)}${"]".repeat(maxJsonDepth)}`, maxJsonDepth)).toBe(false);
    // Brackets inside strings (escaped quotes included) are not nesting.
    expect(jsonDepthOver(JSON.stringify({ s: `\\"${"[".repeat(500)}` }), maxJsonDepth)).toBe(false);
  });

  it("refuses __proto__ and constructor.prototype keys with a 400", async () => {
    for (const payload of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const reply = await h.request<ErrorReply>("POST", "/v1/projects", {
        payload,
        headers: { "content-type": "application/json" },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details?.issues?.[0]).toMatchObject({ in: "body", path: [] });
    }
  });
});

describe("lease tokens and lease conflicts", () => {
  it("answers 400 with the path leaseToken to a token that is not a UUID", async () => {
    for (const route of ["heartbeat", "report", "tell", "release", "logs"]) {
      const reply = await h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/${route}`, {
        token: a.user,
        body: { leaseToken: "not-a-uuid", step: 0, value: 1, state: "complete", reason: "x", text: "x" },
      });
      expect(reply.status, route).toBe(400);
      expect(reply.body.error.details?.issues?.map((issue) => issue.path)).toContainEqual(["leaseToken"]);
    }
  });

  it("says which of the two a 409 is: another lease on a running trial, or a trial no longer running", async () => {
    const study = await h.request<{ id: string }>("POST", "/v1/studies", {
      token: a.user,
      body: exampleDefinition("hardening-409"),
    });
    const trial = await h.request<Asked>("POST", `/v1/studies/${study.body.id}/ask`, {
      token: a.user,
      body: {},
    });
    const stale = await h.request<ErrorReply>("POST", `/v1/trials/${trial.body.id}/heartbeat`, {
      token: a.user,
      body: { leaseToken: randomUUID() },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/running under another lease/);
    expect(stale.body.error.message).not.toMatch(/no longer running/);
    expect(stale.body.error.details).toMatchObject({ reason: "stale_lease", state: "running" });
    await h.request("POST", `/v1/trials/${trial.body.id}/tell`, {
      token: a.user,
      body: { leaseToken: trial.body.leaseToken, state: "complete", value: 1 },
    });
    const done = await h.request<ErrorReply>("POST", `/v1/trials/${trial.body.id}/heartbeat`, {
      token: a.user,
      body: { leaseToken: trial.body.leaseToken },
    });
    expect(done.status).toBe(409);
    expect(done.body.error.message).toMatch(/no longer running \(state complete\)/);
    expect(done.body.error.details).toMatchObject({ reason: "not_running", state: "complete" });
  });

  it("says when a report repeats a stored step and which value stands", async () => {
    const body = { leaseToken: asked.leaseToken, step: 3, value: 0.5 };
    const first = await h.request<{ duplicate: boolean }>("POST", `/v1/trials/${asked.id}/report`, {
      token: a.user,
      body,
    });
    expect(first.status).toBe(200);
    expect(first.body.duplicate).toBe(false);
    const again = await h.request("POST", `/v1/trials/${asked.id}/report`, {
      token: a.user,
      body: { ...body, value: 0.9 },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, storedValue: 0.5 });
    const reports = await h.prisma.trialReport.findMany({ where: { trialId: asked.id } });
    expect(reports.map((report) => report.value)).toEqual([0.5]);
  });
});

describe("roles and headers", () => {
  it("says which role a 403 needs", async () => {
    const reply = await h.request<ErrorReply>("POST", "/v1/projects", { token: a.user, body: { name: "p" } });
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toMatch(/needs an admin key; this is a user key/);
    const worker = await h.request<ErrorReply>("POST", "/v1/studies", {
      token: a.worker,
      body: exampleDefinition("w"),
    });
    expect(worker.status).toBe(403);
    expect(worker.body.error.message).toMatch(/needs an admin or user key; this is a worker key/);
  });

  it("sends the security headers on answers and errors", async () => {
    for (const reply of [
      await h.request("GET", "/v1/studies", { token: a.user }),
      await h.request("GET", "/v1/studies", { token: null }),
      await h.request("GET", `/v1/trials/${randomUUID()}`, { token: a.user }),
    ]) {
      for (const [name, value] of Object.entries(apiSecurityHeaders)) expect(reply.headers[name]).toBe(value);
    }
  });
});
