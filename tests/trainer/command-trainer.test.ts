import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CommandTrainerSpec } from "@hpo/contracts";
import { runCommandTrainer } from "@hpo/trainer";
import { commandSpec, createRecordingContext, waitForProcessExit } from "./support/test-context.js";

const fixture = fileURLToPath(new URL("./fixtures/fake-train.mjs", import.meta.url));
const spec = (mode: string, extra: Partial<CommandTrainerSpec> = {}): CommandTrainerSpec =>
  commandSpec({
    command: [
      process.execPath,
      fixture,
      mode,
      "--lr",
      "{learning_rate}",
      "--n",
      "{trial_number}",
      "{unknown}",
    ],
    ...extra,
  });

function grandchildPid(logs: string[]): number | undefined {
  const line = logs.find((l) => l.startsWith("GRANDCHILD "));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}

describe("command trainer", () => {
  it("passes params as placeholders, env vars and a JSON file, and parses HPO_REPORT / HPO_RESULT", async () => {
    const ctx = createRecordingContext({
      params: { learning_rate: 0.01, layers: 2 },
      objectiveMetric: "val_loss",
    });
    const outcome = await runCommandTrainer(spec("ok"), ctx);
    expect(outcome).toMatchObject({ state: "complete", value: 0.26, backend: "command:cpu" });
    expect(outcome.metrics).toEqual({ val_loss: 0.26, accuracy: 0.9 });
    expect(ctx.reports.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(ctx.reports[1]?.metrics).toEqual({ val_loss: 0.5 + 0.01 });
    const log = ctx.logs.join("");
    expect(log).toContain('starting trial-1 of study-1 args=["--lr","0.01","--n","0","{unknown}"]');
    expect(log).toContain('params file {"learning_rate":0.01,"layers":2} env lr 0.01');
    expect(log).toContain("progress 2"); // stderr reaches the log too
    expect(log).toContain("ignored: HPO_REPORT line is not valid JSON");
    expect(log).not.toContain("HPO_RESULT");
    expect(log).not.toContain("gpusPerTrial");
  });

  it("a non-zero exit fails the trial with the last lines of stderr", async () => {
    const ctx = createRecordingContext({ objectiveMetric: "val_loss" });
    const outcome = await runCommandTrainer(spec("fail", { gpusPerTrial: 1 }), ctx);
    expect(ctx.logs.join("")).toContain("[hpo] trainer.gpusPerTrial is 1 but this worker pinned no GPU");
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain("exited with code 3");
    expect(outcome.error).toContain("CUDA out of memory");
    expect(outcome.error).not.toContain("noise line 5"); // only the tail
    expect(outcome.metrics).toEqual({ val_loss: 2 });
  });

  it("without HPO_RESULT the last report is the result; a missing objective fails with the metric names", async () => {
    const complete = await runCommandTrainer(
      spec("reports-only"),
      createRecordingContext({ objectiveMetric: "val_loss" }),
    );
    expect(complete).toMatchObject({ state: "complete", value: 0.4, backend: "command" });
    const missing = await runCommandTrainer(
      spec("reports-only"),
      createRecordingContext({ objectiveMetric: "acc" }),
    );
    expect(missing.state).toBe("failed");
    expect(missing.error).toContain('objective metric "acc" missing');
  });

  it("pruning sends SIGTERM to the whole process group (grandchildren too)", async () => {
    const ctx = createRecordingContext({
      objectiveMetric: "val_loss",
      answer: (step) => ({ prune: step >= 2, stop: false }),
    });
    const outcome = await runCommandTrainer(spec("slow"), ctx, { killGraceMs: 5_000 });
    expect(outcome).toMatchObject({ state: "pruned", value: 1 });
    const pid = grandchildPid(ctx.logs);
    expect(pid).toBeGreaterThan(0);
    expect(await waitForProcessExit(pid ?? 0)).toBe(true);
  });

  it("a program that ignores SIGTERM is SIGKILLed after the grace period", async () => {
    const ctx = createRecordingContext({
      objectiveMetric: "val_loss",
      answer: (step) => ({ prune: false, stop: step >= 1 }),
    });
    const started = Date.now();
    const outcome = await runCommandTrainer(spec("ignore-term"), ctx, { killGraceMs: 600 });
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain("stopped by the scheduler");
    expect(ctx.logs.join("")).toContain("ignoring SIGTERM");
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(await waitForProcessExit(grandchildPid(ctx.logs) ?? 0)).toBe(true);
  });

  it("times out after timeoutSeconds and ends on the worker's abort", async () => {
    const timedOut = await runCommandTrainer(
      spec("slow", { timeoutSeconds: 0.5 }),
      createRecordingContext({ objectiveMetric: "val_loss" }),
      { killGraceMs: 500 },
    );
    expect(timedOut.state).toBe("failed");
    expect(timedOut.error).toContain("timed out after 0.5 s");

    const ctx = createRecordingContext({ objectiveMetric: "val_loss" });
    setTimeout(() => ctx.abort(), 300);
    const aborted = await runCommandTrainer(spec("slow"), ctx, { abortGraceMs: 500 });
    expect(aborted.state).toBe("failed");
    expect(aborted.error).toContain("cancelled");
  });

  it("a program that cannot start fails with the reason", async () => {
    const outcome = await runCommandTrainer(
      commandSpec({ command: ["/nonexistent/train-binary"] }),
      createRecordingContext(),
    );
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain("could not start /nonexistent/train-binary");
  });
});
