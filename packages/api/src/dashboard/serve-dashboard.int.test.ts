import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness } from "../testing/api-harness.js";
import { dashboardSecurityHeaders } from "./serve-dashboard.js";

let h: ApiHarness;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "hpo-dashboard-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(
    join(dist, "index.html"),
    '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  writeFileSync(join(dist, "assets", "app-1a2b.js"), "console.log('app');\n");
  h = await startApiHarness("api_dashboard_static", { dashboardDir: dist });
});
afterAll(async () => {
  await h.close();
  rmSync(dist, { recursive: true, force: true });
});

describe("the dashboard served by the API", () => {
  it.each(["/", "/workers", "/studies/0b7c1e9e-7a35-4b5e-9a4e-3d3f0c2b1a00", "/studies/x/trials/12"])(
    "answers the app at %s, without a key, with the security headers",
    async (path) => {
      const reply = await h.request("GET", path, { token: null });
      expect(reply.status).toBe(200);
      expect(reply.headers["content-type"]).toContain("text/html");
      expect(reply.headers["cache-control"]).toBe("no-cache");
      expect(reply.text).toContain("/assets/app-1a2b.js");
      for (const [name, value] of Object.entries(dashboardSecurityHeaders))
        expect(reply.headers[name]).toBe(value);
    },
  );

  it("allows only the dashboard's own scripts and styles: no inline code, no eval, no other origin", () => {
    const csp = dashboardSecurityHeaders["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("serves hashed assets for a year", async () => {
    const reply = await h.request("GET", "/assets/app-1a2b.js", { token: null });
    expect(reply.status).toBe(200);
    expect(reply.headers["cache-control"]).toContain("immutable");
    expect(reply.headers["content-security-policy"]).toBeDefined();
  });

  it("keeps the API, health and docs routes as they were", async () => {
    expect((await h.request("GET", "/v1/studies", { token: null })).status).toBe(401);
    expect((await h.request("GET", "/v1/nothing-here", { token: h.adminToken })).status).toBe(404);
    expect((await h.request("GET", "/healthz", { token: null })).status).toBe(200);
    expect((await h.request("GET", "/assets/missing.js", { token: null })).status).toBe(404);
    const docs = await h.request<{ paths: Record<string, unknown> }>("GET", "/docs/json", { token: null });
    expect(Object.keys(docs.body.paths)).toContain("/v1/studies/{id}/summary");
    expect(Object.keys(docs.body.paths)).not.toContain("/workers");
  });
});
