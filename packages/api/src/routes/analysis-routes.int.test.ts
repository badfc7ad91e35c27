import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleDefinition,
  startApiHarness,
  type ApiHarness,
  type TenantKeys,
} from "../testing/api-harness.js";

interface IssueReply {
  error: { code: string; details: { issues?: { path: (string | number)[]; message: string }[] } | null };
}
interface Asked {
  id: string;
  number: number;
  params: Record<string, unknown>;
  leaseToken: string;
}
interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  values: number[];
  constraintViolations: number[];
  feasible: boolean | null;
  origin: string;
  params: Record<string, unknown>;
}
interface ParetoJson {
  objectives: { metric: string; direction: string }[];
  front: { number: number; values: number[]; feasible: boolean }[];
  completed: number;
  feasible: number;
  note: string | null;
}
interface StudyJson {
  id: string;
  definition: { objective: { metric: string }; objectives: { metric: string }[] };
  best: { number: number; values: number[] } | null;
  bestTrials: { number: number; values: number[] }[];
  bestNote: string | null;
}

let h: ApiHarness;
let a: TenantKeys;
let b: TenantKeys;
beforeAll(async () => {
  h = await startApiHarness("api_analysis");
  a = await h.createTenant("analysis-a");
  b = await h.createTenant("analysis-b");
});
afterAll(async () => {
  await h.close();
});

async function create(token: string, body: Record<string, unknown>) {
  return h.request<StudyJson & IssueReply>("POST", "/v1/studies", { token, body });
}

async function askTell(studyId: string, body: Record<string, unknown>): Promise<TrialJson & IssueReply> {
  const asked = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} });
  expect(asked.status).toBe(200);
  const told = await h.request<TrialJson & IssueReply>("POST", `/v1/trials/${asked.body.id}/tell`, {
    token: a.user,
    body: { leaseToken: asked.body.leaseToken, ...body },
  });
  return told.body;
}

const twoObjectives = {
  objective: undefined,
  objectives: [
    { metric: "accuracy", direction: "maximize" },
    { metric: "latency", direction: "minimize" },
  ],
  constraints: [{ metric: "memory", op: "<=", value: 100 }],
};

