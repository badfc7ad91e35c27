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
let h: ApiHarness;
let a: TenantKeys;
beforeAll(async () => {
  h = await startApiHarness("api_trials");
  a = await h.createTenant("trials-a");
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

describe("ask / report / tell", () => {
  it("asks a leased point, reports steps, tells the result; the study shows counts and best", async () => {
    const studyId = await newStudy(a.user, "t-asktell");
    const first = await ask(a.user, studyId);
    expect(first.number).toBe(0);
    expect(first.params).toHaveProperty("x");
    expect(first.leaseToken).toMatch(/.+/);
    const report = await h.request<{ prune: boolean; stop: boolean }>(
      "POST",
      `/v1/trials/${first.id}/report`,
      {
        token: a.user,
        body: { leaseToken: first.leaseToken, step: 1, metrics: { loss: 0.5, acc: 0.7 } },
      },
    );
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ prune: false, stop: false });
    const told = await tell(a.user, first.id, {
      leaseToken: first.leaseToken,
      state: "complete",
      metrics: { loss: 0.25 },
    });
    expect(told.status).toBe(200);
    expect(told.body).toMatchObject({ state: "complete", value: 0.25 });
    const second = await ask(a.user, studyId);
    expect(second.number).toBe(1);
    await tell(a.user, second.id, { leaseToken: second.leaseToken, state: "complete", value: 0.1 });
    const study = await h.request<{
      counts: Record<string, number>;
      best: { number: number; value: number };
    }>("GET", `/v1/studies/${studyId}`, { token: a.user });
    expect(study.body.counts).toMatchObject({ complete: 2, total: 2 });
    expect(study.body.best).toMatchObject({ number: 1, value: 0.1 });
    const trial = await h.request<TrialReply>("GET", `/v1/trials/${first.id}`, { token: a.user });
    expect(trial.body.reports).toEqual([expect.objectContaining({ step: 1, value: 0.5 })]);
    expect(trial.body.metrics).toEqual({ loss: 0.25 });
    expect(trial.body).not.toHaveProperty("leaseToken");
  });

  it("needs a value or the objective metric for complete and for reports", async () => {
    const studyId = await newStudy(a.user, "t-novalue");
    const asked = await ask(a.user, studyId);
    const report = await h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/report`, {
      token: a.user,
      body: { leaseToken: asked.leaseToken, step: 0, metrics: { acc: 1 } },
    });
    expect(report.status).toBe(400);
    expect(report.body.error.details?.issues?.[0]?.path).toEqual(["value"]);
    const told = await tell(a.user, asked.id, {
      leaseToken: asked.leaseToken,
      state: "complete",
      metrics: { acc: 1 },
    });
    expect(told.status).toBe(400);
    expect(told.body.error.details?.issues?.[0]?.path).toEqual(["value"]);
    const badState = await tell(a.user, asked.id, {
      leaseToken: asked.leaseToken,
      state: "done",
      value: "x",
    });
    expect(badState.status).toBe(400);
    expect(badState.body.error.details?.issues?.map((issue) => issue.path[0])).toEqual(
      expect.arrayContaining(["state", "value"]),
    );
    // Still running: nothing was written by the rejected requests.
    expect((await h.prisma.trial.findUniqueOrThrow({ where: { id: asked.id } })).state).toBe("running");
  });

  it("drops null metrics (a diverged run's NaN) instead of rejecting the tell", async () => {
    const studyId = await newStudy(a.user, "t-nan");
    const asked = await ask(a.user, studyId);
    const told = await tell(a.user, asked.id, {
      leaseToken: asked.leaseToken,
      state: "failed",
      error: "loss diverged",
      metrics: { loss: null, acc: 0.1 },
    });
    expect(told.status).toBe(200);
    expect(told.body).toMatchObject({ state: "failed", metrics: { acc: 0.1 }, value: null });
  });

  it("fences every write by the lease: a stale or duplicate writer gets 409 and changes nothing", async () => {
    const studyId = await newStudy(a.user, "t-fence");
    const asked = await ask(a.user, studyId);
    const stale = { leaseToken: "not-the-lease" };
    const before = await h.prisma.trial.findUniqueOrThrow({ where: { id: asked.id } });
    const attempts = await Promise.all([
      h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/heartbeat`, { token: a.user, body: stale }),
      h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/report`, {
        token: a.user,
        body: { ...stale, step: 0, value: 1 },
      }),
      tell(a.user, asked.id, { ...stale, state: "complete", value: 1 }),
      h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/logs`, {
        token: a.user,
        body: { ...stale, text: "x" },
      }),
      h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/release`, {
        token: a.user,
        body: { ...stale, reason: "x" },
      }),
    ]);
    for (const reply of attempts) {
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe("lease_conflict");
    }
    const after = await h.prisma.trial.findUniqueOrThrow({ where: { id: asked.id } });
    expect(after).toEqual(before);
    expect(await h.prisma.trialReport.count({ where: { trialId: asked.id } })).toBe(0);

    expect(
      (await tell(a.user, asked.id, { leaseToken: asked.leaseToken, state: "complete", value: 3 })).status,
    ).toBe(200);
    const duplicate = await tell(a.user, asked.id, {
      leaseToken: asked.leaseToken,
      state: "complete",
      value: 99,
    });
    expect(duplicate.status).toBe(409);
    const late = await h.request("POST", `/v1/trials/${asked.id}/report`, {
      token: a.user,
      body: { leaseToken: asked.leaseToken, step: 5, value: 1 },
    });
    expect(late.status).toBe(409);
    expect((await h.prisma.trial.findUniqueOrThrow({ where: { id: asked.id } })).value).toBe(3);
  });

  it("answers an identical repeated tell (a retry after a lost response) with the stored trial", async () => {
    const studyId = await newStudy(a.user, "t-repeat-tell");
    const asked = await ask(a.user, studyId);
    const body = { leaseToken: asked.leaseToken, state: "complete", metrics: { loss: 0.5, acc: 0.8 } };
    const first = await tell(a.user, asked.id, body);
    expect(first.status).toBe(200);
    const repeat = await tell(a.user, asked.id, { ...body, metrics: { acc: 0.8, loss: 0.5 } });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    const different = await tell(a.user, asked.id, { ...body, metrics: { loss: 0.4, acc: 0.8 } });
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe("lease_conflict");
    const trials = await h.prisma.trial.findMany({ where: { studyId } });
    expect(trials.map((trial) => [trial.state, trial.value])).toEqual([["complete", 0.5]]);
  });

  it("stores a repeated report step once (idempotent)", async () => {
    const studyId = await newStudy(a.user, "t-dupreport");
    const asked = await ask(a.user, studyId);
    for (let i = 0; i < 2; i++) {
      const reply = await h.request("POST", `/v1/trials/${asked.id}/report`, {
        token: a.user,
        body: { leaseToken: asked.leaseToken, step: 2, value: 0.3 },
      });
      expect(reply.status).toBe(200);
    }
    expect(await h.prisma.trialReport.count({ where: { trialId: asked.id } })).toBe(1);
  });

  it("respects parallelism and maxTrials, and completes the study when the budget is spent", async () => {
    const studyId = await newStudy(a.user, "t-budget", { budget: { maxTrials: 2, parallelism: 1 } });
    const first = await ask(a.user, studyId);
    const blocked = await h.request<ErrorReply>("POST", `/v1/studies/${studyId}/ask`, {
      token: a.user,
      body: {},
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe("parallelism_reached");
    await tell(a.user, first.id, { leaseToken: first.leaseToken, state: "complete", value: 1 });
    const second = await ask(a.user, studyId);
    await tell(a.user, second.id, { leaseToken: second.leaseToken, state: "failed", error: "boom" });
    const done = await h.request<ErrorReply>("POST", `/v1/studies/${studyId}/ask`, {
      token: a.user,
      body: {},
    });
    expect(done.status).toBe(409);
    const study = await h.request<{ state: string }>("GET", `/v1/studies/${studyId}`, { token: a.user });
    expect(study.body.state).toBe("completed");
  });

  it("serves manual trials first, validated against the space", async () => {
    const studyId = await newStudy(a.user, "t-manual");
    const bad = await h.request<ErrorReply>("POST", `/v1/studies/${studyId}/trials`, {
      token: a.user,
      body: { params: { x: 50, opt: "sgd" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.issues?.[0]?.path[0]).toBe("params");
    const manual = await h.request<TrialReply>("POST", `/v1/studies/${studyId}/trials`, {
      token: a.user,
      body: { params: { x: 1.5, opt: "adam" } },
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ state: "waiting", origin: "manual", number: 0 });
    const asked = await ask(a.user, studyId);
    expect(asked.id).toBe(manual.body.id);
    expect(asked.params).toEqual({ x: 1.5, opt: "adam" });
  });
});

describe("worker lifecycle", () => {
  it("registers workers, claims a queued trial, heartbeats, logs, releases for a retry", async () => {
    const studyId = await newStudy(a.user, "t-worker", {
      trainer: { type: "command", command: ["python3", "train.py"] },
    });
    const register = await h.request<{ id: string }>("POST", "/v1/workers", {
      token: a.worker,
      body: { id: "w-1", host: "box", gpus: ["0"], backend: "cpu", slots: 2 },
    });
    expect(register.status).toBe(200);
    const manual = await h.request<TrialReply>("POST", `/v1/studies/${studyId}/trials`, {
      token: a.user,
      body: { params: { x: 0, opt: "sgd" } },
    });
    const claim = await h.request<{
      leaseToken: string;
      definition: { name: string };
      seed: number;
      number: number;
    }>("POST", `/v1/trials/${manual.body.id}/claim`, {
      token: a.worker,
      body: { workerId: "w-1", gpu: "0" },
    });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ number: 0, seed: 1, definition: { name: "t-worker" } });
    const again = await h.request<ErrorReply>("POST", `/v1/trials/${manual.body.id}/claim`, {
      token: a.worker,
      body: { workerId: "w-2" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("not_claimable");
    const lease = claim.body.leaseToken;
    const beat = await h.request<{ stop: boolean }>("POST", `/v1/trials/${manual.body.id}/heartbeat`, {
      token: a.worker,
      body: { leaseToken: lease },
    });
    expect(beat.body).toEqual({ stop: false });
    expect(
      (
        await h.request("POST", `/v1/trials/${manual.body.id}/logs`, {
          token: a.worker,
          body: { leaseToken: lease, text: "epoch 1\n" },
        })
      ).status,
    ).toBe(204);
    const logs = await h.request("GET", `/v1/trials/${manual.body.id}/logs`, { token: a.user });
    expect(logs.text).toBe("epoch 1\n");
    const workers = await h.request<{ items: { id: string; runningTrials: number; alive: boolean }[] }>(
      "GET",
      "/v1/workers",
      { token: a.user },
    );
    expect(workers.body.items).toEqual([
      expect.objectContaining({ id: "w-1", runningTrials: 1, alive: true }),
    ]);
    const released = await h.request<{ trial: TrialReply; retry: TrialReply }>(
      "POST",
      `/v1/trials/${manual.body.id}/release`,
      { token: a.worker, body: { leaseToken: lease, reason: "worker shutting down" } },
    );
    expect(released.status).toBe(200);
    expect(released.body.trial.state).toBe("abandoned");
    expect(released.body.retry).toMatchObject({ state: "waiting", number: 1, params: { x: 0, opt: "sgd" } });

    const stop = await h.request("PATCH", `/v1/studies/${studyId}`, {
      token: a.user,
      body: { action: "stop" },
    });
    expect(stop.status).toBe(200);
    // The retry never started: a stopped study cancels it (it is no failure of the point).
    expect((await h.prisma.trial.findUniqueOrThrow({ where: { id: released.body.retry.id } })).state).toBe(
      "cancelled",
    );
  });

  it("registers the same new worker concurrently without a conflict", async () => {
    const body = { id: "w-race", host: "box", gpus: [], backend: "cpu", slots: 1 };
    const replies = await Promise.all(
      [1, 2, 3, 4].map(() => h.request("POST", "/v1/workers", { token: a.worker, body })),
    );
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
  });

  it("validates worker registration, claim, report and log bodies with paths", async () => {
    const bad = await h.request<ErrorReply>("POST", "/v1/workers", {
      token: a.worker,
      body: { id: "has space", host: "", gpus: "0", backend: "cpu", slots: -1, extra: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.issues?.map((issue) => issue.path[0])).toEqual(
      expect.arrayContaining(["id", "host", "gpus", "slots"]),
    );
    const studyId = await newStudy(a.user, "t-validate");
    const asked = await ask(a.user, studyId);
    const claim = await h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/claim`, {
      token: a.worker,
      body: {},
    });
    expect(claim.status).toBe(400);
    expect(claim.body.error.details?.issues?.[0]?.path).toEqual(["workerId"]);
    const report = await h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/report`, {
      token: a.user,
      body: { leaseToken: asked.leaseToken, step: -1, value: 1, metrics: { loss: "low" } },
    });
    expect(report.status).toBe(400);
    expect(report.body.error.details?.issues?.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["step", "metrics.loss"]),
    );
    const logs = await h.request<ErrorReply>("POST", `/v1/trials/${asked.id}/logs`, {
      token: a.user,
      body: { leaseToken: asked.leaseToken },
    });
    expect(logs.status).toBe(400);
    expect(logs.body.error.details?.issues?.[0]?.path).toEqual(["text"]);
    expect((await h.request("GET", "/v1/trials/not-a-uuid", { token: a.user })).status).toBe(404);
  });

  it("tells a running worker to stop once the study is stopped", async () => {
    const studyId = await newStudy(a.user, "t-stop");
    const asked = await ask(a.user, studyId);
    await h.request("PATCH", `/v1/studies/${studyId}`, { token: a.user, body: { action: "stop" } });
    const beat = await h.request<{ stop: boolean }>("POST", `/v1/trials/${asked.id}/heartbeat`, {
      token: a.user,
      body: { leaseToken: asked.leaseToken },
    });
    expect(beat.body.stop).toBe(true);
  });
});
