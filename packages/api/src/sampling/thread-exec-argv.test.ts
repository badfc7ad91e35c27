import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { threadExecArgv } from "./sampler-pool.js";

const apiPackageDir = fileURLToPath(new URL("../../", import.meta.url));

describe("sampler threads' flags", () => {
  it("keeps the module-loading flags and drops the per-process ones", () => {
    expect(
      threadExecArgv([
        "--max-old-space-size=512",
        "--trace-gc",
        "--import",
        "tsx",
        "--conditions=source",
        "--heapsnapshot-signal=SIGUSR2",
        "-r",
        "./preload.cjs",
      ]),
    ).toEqual(["--import", "tsx", "--conditions=source", "-r", "./preload.cjs"]);
  });

  it("lets a process started with V8 flags start its sampler threads", () => {
    // A real process with the flags an operator (or the soak) adds; a thread per pool, one call on it.
    const script = [
      'import { createSamplerPool } from "./src/sampling/sampler-pool.ts";',
      "const pool = createSamplerPool({ threads: 1, maxQueue: 4 });",
      'const result = await pool.importance({ space: [{ name: "x", type: "float", low: 0, high: 1 }], trials: [], directions: ["minimize"], seed: 1 });',
      "await pool.close();",
      'process.stdout.write(JSON.stringify({ ok: typeof result === "object" }));',
    ].join("\n");
    const child = spawnSync(
      process.execPath,
      [
        "--max-old-space-size=512",
        "--trace-gc",
        "--import",
        "tsx",
        "--conditions=source",
        "--input-type=module",
        "-e",
        script,
      ],
      { cwd: apiPackageDir, encoding: "utf8", timeout: 120_000 },
    );
    expect(child.stderr).not.toContain("ERR_WORKER_INVALID_EXEC_ARGV");
    expect(child.stdout).toContain('{"ok":true}');
  }, 150_000);
});
