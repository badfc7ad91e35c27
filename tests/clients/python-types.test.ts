import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../e2e/support/service-process.js";

const run = promisify(execFile);
const pyright = createRequire(import.meta.url).resolve("pyright/index.js");

describe("Python client types", () => {
  it("type-checks with pyright for Python 3.9 (strict for the package, standard for tests and examples)", async () => {
    // clients/python/pyrightconfig.json holds the settings; pyright exits non-zero on any error.
    const result = await run(process.execPath, [pyright, "-p", "clients/python"], {
      cwd: repoRoot,
      maxBuffer: 10 * 1024 * 1024,
    }).catch((error: unknown) => error as { stdout?: string; stderr?: string; code?: number });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    expect(output).toMatch(/0 errors, 0 warnings/);
  }, 120_000);
});
