import { whoAmIReplySchema } from "@hpo/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness } from "../testing/api-harness.js";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness("api_session");
});
afterAll(async () => {
  await h.close();
});

describe("GET /v1/me and GET /v1/projects", () => {
  it("tells each key its role and project; the bootstrap admin has none", async () => {
    const tenant = await h.createTenant("me-a");
    for (const [token, role] of [
      [tenant.user, "user"],
      [tenant.worker, "worker"],
      [tenant.admin, "admin"],
    ] as const) {
      const me = await h.request("GET", "/v1/me", { token });
      expect(me.status).toBe(200);
      const body = whoAmIReplySchema.parse(me.body);
      expect(body.role).toBe(role);
      expect(body.project).toEqual({ id: tenant.projectId, name: "me-a" });
    }
    const bootstrap = whoAmIReplySchema.parse((await h.request("GET", "/v1/me")).body);
    expect(bootstrap).toEqual({ keyId: "bootstrap-admin", role: "admin", project: null });
    expect((await h.request("GET", "/v1/me", { token: "hpo_unknown" })).status).toBe(401);
  });

  it("lists every project to the bootstrap admin, only its own to a project admin, none to a user", async () => {
    const a = await h.createTenant("list-a");
    await h.createTenant("list-b");
    const all = await h.request<{ items: { name: string }[] }>("GET", "/v1/projects");
    expect(all.body.items.map((project) => project.name)).toEqual(
      expect.arrayContaining(["list-a", "list-b"]),
    );
    const own = await h.request<{ items: { id: string; name: string }[] }>("GET", "/v1/projects", {
      token: a.admin,
    });
    expect(own.body.items).toEqual([{ id: a.projectId, name: "list-a" }]);
    expect((await h.request("GET", "/v1/projects", { token: a.user })).status).toBe(403);
  });
});
