import type { HeatmapReply, StudySummaryReply, TrialReply } from "@hpo/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullHistoryLimit } from "../dashboard/history-summary.js";
import { spreadLimit } from "../dashboard/param-sample.js";
import { startApiHarness, type ApiHarness, type TenantKeys } from "../testing/api-harness.js";

interface Asked {
  id: string;
  number: number;
  params: Record<string, number | string>;
  leaseToken: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorReply {
  error: { code: string; details: { issues?: { in: string; path: (string | number)[] }[] } | null };
}

const space = [
  { name: "lr", type: "float", low: 0.0001, high: 1, log: true },
  { name: "units", type: "int", low: 1, high: 8 },
  { name: "opt", type: "categorical", choices: ["sgd", "adam", "rmsprop"] },
];

let h: ApiHarness;
let a: TenantKeys;
let b: TenantKeys;
beforeAll(async () => {
  h = await startApiHarness("api_dashboard");
  a = await h.createTenant("dash-a");
  b = await h.createTenant("dash-b");
});
afterAll(async () => {
  await h.close();
});

async function createStudy(token: string, name: string, maxTrials = 1000): Promise<string> {
  const reply = await h.request<{ id: string }>("POST", "/v1/studies", {
    token,
    body: {
      name,
      objective: { metric: "loss", direction: "minimize" },
      space,
      sampler: { type: "random" },
      budget: { maxTrials, parallelism: 50 },
      seed: 5,
    },
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

/** Inserts `count` finished trials in one statement: values from a fixed sequence, some pruned and failed. */
async function insertTrials(studyId: string, count: number): Promise<void> {
  await h.prisma.$executeRaw`
    INSERT INTO "Trial" ("id", "studyId", "number", "state", "params", "value", "metrics", "origin", "startedAt", "finishedAt", "updatedAt")
    SELECT gen_random_uuid(), ${studyId}::uuid, n,
           (CASE WHEN n % 50 = 7 THEN 'failed' WHEN n % 10 = 3 THEN 'pruned' ELSE 'complete' END)::"TrialState",
           jsonb_build_object('lr', power(10, -4 + 4 * ((n * 37) % 101) / 100.0), 'units', 1 + (n * 7) % 8,
                              'opt', (ARRAY['sgd', 'adam', 'rmsprop'])[1 + n % 3]),
           CASE WHEN n % 50 = 7 THEN NULL ELSE ((n * 7919) % 10007) / 1000.0 + 1000.0 / (n + 10) END,
           jsonb_build_object('acc', ((n * 13) % 97) / 97.0),
           'random', now(), now(), now()
    FROM generate_series(0, ${count - 1}) AS n`;
}

describe("GET /v1/studies/:id/summary", () => {
  it("draws a small study exactly: every finished trial, the best-so-far steps, boxes per choice", async () => {
    const studyId = await createStudy(a.user, "small");
    const values = [5, 3, 4, 1, 2];
    for (const [index, value] of values.entries()) {
      const asked = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} });
      await h.request("POST", `/v1/trials/${asked.body.id}/report`, {
        token: a.user,
        body: { leaseToken: asked.body.leaseToken, step: 1, value: value * 2 },
      });
      await h.request("POST", `/v1/trials/${asked.body.id}/tell`, {
        token: a.user,
        body: { leaseToken: asked.body.leaseToken, state: index === 4 ? "pruned" : "complete", value },
      });
    }
    const reply = await h.request<StudySummaryReply>("GET", `/v1/studies/${studyId}/summary`, {
      token: a.user,
    });
    expect(reply.status).toBe(200);
    const summary = reply.body;
    expect(summary.counts.complete).toBe(4);
    expect(summary.counts.pruned).toBe(1);
    expect(summary.history).toMatchObject({ sampled: false, finished: 5 });
    expect(summary.history.points.value).toEqual(values);
    expect(summary.history.points.state).toEqual(["complete", "complete", "complete", "complete", "pruned"]);
    // A pruned trial's value is not a result: the line steps at 0 (5), 1 (3) and 3 (1), not at the pruned 2.
    expect(summary.bestSoFar).toEqual([
      { number: 0, value: 5 },
      { number: 1, value: 3 },
      { number: 3, value: 1 },
    ]);
    expect(summary.best).toMatchObject({ number: 3, value: 1 });
    expect(summary.sample.trials.number).toEqual([0, 1, 2, 3]);
    expect(Object.keys(summary.sample.trials.params)).toEqual(["lr", "units", "opt"]);
    expect(summary.intermediate.curves).toHaveLength(5);
    expect(summary.intermediate.curves.find((curve) => curve.number === 4)).toMatchObject({
      state: "pruned",
      steps: [1],
      values: [4],
    });
    const opt = summary.params.find((param) => param.name === "opt");
    if (opt?.type !== "categorical") throw new Error("opt is categorical");
    expect(opt.choices.reduce((total, choice) => total + choice.count, 0)).toBe(4);
  });

  it("bounds a big history yet keeps the exact best-so-far line and both extremes of every bucket", async () => {
    const count = fullHistoryLimit + 2_000;
    const studyId = await createStudy(a.user, "big", 100_000);
    await insertTrials(studyId, count);
    const reply = await h.request<StudySummaryReply>("GET", `/v1/studies/${studyId}/summary`, {
      token: a.user,
    });
    expect(reply.status).toBe(200);
    const summary = reply.body;
    expect(summary.history.sampled).toBe(true);
    expect(summary.history.finished).toBe(count);
    expect(summary.history.points.number.length).toBeLessThan(5_000);

    const rows = await h.prisma.trial.findMany({
      where: { studyId },
      orderBy: { number: "asc" },
      select: { number: true, state: true, value: true },
    });
    const exact: { number: number; value: number }[] = [];
    for (const row of rows) {
      if (row.state !== "complete" || row.value === null) continue;
      const last = exact.at(-1);
      if (!last || row.value < last.value) exact.push({ number: row.number, value: row.value });
    }
    expect(summary.bestSoFar).toEqual(exact);
    // The lowest and the highest value of the study are always drawn.
    const complete = rows.filter((row) => row.state === "complete" && row.value !== null);
    const values = complete.map((row) => row.value ?? 0);
    const drawn = new Set(summary.history.points.value);
    expect(drawn.has(Math.min(...values))).toBe(true);
    expect(drawn.has(Math.max(...values))).toBe(true);
    expect(summary.history.points.state).toContain("failed");
    expect(summary.sample.trials.number.length).toBeLessThanOrEqual(1_000);
    expect(summary.sample.complete).toBe(complete.length);
    // Above the spread limit the distributions come from every k-th trial: fewer, evenly spread.
    expect(summary.distributionTrials).toBeGreaterThan(spreadLimit / 2);
    expect(summary.distributionTrials).toBeLessThanOrEqual(spreadLimit);
    expect(summary.metrics).toEqual(["acc"]);
  });

  it("reuses a settled study's summary until a count or the study changes", async () => {
    const studyId = await createStudy(a.user, "settled", 100_000);
    await insertTrials(studyId, 40);
    await h.request("PATCH", `/v1/studies/${studyId}`, { token: a.user, body: { action: "stop" } });
    const get = async () =>
      (await h.request<StudySummaryReply>("GET", `/v1/studies/${studyId}/summary`, { token: a.user })).body;
    const first = await get();
    const again = await get();
    expect({ ...again, computedMs: 0 }).toEqual({ ...first, computedMs: 0 });
    await h.prisma.trial.updateMany({ where: { studyId, number: 0 }, data: { state: "cancelled" } });
    const changed = await get();
    expect(changed.history.finished).toBe(first.history.finished - 1);
  });

  it("is another project's study only by 404", async () => {
    const studyId = await createStudy(a.user, "private");
    const reply = await h.request("GET", `/v1/studies/${studyId}/summary`, { token: b.user });
    expect(reply.status).toBe(404);
  });
});

describe("GET /v1/studies/:id/heatmap", () => {
  let studyId = "";
  beforeAll(async () => {
    studyId = await createStudy(a.user, "heat");
    await insertTrials(studyId, 300);
  });

  it("bins every complete trial once into numeric bins and categorical choices", async () => {
    const reply = await h.request<HeatmapReply>("GET", `/v1/studies/${studyId}/heatmap?x=lr&y=opt&bins=10`, {
      token: a.user,
    });
    expect(reply.status).toBe(200);
    const { x, y, cells, trialsUsed } = reply.body;
    expect(x).toMatchObject({ kind: "numeric", name: "lr", log: true });
    if (x.kind !== "numeric") throw new Error("numeric x");
    expect(x.edges).toHaveLength(11);
    expect(x.edges[0]).toBeCloseTo(0.0001);
    expect(y).toEqual({ kind: "categorical", name: "opt", choices: ["sgd", "adam", "rmsprop"] });
    expect(cells.reduce((total, cell) => total + cell.count, 0)).toBe(trialsUsed);
    for (const cell of cells) expect(cell.best).toBeLessThanOrEqual(cell.mean);
  });

  it("gives a small int param one bin per value", async () => {
    const reply = await h.request<HeatmapReply>("GET", `/v1/studies/${studyId}/heatmap?x=units&y=lr`, {
      token: a.user,
    });
    if (reply.body.x.kind !== "numeric") throw new Error("numeric x");
    expect(reply.body.x.edges).toHaveLength(9);
  });

  it("names the unknown param with its query path", async () => {
    const reply = await h.request<ErrorReply>("GET", `/v1/studies/${studyId}/heatmap?x=nope&y=lr`, {
      token: a.user,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details?.issues?.[0]).toMatchObject({ in: "query", path: ["x"] });
  });
});

describe("trial list: sort and filter on any param and any metric", () => {
  let studyId = "";
  beforeAll(async () => {
    studyId = await createStudy(a.user, "table");
    await insertTrials(studyId, 120);
  });
  const list = (query: string) =>
    h.request<Page<TrialReply> & ErrorReply>("GET", `/v1/studies/${studyId}/trials?${query}`, {
      token: a.user,
    });

  it("pages through a param sort without repeating or skipping a trial", async () => {
    const seen: TrialReply[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<TrialReply> } = await list(
        `sort=-param.lr&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen.map((trial) => trial.number)).size).toBe(120);
    const lrs = seen.map((trial) => Number(trial.params["lr"]));
    expect(lrs).toEqual([...lrs].sort((x, y) => y - x));
  });

  it("sorts on a metric, trials without it last", async () => {
    const page = await list("sort=metric.acc&limit=500");
    const accs = page.body.items.map((trial) => trial.metrics?.["acc"] ?? null);
    const present = accs.filter((acc): acc is number => acc !== null);
    expect(present).toEqual([...present].sort((x, y) => x - y));
    expect(accs.slice(present.length).every((acc) => acc === null)).toBe(true);
  });

  it("filters on a param range, a metric range and a choice, and counts what it filters", async () => {
    const query = "paramMin.lr=0.001&paramMax.lr=0.1&metricMin.acc=0.5&param.opt=adam,sgd&limit=500";
    const page = await list(query);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    for (const trial of page.body.items) {
      expect(Number(trial.params["lr"])).toBeGreaterThanOrEqual(0.001);
      expect(Number(trial.params["lr"])).toBeLessThanOrEqual(0.1);
      expect(trial.metrics?.["acc"]).toBeGreaterThanOrEqual(0.5);
      expect(["adam", "sgd"]).toContain(trial.params["opt"]);
    }
    const counted = await h.request<{ count: number }>(
      "GET",
      `/v1/studies/${studyId}/trials/count?${query}`,
      {
        token: a.user,
      },
    );
    expect(counted.body.count).toBe(page.body.items.length);
    const csv = await h.request("GET", `/v1/studies/${studyId}/trials?${query}&format=csv`, {
      token: a.user,
    });
    expect(csv.text.trim().split("\n")).toHaveLength(1 + page.body.items.length);
  });

  it("refuses a sort on an unknown param and a range on a categorical one, with the query path", async () => {
    const sort = await list("sort=param.nope");
    expect(sort.status).toBe(400);
    expect(sort.body.error.details?.issues?.[0]).toMatchObject({ in: "query", path: ["sort"] });
    const range = await list("paramMin.opt=1");
    expect(range.status).toBe(400);
    expect(range.body.error.details?.issues?.[0]).toMatchObject({ in: "query", path: ["paramMin.opt"] });
    const bound = await list("metricMax.acc=abc");
    expect(bound.status).toBe(400);
  });
});

describe("GET /v1/running-trials", () => {
  it("lists the project's running trials with their worker, and never another project's", async () => {
    const mine = await createStudy(a.user, "running-a");
    const theirs = await createStudy(b.user, "running-b");
    const asked = await h.request<Asked>("POST", `/v1/studies/${mine}/ask`, {
      token: a.user,
      body: { workerId: "w-1" },
    });
    await h.request("POST", `/v1/studies/${theirs}/ask`, { token: b.user, body: { workerId: "w-2" } });
    const reply = await h.request<{
      items: { trialId: string; studyName: string; workerId: string | null }[];
    }>("GET", "/v1/running-trials", { token: a.user });
    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([
      expect.objectContaining({ trialId: asked.body.id, studyName: "running-a", workerId: "w-1" }),
    ]);
  });
});
