import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";

interface ErrorReply {
  error: {
    code: string;
    message: string;
    details: { issues?: { in: string; path: (string | number)[] }[] } | null;
  };
}
interface Asked {
  id: string;
  number: number;
  params: Record<string, unknown>;
  leaseToken: string;
}
interface TrialReply {
  id: string;
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, number> | null;
  reports?: { step: number; value: number }[];
  origin: string;
  durationMs: number | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let h: ApiHarness;
let a: TenantKeys;
let b: TenantKeys;
beforeAll(async () => {
  h = await startApiHarness("api_trial_list");
  a = await h.createTenant("list-a");
  b = await h.createTenant("list-b");
});
afterAll(async () => {
  await h.close();
});

async function newStudy(
  token: string,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const reply = await h.request<{ id: string }>("POST", "/v1/studies", {
    token,
    body: exampleDefinition(name, overrides),
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

async function ask(token: string, studyId: string): Promise<Asked> {
  const reply = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token, body: {} });
  expect(reply.status).toBe(200);
  return reply.body;
}

const tell = (token: string, trialId: string, body: Record<string, unknown>) =>
  h.request<TrialReply & ErrorReply>("POST", `/v1/trials/${trialId}/tell`, { token, body });

describe("GET /v1/studies/:id/trials", () => {
  let studyId = "";
  beforeAll(async () => {
    studyId = await newStudy(a.user, "t-list", { budget: { maxTrials: 100, parallelism: 100 } });
    const values = [5, 1, 3, null, 2, 4];
    for (const value of values) {
      const asked = await ask(a.user, studyId);
      if (value !== null)
        await tell(a.user, asked.id, { leaseToken: asked.leaseToken, state: "complete", value });
    }
  });

  it("filters by state, number and value ranges and sorts by value", async () => {
    const complete = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?state=complete&sort=value`,
      {
        token: a.user,
      },
    );
    expect(complete.body.items.map((trial) => trial.value)).toEqual([1, 2, 3, 4, 5]);
    const range = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?valueMin=2&valueMax=4&sort=-value`,
      { token: a.user },
    );
    expect(range.body.items.map((trial) => trial.value)).toEqual([4, 3, 2]);
    const numbers = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?numberMin=2&numberMax=3`,
      {
        token: a.user,
      },
    );
    expect(numbers.body.items.map((trial) => trial.number)).toEqual([2, 3]);
    const byDuration = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?sort=duration`,
      {
        token: a.user,
      },
    );
    expect(byDuration.body.items).toHaveLength(6);
    expect(byDuration.body.items[5]?.durationMs).toBeNull();
  });

  it("gives each trial its reports in step order with include=reports, and never a log or lease token", async () => {
    const logged = await newStudy(a.user, "t-list-reports", { budget: { maxTrials: 10, parallelism: 10 } });
    const first = await ask(a.user, logged);
    const second = await ask(a.user, logged);
    for (const step of [2, 0, 1]) {
      const report = await h.request("POST", `/v1/trials/${first.id}/report`, {
        token: a.user,
        body: { leaseToken: first.leaseToken, step, value: 10 + step },
      });
      expect(report.status).toBe(200);
    }
    const log = await h.request("POST", `/v1/trials/${first.id}/logs`, {
      token: a.user,
      body: { leaseToken: first.leaseToken, text: "secret-ish log line\n" },
    });
    expect(log.status).toBe(204);
    const withReports = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${logged}/trials?include=reports`,
      { token: a.user },
    );
    expect(withReports.status).toBe(200);
    expect(withReports.body.items.map((trial) => trial.id)).toEqual([first.id, second.id]);
    expect(withReports.body.items[0]?.reports?.map((report) => [report.step, report.value])).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    expect(withReports.body.items[1]?.reports).toEqual([]);
    const plain = await h.request<Page<TrialReply>>("GET", `/v1/studies/${logged}/trials`, { token: a.user });
    expect(plain.body.items[0]?.reports).toBeUndefined();
    expect(plain.body.items[0]?.state).toBe("running");
    for (const page of [plain, withReports]) {
      const text = JSON.stringify(page.body);
      expect(text).not.toContain("secret-ish");
      expect(text).not.toContain(first.leaseToken);
    }
  });

  it("filters by param values", async () => {
    const all = await h.request<Page<TrialReply>>("GET", `/v1/studies/${studyId}/trials`, { token: a.user });
    const adam = all.body.items
      .filter((trial) => trial.params["opt"] === "adam")
      .map((trial) => trial.number);
    const filtered = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?param.opt=adam`,
      {
        token: a.user,
      },
    );
    expect(filtered.body.items.map((trial) => trial.number)).toEqual(adam);
    const first = all.body.items[0];
    const byX = await h.request<Page<TrialReply>>(
      "GET",
      `/v1/studies/${studyId}/trials?param.x=${String(first?.params["x"])}`,
      { token: a.user },
    );
    expect(byX.body.items.map((trial) => trial.number)).toEqual([0]);
    const unknown = await h.request<ErrorReply>("GET", `/v1/studies/${studyId}/trials?param.nope=1&bogus=2`, {
      token: a.user,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details?.issues?.[0]).toMatchObject({ in: "query" });
    const badChoice = await h.request<ErrorReply>("GET", `/v1/studies/${studyId}/trials?param.opt=rmsprop`, {
      token: a.user,
    });
    expect(badChoice.status).toBe(400);
    expect(badChoice.body.error.details?.issues?.[0]?.path).toEqual(["param.opt"]);
  });

  it("pages by value with a cursor without repeats, nulls last", async () => {
    const seen: (number | null)[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/studies/${studyId}/trials?sort=-value&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await h.request<Page<TrialReply>>("GET", url, { token: a.user });
      seen.push(...page.body.items.map((trial) => trial.value));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1, null]);
  });

