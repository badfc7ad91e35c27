import {
  askReplySchema,
  pageOf,
  reportReplySchema,
  studyReplySchema,
  trialReplySchema,
  type StudyEvent,
} from "@hpo/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleDefinition, startApiHarness, type ApiHarness, type TenantKeys } from "@hpo/api/testing";
import { callApi, callApiText, HpoApiError } from "./call-api.js";
import { createHpoClient, type HpoApi } from "./create-hpo-client.js";
import { followStudyEvents } from "./follow-study-events.js";

let h: ApiHarness;
let tenant: TenantKeys;
let baseUrl: string;
let api: HpoApi;

beforeAll(async () => {
  h = await startApiHarness("client");
  tenant = await h.createTenant("client");
  baseUrl = await h.app.listen({ port: 0, host: "127.0.0.1" });
  api = createHpoClient({ baseUrl, token: tenant.user });
});
afterAll(async () => {
  await h.close();
});

describe("@hpo/client against the real API", () => {
  it("drives an ask/tell study with typed calls and contract-parsed replies", async () => {
    const study = await callApi(
      "create",
      () => api.POST("/v1/studies", { body: exampleDefinition("typed") as never }),
      studyReplySchema,
    );
    expect(study.state).toBe("running");
    const asked = await callApi(
      "ask",
      () => api.POST("/v1/studies/{id}/ask", { params: { path: { id: study.id } }, body: {} }),
      askReplySchema,
    );
    const report = await callApi(
      "report",
      () =>
        api.POST("/v1/trials/{id}/report", {
          params: { path: { id: asked.id } },
          body: { leaseToken: asked.leaseToken, step: 1, metrics: { loss: 2 } },
        }),
      reportReplySchema,
    );
    expect(report).toEqual({ prune: false, stop: false });
    await callApi(
      "tell",
      () =>
        api.POST("/v1/trials/{id}/tell", {
          params: { path: { id: asked.id } },
          body: { leaseToken: asked.leaseToken, state: "complete", metrics: { loss: 1.5 } },
        }),
      trialReplySchema,
    );
    const trials = await callApi(
      "list",
      () =>
        api.GET("/v1/studies/{id}/trials", {
          params: { path: { id: study.id }, query: { state: "complete", sort: "value" } },
        }),
      pageOf(trialReplySchema),
    );
    expect(trials.items.map((trial) => trial.value)).toEqual([1.5]);
    const csv = await callApiText("csv", () =>
      api.GET("/v1/studies/{id}/trials", {
        params: { path: { id: study.id }, query: { format: "csv" } },
        parseAs: "text",
      }),
    );
    expect(csv.split("\n")[0]).toContain("number");
  });

  it("turns an error answer into an HpoApiError with the code, status and JSON paths", async () => {
    const error: unknown = await callApi(
      "create",
      () => api.POST("/v1/studies", { body: { name: "bad", space: [] } as never }),
      studyReplySchema,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HpoApiError);
    const apiError = error as HpoApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("validation_failed");
    expect(apiError.retryable).toBe(false);
    expect(JSON.stringify(apiError.details)).toContain("objective");
  });

  it("reports an unreachable API as retryable api_unreachable", async () => {
    const nowhere = createHpoClient({ baseUrl: "http://127.0.0.1:1", token: "x", timeoutMs: 2_000 });
    const error: unknown = await callApi("me", () => nowhere.GET("/v1/me"), studyReplySchema).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "api_unreachable", retryable: true });
  });

  it("follows a study's server-sent events, parsed with their contract", async () => {
    const study = await callApi(
      "create",
      () => api.POST("/v1/studies", { body: exampleDefinition("events") as never }),
      studyReplySchema,
    );
    const controller = new AbortController();
    const seen: StudyEvent[] = [];
    let connected!: () => void;
    const live = new Promise<void>((resolve) => (connected = resolve));
    const following = followStudyEvents({
      baseUrl,
      token: tenant.user,
      studyId: study.id,
      signal: controller.signal,
      onConnected: () => connected(),
      onEvent: (event) => {
        seen.push(event);
        if (event.type === "study.updated") controller.abort();
      },
    });
    await live;
    await callApi(
      "ask",
      () => api.POST("/v1/studies/{id}/ask", { params: { path: { id: study.id } }, body: {} }),
      askReplySchema,
    );
    await callApi(
      "pause",
      () => api.PATCH("/v1/studies/{id}", { params: { path: { id: study.id } }, body: { action: "pause" } }),
      studyReplySchema,
    );
    await following;
    expect(seen.map((event) => event.type)).toEqual(["trial.created", "study.updated"]);
    expect(seen[1]).toMatchObject({ state: "paused", studyId: study.id });
  });

  it("rejects at once when the study does not exist (retrying cannot help)", async () => {
    const error: unknown = await followStudyEvents({
      baseUrl,
      token: tenant.user,
      studyId: "00000000-0000-4000-8000-000000000000",
      signal: new AbortController().signal,
      onEvent: () => undefined,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404 });
  });
});
