import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fixture `nvidia-smi` that reports `count` GPUs of `memoryMiB` each (the CSV the worker queries), in a
 * fresh directory to put first on a worker's PATH. Returns that directory.
 */
export function fakeNvidiaSmi(count = 4, memoryMiB = 40_960, name = "Fake A100-SXM4-40GB"): string {
  const dir = mkdtempSync(join(tmpdir(), "hpo-fake-gpu-"));
  const lines = Array.from({ length: count }, (_, index) => `${index}, ${name}, ${memoryMiB}`).join("\\n");
  const script = join(dir, "nvidia-smi");
  writeFileSync(script, `#!/bin/sh\nprintf '${lines}\\n'\n`);
  chmodSync(script, 0o755);
  return dir;
}