describe("several objectives and constraints through the API", () => {
  it("stores each objective's value and feasibility, and serves the Pareto front as the study's best", async () => {
    const created = await create(a.user, exampleDefinition("mo-front", twoObjectives));
    expect(created.status).toBe(201);
    expect(created.body.definition.objective.metric).toBe("accuracy");
    const studyId = created.body.id;
    // (accuracy ↑, latency ↓, memory): #0 and #2 are non-dominated; #1 is dominated by #0; #3 would
    // dominate everything but uses too much memory; #4 ties with nothing and trades off with #0 and #2.
    const results = [
      { accuracy: 0.9, latency: 20, memory: 50 },
      { accuracy: 0.8, latency: 30, memory: 50 },
      { accuracy: 0.7, latency: 5, memory: 50 },
      { accuracy: 0.99, latency: 1, memory: 500 },
      { accuracy: 0.85, latency: 10, memory: 50 },
    ];
    const told = [];
    for (const metrics of results) told.push(await askTell(studyId, { state: "complete", metrics }));
    expect(told[0]).toMatchObject({
      values: [0.9, 20],
      value: 0.9,
      feasible: true,
      constraintViolations: [-50],
    });
    expect(told[3]).toMatchObject({ feasible: false, constraintViolations: [400] });

    const pareto = await h.request<ParetoJson>("GET", `/v1/studies/${studyId}/pareto`, { token: a.user });
    expect(pareto.status).toBe(200);
    expect(pareto.body.front.map((point) => point.number)).toEqual([0, 2, 4]);
    expect(pareto.body).toMatchObject({ completed: 5, feasible: 4, note: null });

    const study = await h.request<StudyJson>("GET", `/v1/studies/${studyId}`, { token: a.user });
    // Ordered by the first objective (accuracy, maximized): #0, #4, #2.
    expect(study.body.bestTrials.map((trial) => trial.number)).toEqual([0, 4, 2]);
    expect(study.body.best).toMatchObject({ number: 0, values: [0.9, 20] });

    const other = await h.request("GET", `/v1/studies/${studyId}/pareto`, { token: b.user });
    expect(other.status).toBe(404);
  });

  it("asks the model-based samplers for several objectives under a constraint", async () => {
    for (const sampler of [
      { type: "auto" },
      { type: "tpe", nStartupTrials: 4 },
      { type: "nsga2", populationSize: 4 },
    ]) {
      const created = await create(
        a.user,
        exampleDefinition(`mo-${sampler.type}`, {
          ...twoObjectives,
          sampler,
          budget: { maxTrials: 12, parallelism: 1 },
        }),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      for (let i = 0; i < 10; i++) {
        const asked = await h.request<Asked>("POST", `/v1/studies/${created.body.id}/ask`, {
          token: a.user,
          body: {},
        });
        expect(asked.status).toBe(200);
        const x = Number(asked.body.params["x"]);
        const told = await h.request<TrialJson>("POST", `/v1/trials/${asked.body.id}/tell`, {
          token: a.user,
          body: {
            leaseToken: asked.body.leaseToken,
            state: "complete",
            metrics: { accuracy: -x * x, latency: x, memory: 50 + x },
          },
        });
        expect(told.status).toBe(200);
      }
      const pareto = await h.request<ParetoJson>("GET", `/v1/studies/${created.body.id}/pareto`, {
        token: a.user,
      });
      expect(pareto.body.front.length).toBeGreaterThan(0);
    }
  });

  it("answers 400 with the path of each missing objective or constrained metric, and accepts explicit values", async () => {
    const created = await create(a.user, exampleDefinition("mo-missing", twoObjectives));
    const missing = await askTell(created.body.id, { state: "complete", metrics: { accuracy: 0.5 } });
    expect(missing.error.code).toBe("validation_failed");
    expect(missing.error.details?.issues?.map((issue) => issue.path)).toEqual([
      ["metrics", "latency"],
      ["metrics", "memory"],
    ]);
    const explicit = await askTell(created.body.id, {
      state: "complete",
      values: [0.5, 3],
      metrics: { memory: 1 },
    });
    expect(explicit).toMatchObject({ values: [0.5, 3], feasible: true });
  });

  it("never calls an infeasible trial the best, and says so when none is feasible", async () => {
    const created = await create(
      a.user,
      exampleDefinition("constrained", { constraints: [{ metric: "memory", op: "<=", value: 10 }] }),
    );
    const studyId = created.body.id;
    await askTell(studyId, { state: "complete", metrics: { loss: 1, memory: 50 } });
    let study = await h.request<StudyJson>("GET", `/v1/studies/${studyId}`, { token: a.user });
    expect(study.body.best).toBeNull();
    expect(study.body.bestNote).toMatch(/None of the 1 completed trials satisfies every constraint/);
    await askTell(studyId, { state: "complete", metrics: { loss: 3, memory: 5 } });
    study = await h.request<StudyJson>("GET", `/v1/studies/${studyId}`, { token: a.user });
    expect(study.body.best).toMatchObject({ number: 1, values: [3] });
    expect(study.body.bestNote).toBeNull();
  });

  it("rejects inconsistent objectives with the path of the problem", async () => {
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ objectives: [{ metric: "acc", direction: "maximize" }] }, ["objectives", 0]],
      [
        {
          objective: undefined,
          objectives: [
            { metric: "a", direction: "minimize" },
            { metric: "a", direction: "maximize" },
          ],
        },
        ["objectives", 1, "metric"],
      ],
      [{ ...twoObjectives, budget: { maxTrials: 5, targetValue: 1 } }, ["budget", "targetValue"]],
      [{ objective: undefined }, ["objective"]],
      [{ constraints: [{ metric: "m", op: "<", value: 1 }] }, ["constraints", 0, "op"]],
    ];
    for (const [overrides, path] of cases) {
      const reply = await create(a.user, exampleDefinition("bad-objectives", overrides));
      expect(reply.status, JSON.stringify(overrides)).toBe(400);
      expect(reply.body.error.details?.issues?.map((issue) => issue.path)).toContainEqual(path);
    }
  });
});

