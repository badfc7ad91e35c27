import type { Db, PrismaClient, Study, Trial } from "@hpo/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findStudyInProject } from "../studies/find-study.js";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";

/**
 * The second wall: the app is built with the code's project filter REMOVED from its study and trial
 * lookups (the mocks below), so only PostgreSQL's row-level security, applied through the routes'
 * ProjectDatabase (auth/project-database.ts), stands between a key and another project's rows.
 *
 * `lookup` picks the broken lookup: "filterless" queries by id alone through the route's client;
 * "foreign" hands the route another project's row read with the owner's unscoped client, as a lookup
 * that bypassed the scope entirely would, to show that the route's later reads and writes still see
 * nothing of that project.
 */
interface Wall {
  lookup: "filterless" | "foreign";
  owner: PrismaClient | null;
}
const wall = vi.hoisted((): Wall => ({ lookup: "filterless", owner: null }));

vi.mock("../studies/find-study.js", async () => {
  const { HpoError } = await import("@hpo/core");
  return {
    async findStudyInProject(db: Db, _projectId: string, studyId: string): Promise<Study> {
      const client = wall.lookup === "foreign" && wall.owner ? wall.owner : db;
      const study = await client.study.findFirst({ where: { id: studyId } });
      if (!study) throw new HpoError("not_found", "Study not found", { status: 404 });
      return study;
    },
  };
});

vi.mock("../trials/find-trial.js", async (importOriginal) => {
  const { HpoError } = await import("@hpo/core");
  const original = await importOriginal<typeof import("../trials/find-trial.js")>();
  return {
    ...original,
    async findTrialInProject(db: Db, _projectId: string, trialId: string): Promise<Trial & { study: Study }> {
      const trial = await db.trial.findFirst({ where: { id: trialId }, include: { study: true } });
      if (!trial) throw new HpoError("not_found", "Trial not found", { status: 404 });
      return trial;
    },
  };
});

interface Asked {
  id: string;
  leaseToken: string;
}

let h: ApiHarness;
let a: TenantKeys;
let b: TenantKeys;
let ownStudy: string;
let otherStudy: string;
let otherTrial: string;