  it("keeps pages stable while trials are inserted concurrently", async () => {
    const busy = await newStudy(a.user, "t-concurrent", { budget: { maxTrials: 200, parallelism: 200 } });
    for (let i = 0; i < 10; i++) await ask(a.user, busy);
    const seen: number[] = [];
    let cursor: string | null = null;
    let rounds = 0;
    do {
      const url: string = `/v1/studies/${busy}/trials?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const [page] = await Promise.all([
        h.request<Page<TrialReply>>("GET", url, { token: a.user }),
        h.request("POST", `/v1/studies/${busy}/ask`, { token: a.user, body: {} }),
        h.request("POST", `/v1/studies/${busy}/trials`, {
          token: a.user,
          body: { params: { x: 0, opt: "sgd" } },
        }),
      ]);
      seen.push(...page.body.items.map((trial) => trial.number));
      cursor = page.body.nextCursor;
      rounds++;
    } while (cursor && rounds < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    for (let i = 0; i < 10; i++) expect(seen).toContain(i);
    const numbers = (
      await h.prisma.trial.findMany({ where: { studyId: busy }, select: { number: true } })
    ).map((trial) => trial.number);
    expect(numbers.sort((x, y) => x - y)).toEqual(numbers.map((_, i) => i));
  });

  it("exports CSV", async () => {
    const csv = await h.request("GET", `/v1/studies/${studyId}/trials?format=csv&state=complete&sort=value`, {
      token: a.user,
    });
    expect(csv.status).toBe(200);
    expect(String(csv.headers["content-type"])).toContain("text/csv");
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe(
      "number,state,value,param_x,param_opt,origin,attempt,duration_ms,started_at,finished_at,id",
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]?.split(",")[2]).toBe("1");
  });
});

describe("cross-project isolation of trial routes", () => {
  it("answers 404 for every trial route with another project's real ids and changes nothing", async () => {
    const studyId = await newStudy(b.user, "t-theirs", { budget: { maxTrials: 10, parallelism: 5 } });
    const running = await ask(b.user, studyId);
    const queued = await h.request<TrialReply>("POST", `/v1/studies/${studyId}/trials`, {
      token: b.user,
      body: { params: { x: 1, opt: "sgd" } },
    });
    await h.request("POST", "/v1/workers", {
      token: b.worker,
      body: { id: "b-worker", host: "b", gpus: [], backend: "cpu", slots: 1 },
    });
    const lease = running.leaseToken;
    for (const token of [a.user, a.worker, a.admin]) {
      const replies = await Promise.all([
        h.request("GET", `/v1/trials/${running.id}`, { token }),
        h.request("GET", `/v1/trials/${running.id}/logs`, { token }),
        h.request("POST", `/v1/trials/${queued.body.id}/claim`, { token, body: { workerId: "a" } }),
        h.request("POST", `/v1/trials/${running.id}/heartbeat`, { token, body: { leaseToken: lease } }),
        h.request("POST", `/v1/trials/${running.id}/report`, {
          token,
          body: { leaseToken: lease, step: 0, value: 1 },
        }),
        h.request("POST", `/v1/trials/${running.id}/tell`, {
          token,
          body: { leaseToken: lease, state: "complete", value: 1 },
        }),
        h.request("POST", `/v1/trials/${running.id}/logs`, { token, body: { leaseToken: lease, text: "x" } }),
        h.request("POST", `/v1/trials/${running.id}/release`, {
          token,
          body: { leaseToken: lease, reason: "x" },
        }),
      ]);
      for (const reply of replies) expect(reply.status).toBe(404);
    }
    // An ask on another project's study: a 404 from the proposal's own read of the study, nothing created.
    const trialsBefore = await h.prisma.trial.count({ where: { studyId } });
    const asked = await h.request("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} });
    expect(asked.status).toBe(404);
    expect(await h.prisma.trial.count({ where: { studyId } })).toBe(trialsBefore);
    const workers = await h.request<{ items: { id: string }[] }>("GET", "/v1/workers", { token: a.worker });
    expect(workers.body.items.map((worker) => worker.id)).not.toContain("b-worker");
    const hijack = await h.request("POST", "/v1/workers", {
      token: a.worker,
      body: { id: "b-worker", host: "evil", gpus: [], backend: "cpu", slots: 1 },
    });
    expect(hijack.status).toBe(409);
    expect((await h.prisma.worker.findUniqueOrThrow({ where: { id: "b-worker" } })).host).toBe("b");
    const trial = await h.prisma.trial.findUniqueOrThrow({ where: { id: running.id } });
    expect(trial).toMatchObject({ state: "running", log: null });
    expect(await h.prisma.trialReport.count({ where: { trialId: running.id } })).toBe(0);
    expect((await h.prisma.trial.findUniqueOrThrow({ where: { id: queued.body.id } })).state).toBe("waiting");
  });
});
