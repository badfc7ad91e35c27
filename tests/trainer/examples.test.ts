import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateStudyDefinition } from "@hpo/core";
import type { CommandTrainerSpec } from "@hpo/contracts";
import { runCommandTrainer } from "@hpo/trainer";
import { createRecordingContext } from "./support/test-context.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function readStudy(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
}

/** An example study whose trainer is a command, parsed as the service would parse it. */
function readCommandStudy(path: string): { trainer: CommandTrainerSpec } {
  const result = validateStudyDefinition(readStudy(path));
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.issues)}`);
  const trainer = result.value.trainer;
  if (trainer.type !== "command") throw new Error(`${path}: not a command-trainer study`);
  return { trainer };
}

/** Whether this machine's python3 can import torch (the PyTorch example needs it). */
function torchAvailable(): boolean {
  return spawnSync("python3", ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}
const hasTorch = torchAvailable();
if (!hasTorch) {
  console.warn('examples.test.ts: skipping the PyTorch example run: `python3 -c "import torch"` fails here');
}

describe("examples", () => {
  it.each([
    "examples/node/study.json",
    "examples/pytorch/study.json",
    "examples/tfjs/digits-study.json",
    "examples/tfjs/spirals-study.json",
  ])("%s is a valid study definition", (path) => {
    const result = validateStudyDefinition(readStudy(path));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it("examples/node/train.mjs runs as a command trainer and learns the moons", async () => {
    const study = readCommandStudy("examples/node/study.json");
    const ctx = createRecordingContext({
      params: { learning_rate: 0.3, hidden_units: 16, batch_size: 16 },
      objectiveMetric: "val_accuracy",
    });
    const outcome = await runCommandTrainer(
      { ...study.trainer, cwd: repoRoot, command: [process.execPath, ...study.trainer.command.slice(1)] },
      ctx,
    );
    expect(outcome).toMatchObject({ state: "complete", backend: "command:cpu" });
    expect(ctx.reports.map((r) => r.step)).toEqual([...Array(15).keys()].map((i) => i + 1));
    expect(outcome.value).toBeGreaterThan(0.85);
    expect(ctx.logs.join("")).toContain("node example: 16 hidden units, lr 0.3");
  });

  it("examples/pytorch/train.py is valid Python", () => {
    execFileSync(
      "python3",
      ["-m", "py_compile", fileURLToPath(new URL("../../examples/pytorch/train.py", import.meta.url))],
      {
        env: { ...process.env, PYTHONPYCACHEPREFIX: "/tmp/hpo-pycache" },
      },
    );
  });

  describe.skipIf(!hasTorch)(
    hasTorch
      ? "PyTorch example"
      : 'PyTorch example (SKIPPED: `python3 -c "import torch"` fails on this machine)',
    () => {
      it("examples/pytorch/train.py trains the MLP and reports through the protocol", async () => {
        const study = readCommandStudy("examples/pytorch/study.json");
        const ctx = createRecordingContext({
          params: {
            learning_rate: 0.01,
            batch_size: 32,
            optimizer: "adam",
            layers: 2,
            hidden_units: 64,
            initializer: "he",
          },
        });
        const command = study.trainer.command.map((arg) => (arg === "30" ? "10" : arg));
        const outcome = await runCommandTrainer({ ...study.trainer, command, cwd: repoRoot }, ctx);
        expect(outcome.state).toBe("complete");
        expect(outcome.backend).toMatch(/^command:(cpu|cuda)/);
        expect(ctx.reports).toHaveLength(10);
        expect(outcome.value).toBeGreaterThan(0.8);
      }, 120_000);
    },
  );
});