describe("initial trials and warm start", () => {
  it("creates the initial trials with the study, numbered first and served before any sampled point", async () => {
    const initialTrials = [
      { x: 1, opt: "sgd" },
      { x: -2, opt: "adam" },
    ];
    const created = await create(a.user, exampleDefinition("initial", { initialTrials }));
    expect(created.status).toBe(201);
    const trials = await h.request<{ items: TrialJson[] }>("GET", `/v1/studies/${created.body.id}/trials`, {
      token: a.user,
    });
    expect(trials.body.items.map((trial) => [trial.number, trial.state, trial.origin, trial.params])).toEqual(
      [
        [0, "waiting", "manual", { x: 1, opt: "sgd" }],
        [1, "waiting", "manual", { x: -2, opt: "adam" }],
      ],
    );
    const first = await askTell(created.body.id, { state: "complete", value: 1 });
    expect(first).toMatchObject({ number: 0, params: { x: 1, opt: "sgd" } });
  });

  it("checks initial trials against the space and the budget, and warm-start studies against the project", async () => {
    const outside = await create(
      a.user,
      exampleDefinition("initial-bad", {
        initialTrials: [
          { x: 1, opt: "sgd" },
          { x: 50, opt: "sgd" },
        ],
      }),
    );
    expect(outside.status).toBe(400);
    expect(outside.body.error.details?.issues?.[0]?.path).toEqual(["initialTrials", 1, "x"]);
    const tooMany = await create(
      a.user,
      exampleDefinition("initial-many", {
        budget: { maxTrials: 1 },
        initialTrials: [
          { x: 1, opt: "sgd" },
          { x: 2, opt: "sgd" },
        ],
      }),
    );
    expect(tooMany.body.error.details?.issues?.map((issue) => issue.path)).toContainEqual(["initialTrials"]);

    const theirs = await create(b.user, exampleDefinition("their-study"));
    const ours = await create(a.user, exampleDefinition("our-source"));
    const foreign = await create(
      a.user,
      exampleDefinition("warm-bad", { warmStart: { studies: [ours.body.id, theirs.body.id] } }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details?.issues?.map((issue) => issue.path)).toEqual([
      ["warmStart", "studies", 1],
    ]);
    const fine = await create(
      a.user,
      exampleDefinition("warm-ok", { warmStart: { studies: [ours.body.id] } }),
    );
    expect(fine.status).toBe(201);
  });
});

describe("importance and warm start from the history", () => {
  async function runTrials(studyId: string, count: number, loss: (x: number) => number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const asked = await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} });
      expect(asked.status).toBe(200);
      const x = Number(asked.body.params["x"]);
      await h.request("POST", `/v1/trials/${asked.body.id}/tell`, {
        token: a.user,
        body: { leaseToken: asked.body.leaseToken, state: "complete", value: loss(x) },
      });
    }
  }

  it("ranks the param that drives the objective first, and reuses the answer until a trial completes", async () => {
    const created = await create(
      a.user,
      exampleDefinition("importance", { budget: { maxTrials: 60, parallelism: 1 } }),
    );
    const studyId = created.body.id;
    await runTrials(studyId, 40, (x) => x * x);
    type ImportanceJson = {
      method: string;
      objectives: {
        metric: string;
        direction: string;
        trialsUsed: number;
        params: { name: string; importance: number }[];
      }[];
    };
    const reply = await h.request<ImportanceJson>("GET", `/v1/studies/${studyId}/importance`, {
      token: a.user,
    });
    expect(reply.status).toBe(200);
    const [objective] = reply.body.objectives;
    expect(objective).toMatchObject({ metric: "loss", direction: "minimize", trialsUsed: 40 });
    expect(objective?.params.map((param) => param.name)).toEqual(["x", "opt"]);
    expect(objective?.params[0]?.importance).toBeGreaterThan(0.8);
    expect(reply.body.method).toMatch(/fanova/);
    const again = await h.request<ImportanceJson>("GET", `/v1/studies/${studyId}/importance`, {
      token: a.user,
    });
    expect(again.body).toEqual(reply.body);
    expect((await h.request("GET", `/v1/studies/${studyId}/importance`, { token: b.user })).status).toBe(404);
  });

  it("feeds a warm-start study's sampler with the earlier study's trials", async () => {
    const source = await create(
      a.user,
      exampleDefinition("warm-source", { budget: { maxTrials: 30, parallelism: 1 } }),
    );
    await runTrials(source.body.id, 25, (x) => (x - 3) ** 2);
    const sampler = { type: "tpe", nStartupTrials: 10 };
    const cold = await create(a.user, exampleDefinition("warm-cold", { sampler, seed: 5 }));
    const warm = await create(
      a.user,
      exampleDefinition("warm-warm", { sampler, seed: 5, warmStart: { studies: [source.body.id] } }),
    );
    const firstOf = async (studyId: string) =>
      (await h.request<Asked>("POST", `/v1/studies/${studyId}/ask`, { token: a.user, body: {} })).body.params;
    const coldFirst = await firstOf(cold.body.id);
    const warmFirst = await firstOf(warm.body.id);
    // Same seed, same space: only the prior trials can make the warm study's first point differ (a cold TPE
    // starts with Sobol points; a warm one models the earlier study's trials from the first ask).
    expect(warmFirst).not.toEqual(coldFirst);
  });
});
