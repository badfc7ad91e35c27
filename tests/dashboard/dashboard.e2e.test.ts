import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  startDashboardHarness,
  type DashboardHarness,
} from "../../packages/dashboard/bench/dashboard-harness.js";
import { seedBigStudy } from "../../packages/dashboard/bench/seed-big-study.js";
import { RestClient } from "../e2e/support/e2e-stack.js";
import { repoRoot } from "../e2e/support/service-process.js";
import { PageGuard } from "./support/page-guard.js";

/**
 * The dashboard in a real browser (Debian's chromium, driven by playwright-core) against the real API,
 * Postgres and Redis. With HPO_DASHBOARD_SCREENSHOTS=1 each page is also saved to docs/screenshots/.
 */
const screenshotDir =
  process.env["HPO_DASHBOARD_SCREENSHOTS"] === "1" ? join(repoRoot, "docs", "screenshots") : null;
const ready = 'main[data-ready="true"]';
const optionalRoutes = /\/v1\/studies\/[^/]+\/(importance|pareto)$/;

const definition = (name: string) => ({
  name,
  description: "Driven by the browser test through ask and tell",
  objective: { metric: "loss", direction: "minimize" },
  space: [
    { name: "learning_rate", type: "float", low: 1e-4, high: 1, log: true },
    { name: "layers", type: "int", low: 1, high: 4 },
    { name: "initializer", type: "categorical", choices: ["zeros", "xavier", "he"] },
  ],
  sampler: { type: "random" },
  budget: { maxTrials: 500, parallelism: 4 },
  seed: 3,
});

/** Diagnostics as the tfjs trainer reports them: a zero-initialized network whose units stay identical. */
const symmetricDiagnostics = {
  snapshots: (["init", "epoch-1", "final"] as const).map((at, index) => ({
    at,
    epoch: index,
    loss: 2.3 - index * 0.1,
    layers: [
      {
        layer: 1,
        kind: "hidden",
        units: 32,
        deadFraction: 0,
        saturatedFraction: 0,
        activationMean: 0,
        activationStd: 0,
        gradientNorm: 0,
        weightStd: 0,
        symmetricWeights: true,
      },
      {
        layer: 2,
        kind: "output",
        units: 10,
        deadFraction: 0,
        saturatedFraction: 0,
        activationMean: 0,
        activationStd: 0,
        gradientNorm: 0.12,
        weightStd: 0.01,
        symmetricWeights: false,
      },
    ],
  })),
  flags: ["symmetric-weights"],
  thresholds: { deadFraction: 0.5, saturatedFraction: 0.25 },
};

interface Asked {
  id: string;
  number: number;
  params: Record<string, number | string>;
  leaseToken: string;
}