async function newStudy(token: string, name: string): Promise<string> {
  const reply = await h.request<{ id: string }>("POST", "/v1/studies", {
    token,
    body: exampleDefinition(name),
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

async function completeTrial(token: string, studyId: string, value: number): Promise<string> {
  const asked = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token, body: {} });
  expect(asked.status).toBe(200);
  const told = await h.request("POST", `/v1/trials/${asked.body.id}/tell`, {
    token,
    body: { leaseToken: asked.body.leaseToken, state: "complete", value },
  });
  expect(told.status).toBe(200);
  return asked.body.id;
}

async function otherProjectState() {
  return {
    study: await h.prisma.study.findUnique({ where: { id: otherStudy }, select: { state: true } }),
    trials: await h.prisma.trial.groupBy({ by: ["state"], where: { studyId: otherStudy }, _count: true }),
  };
}

beforeAll(async () => {
  h = await startApiHarness("api_rls");
  wall.owner = h.prisma;
  a = await h.createTenant("rls-a");
  b = await h.createTenant("rls-b");
  ownStudy = await newStudy(a.user, "mine");
  await completeTrial(a.user, ownStudy, 0.5);
  otherStudy = await newStudy(b.user, "theirs");
  otherTrial = await completeTrial(b.user, otherStudy, 0.25);
  await completeTrial(b.user, otherStudy, 0.75);
  const manual = await h.request("POST", `/v1/studies/${otherStudy}/trials`, {
    token: b.user,
    body: { params: { x: 1, opt: "adam" } },
  });
  expect(manual.status).toBe(201);
});
afterAll(async () => {
  await h.close();
});

describe("row-level security behind the routes (code-level project filter removed)", () => {
  it("really removed the filter: on the owner's unscoped client the lookup hands out another project's study", async () => {
    wall.lookup = "filterless";
    const leaked = await findStudyInProject(h.prisma, a.projectId, otherStudy);
    expect(leaked.projectId).toBe(b.projectId);
  });

  it("still answers 404 on every scoped route for another project's study and trial, and changes nothing", async () => {
    wall.lookup = "filterless";
    const before = await otherProjectState();
    const routes: [string, string, unknown?][] = [
      ["GET", `/v1/studies/${otherStudy}`],
      ["PATCH", `/v1/studies/${otherStudy}`, { action: "stop" }],
      ["GET", `/v1/studies/${otherStudy}/trials`],
      ["GET", `/v1/studies/${otherStudy}/trials?format=csv`],
      ["GET", `/v1/studies/${otherStudy}/trials/count`],
      ["POST", `/v1/studies/${otherStudy}/trials`, { params: { x: 2, opt: "sgd" } }],
      ["GET", `/v1/studies/${otherStudy}/summary`],
      ["GET", `/v1/studies/${otherStudy}/heatmap?x=x&y=opt`],
      ["GET", `/v1/studies/${otherStudy}/pareto`],
      ["GET", `/v1/studies/${otherStudy}/importance`],
      ["GET", `/v1/studies/${otherStudy}/events`],
      ["GET", `/v1/trials/${otherTrial}`],
      ["GET", `/v1/trials/${otherTrial}/logs`],
      ["DELETE", `/v1/studies/${otherStudy}`],
    ];
    const answers: string[] = [];
    for (const [method, url, body] of routes) {
      // An SSE stream that opens never answers in full: a few seconds of silence count as an open stream.
      const status = await Promise.race([
        h.request(method, url, { token: a.user, body }).then((reply) => String(reply.status)),
        new Promise<string>((resolve) => setTimeout(() => resolve("open stream"), 3_000)),
      ]);
      answers.push(`${method} ${url.replace(otherStudy, "B").replace(otherTrial, "T")} ${status}`);
    }
    expect(answers).toEqual(
      routes.map(([method, url]) => `${method} ${url.replace(otherStudy, "B").replace(otherTrial, "T")} 404`),
    );
    expect(await otherProjectState()).toEqual(before);

    // The same broken lookups still serve the caller's own project: the wall stops only the other one.
    const own = await h.request<{ items: unknown[] }>("GET", `/v1/studies/${ownStudy}/trials`, {
      token: a.user,
    });
    expect([own.status, own.body.items.length]).toEqual([200, 1]);
    const list = await h.request<{ items: { id: string }[] }>("GET", "/v1/studies", { token: a.user });
    expect(list.body.items.map((study) => study.id)).toEqual([ownStudy]);
  });

  it("reads no rows and writes nothing of another project even when the lookup hands over its study", async () => {
    wall.lookup = "foreign";
    try {
      const before = await otherProjectState();
      const trials = await h.request<{ items: unknown[] }>("GET", `/v1/studies/${otherStudy}/trials`, {
        token: a.user,
      });
      expect([trials.status, trials.body.items]).toEqual([200, []]);
      const count = await h.request<{ count: number }>("GET", `/v1/studies/${otherStudy}/trials/count`, {
        token: a.user,
      });
      expect(count.body).toEqual({ count: 0 });
      const pareto = await h.request<{ front: unknown[]; completed: number }>(
        "GET",
        `/v1/studies/${otherStudy}/pareto`,
        { token: a.user },
      );
      expect([pareto.body.front, pareto.body.completed]).toEqual([[], 0]);

      // The writes re-read or delete the row inside the scoped transaction: the database hides it.
      const stop = await h.request("PATCH", `/v1/studies/${otherStudy}`, {
        token: a.user,
        body: { action: "stop" },
      });
      expect(stop.status).toBe(404);
      const removed = await h.request("DELETE", `/v1/studies/${otherStudy}`, { token: a.user });
      expect(removed.status).toBe(404);
      expect(await otherProjectState()).toEqual(before);
      expect(before.study?.state).toBe("running");
    } finally {
      wall.lookup = "filterless";
    }
  });
});
