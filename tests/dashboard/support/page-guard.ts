import type { Page } from "playwright-core";

export interface Allowance {
  /** HTTP statuses allowed for URLs matching `url` (e.g. 404 of a route this deployment does not have). */
  status: number;
  url: RegExp;
}

/**
 * Records what a test must never see on a page: console errors, uncaught exceptions, failed requests and
 * error answers, except the ones a test names (`allow`). Aborted requests (a page left while its event
 * stream was open) are not failures.
 */
export class PageGuard {
  readonly problems: string[] = [];
  private readonly allowances: Allowance[] = [];

  constructor(page: Page) {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const url = message.location().url;
      // Chromium logs every 4xx/5xx answer as a console error; those are judged by their status below.
      if (message.text().startsWith("Failed to load resource") && this.isAllowed(url, message.text())) return;
      this.problems.push(`console error: ${message.text()} (${url})`);
    });
    page.on("pageerror", (error) => this.problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => {
      const failure = request.failure()?.errorText ?? "";
      if (failure.includes("ERR_ABORTED")) return;
      this.problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
    });
    page.on("response", (response) => {
      const status = response.status();
      if (status < 400) return;
      if (
        this.allowances.some((allowance) => allowance.status === status && allowance.url.test(response.url()))
      )
        return;
      this.problems.push(`answer ${status}: ${response.request().method()} ${response.url()}`);
    });
  }

  allow(allowance: Allowance): void {
    this.allowances.push(allowance);
  }

  private isAllowed(url: string, text: string): boolean {
    const status = Number(/status of (\d+)/.exec(text)?.[1] ?? 0);
    return this.allowances.some((allowance) => allowance.status === status && allowance.url.test(url));
  }

  /** Returns the problems seen since the last call and forgets them. */
  take(): string[] {
    return this.problems.splice(0);
  }
}