describe("dashboard in Chromium", () => {
  let harness: DashboardHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let guard: PageGuard;
  let user: RestClient;
  let studyId = "";

  const lossOf = (params: Asked["params"]) =>
    (Math.log10(Number(params["learning_rate"])) + 2) ** 2 + (params["initializer"] === "zeros" ? 1 : 0);

  /** One whole trial through ask, two reports and tell, as an external training script would. */
  const runTrial = async (extra: Record<string, unknown> = {}, workerId?: string): Promise<Asked> => {
    const asked = await user.ok<Asked>("POST", `/v1/studies/${studyId}/ask`, workerId ? { workerId } : {});
    const loss = lossOf(asked.params);
    for (const step of [1, 2]) {
      await user.ok("POST", `/v1/trials/${asked.id}/report`, {
        leaseToken: asked.leaseToken,
        step,
        metrics: { loss: loss * (1 + 0.5 / step), accuracy: 0.5 + step * 0.1 },
      });
    }
    await user.ok("POST", `/v1/trials/${asked.id}/tell`, {
      leaseToken: asked.leaseToken,
      state: "complete",
      metrics: { loss, accuracy: 0.8 },
      ...extra,
    });
    return asked;
  };

  const shoot = async (name: string) => {
    if (!screenshotDir) return;
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    harness = await startDashboardHarness("browser");
    user = new RestClient(harness.url, harness.userKey);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    guard = new PageGuard(page);
    guard.allow({ status: 404, url: optionalRoutes });
    studyId = (await user.ok<{ id: string }>("POST", "/v1/studies", definition("live-study"))).id;
    for (let i = 0; i < 6; i++) await runTrial();
  }, 180_000);

  afterEach(() => {
    expect(guard.take()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  }, 60_000);

  it("refuses a wrong key with a clear message, signs in with a right one and never puts the key in a URL", async () => {
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));
    guard.allow({ status: 401, url: /\/v1\/studies\?limit=1$/ });
    await page.goto(`${harness.url}/`);
    await page.fill('input[name="apiKey"]', "hpo_not-a-key");
    await page.click('button[type="submit"]');
    await page.waitForSelector("text=This API key was not accepted");
    await shoot("sign-in");
    await page.fill('input[name="apiKey"]', harness.userKey);
    await page.click('button[type="submit"]');
    await page.waitForSelector(ready);
    expect(await page.textContent("main")).toContain("live-study");
    expect(urls.some((url) => url.includes(harness.userKey) || url.includes("apiKey"))).toBe(false);
    expect(await page.evaluate("sessionStorage.getItem('hpo.apiKey')")).toBe(harness.userKey);
  });

  it("signs in from a #key= link and removes the fragment at once", async () => {
    await page.evaluate("sessionStorage.clear()");
    await page.goto(`${harness.url}/workers#key=${encodeURIComponent(harness.userKey)}`);
    expect(page.url()).toBe(`${harness.url}/workers`);
    await page.waitForSelector(ready);
    await page.goto(`${harness.url}/`);
    await page.waitForSelector(ready);
  });

  it("lists studies and filters them by state and name", async () => {
    await user.ok("POST", "/v1/studies", { ...definition("paused-other"), budget: { maxTrials: 5 } });
    const other = await user.ok<{ items: { id: string; name: string }[] }>(
      "GET",
      "/v1/studies?name=paused-other",
    );
    await user.ok("PATCH", `/v1/studies/${other.items[0]?.id ?? ""}`, { action: "pause" });
    await page.goto(`${harness.url}/`);
    await page.waitForSelector("text=paused-other");
    await shoot("studies");
    await page.selectOption('select[aria-label="Filter by state"]', "paused");
    await expect.poll(() => page.textContent("tbody"), { timeout: 20_000 }).not.toContain("live-study");
    expect(await page.textContent("tbody")).toContain("paused-other");
    await page.selectOption('select[aria-label="Filter by state"]', "");
    await page.fill('input[aria-label="Filter by name"]', "live");
    await expect.poll(() => page.textContent("tbody"), { timeout: 20_000 }).not.toContain("paused-other");
    expect(await page.textContent("tbody")).toContain("live-study");
  });

  it("opens a running study and shows a trial told meanwhile without reloading", async () => {
    await page.goto(`${harness.url}/studies/${studyId}`);
    await page.waitForSelector(ready);
    await page.waitForSelector('[data-testid="stream-status"][data-status="live"]');
    expect(await page.textContent('[data-testid="count-complete"]')).toBe("6");
    await page.evaluate("window.stayedOnPage = true");
    const asked = await runTrial();
    await page.waitForSelector(`tr[data-trial="${asked.number}"]`);
    await expect
      .poll(() => page.textContent('[data-testid="count-complete"]'), { timeout: 20_000 })
      .toBe("7");
    // Same document: the page updated in place from the event stream, it was not reloaded.
    expect(await page.evaluate("window.stayedOnPage")).toBe(true);
    await shoot("study");
  });

  it("pauses and resumes the study from its page", async () => {
    await page.click('button:has-text("Pause")');
    await page.waitForSelector(".study-header .badge.state-paused");
    expect((await user.ok<{ state: string }>("GET", `/v1/studies/${studyId}`)).state).toBe("paused");
    await page.click('button:has-text("Resume")');
    await page.waitForSelector(".study-header .badge.state-running");
    expect((await user.ok<{ state: string }>("GET", `/v1/studies/${studyId}`)).state).toBe("running");
  });

  it("adds a manual trial from a form built from the space", async () => {
    await page.click('button:has-text("Add trial")');
    await page.fill('input[name="learning_rate"]', "0.01");
    await page.fill('input[name="layers"]', "3");
    await page.selectOption('select[name="initializer"]', "he");
    await page.click('button[type="submit"]:has-text("Add trial")');
    await page.waitForSelector("text=runs before any sampled point");
    const manual = await user.ok<{
      items: { number: number; origin: string; params: Record<string, unknown> }[];
    }>("GET", `/v1/studies/${studyId}/trials?state=waiting`);
    expect(manual.items).toHaveLength(1);
    expect(manual.items[0]?.origin).toBe("manual");
    expect(manual.items[0]?.params).toEqual({ learning_rate: 0.01, layers: 3, initializer: "he" });
    await page.waitForSelector(`tr[data-trial="${manual.items[0]?.number}"]`);
  });

  it("downloads exactly the filtered trials as CSV", async () => {
    await page.click('.chip:has-text("complete")');
    await expect
      .poll(() => page.textContent('[data-testid="trial-table"]'), { timeout: 20_000 })
      .toContain("7 trials match");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="download-csv"]'),
    ]);
    const path = await download.path();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toContain("param_learning_rate");
    expect(lines).toHaveLength(1 + 7);
    expect(lines.slice(1).every((line) => line.split(",")[1] === "complete")).toBe(true);
  });

  it("opens a trial with its params, per-step chart, log tail and diagnostics in plain words", async () => {
    const asked = await user.ok<Asked>("POST", `/v1/studies/${studyId}/ask`, { workerId: "browser-worker" });
    await user.ok("POST", `/v1/trials/${asked.id}/report`, {
      leaseToken: asked.leaseToken,
      step: 1,
      metrics: { loss: 3 },
    });
    await user.ok("POST", `/v1/trials/${asked.id}/logs`, {
      leaseToken: asked.leaseToken,
      text: "epoch 1 loss=3.0\nepoch 2 loss=2.9\n",
    });
    await user.ok("POST", `/v1/trials/${asked.id}/tell`, {
      leaseToken: asked.leaseToken,
      state: "complete",
      metrics: { loss: 2.9 },
      diagnostics: symmetricDiagnostics,
    });
    await page.goto(`${harness.url}/studies/${studyId}/trials/${asked.number}`);
    await page.waitForSelector(ready);
    await page.waitForSelector('[data-testid="diagnostics-panel"] [data-flag="symmetric-weights"]');
    expect(await page.textContent('[data-testid="diagnostics-panel"]')).toContain(
      "zero initialization keeps every unit identical",
    );
    expect(await page.textContent('[data-testid="log-tail"]')).toContain("epoch 2 loss=2.9");
    expect(await page.textContent('[data-testid="trial-value"]')).toBe("2.9");
    await shoot("trial");
  });

  it("shows the workers with their running trial and heartbeat age", async () => {
    const worker = new RestClient(harness.url, harness.workerKey);
    await worker.ok("POST", "/v1/workers", {
      id: "gpu-box-1",
      host: "gpu-box-1.lab",
      gpus: ["0", "1"],
      backend: "tfjs-node-gpu",
      slots: 2,
    });
    const asked = await user.ok<Asked>("POST", `/v1/studies/${studyId}/ask`, { workerId: "gpu-box-1" });
    await page.goto(`${harness.url}/workers`);
    await page.waitForSelector(ready);
    const row = await page.textContent('tr[data-worker="gpu-box-1"]');
    expect(row).toContain("gpu-box-1.lab");
    expect(row).toContain("0, 1");
    expect(row).toContain(`live-study #${asked.number}`);
    expect(row).toMatch(/just now|s ago/);
    await shoot("workers");
    await user.ok("POST", `/v1/trials/${asked.id}/tell`, {
      leaseToken: asked.leaseToken,
      state: "failed",
      error: "test",
    });
  });

  it("returns to the sign-in form when the key is revoked", async () => {
    guard.allow({ status: 401, url: /\/v1\// });
    const response = await fetch(`${harness.url}/v1/keys/${harness.userKeyId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${harness.adminToken}` },
    });
    expect(response.status).toBe(204);
    await page.click('a.nav-link:has-text("Studies")');
    await page.waitForSelector('input[name="apiKey"]');
    expect(await page.textContent(".form-error")).toContain("no longer accepted");
    expect(await page.evaluate("sessionStorage.getItem('hpo.apiKey')")).toBeNull();
  });

  it("draws a 20,000-trial study (the time is the benchmark's; here only a generous bound)", async () => {
    const key = await fetch(`${harness.url}/v1/projects/${harness.projectId}/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "user" }),
    }).then(async (answer) => ((await answer.json()) as { key: string }).key);
    const bigId = await seedBigStudy(harness.db.prisma, {
      projectId: harness.projectId,
      name: "big-20k",
      trials: 20_000,
      prunedFraction: 0.08,
      failedFraction: 0.01,
    });
    const started = Date.now();
    await page.goto(`${harness.url}/studies/${bigId}#key=${encodeURIComponent(key)}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    const elapsed = Date.now() - started;
    process.stdout.write(`[dashboard] 20,000-trial study page drawn in ${elapsed} ms (sign-in included)\n`);
    expect(await page.textContent('[data-testid="count-complete"]')).toMatch(/^18,\d{3}$/);
    await shoot("study-20k");
  }, 120_000);
});
