import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

describe("npm run worker -- --help", () => {
  it("prints the usage and exits 0 without any configuration", async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env["PATH"], HOME: process.env["HOME"] };
    // No HPO_API_URL / HPO_TOKEN: help must not need them.
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "worker", "--", "--help"], {
      cwd: repoRoot,
      env,
    });
    expect(stdout).toContain("Usage: npm run worker -- [options]");
    expect(stdout).toContain("--concurrency N");
    expect(stdout).toContain("--in-process");
    expect(stdout).toContain("HPO_API_URL");
  });
});
