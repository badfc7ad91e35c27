import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { detectTfjsBackends, runTrainer, type TrainingDiagnostics } from "@hpo/trainer";
import { createRecordingContext, tfjsSpec } from "./support/test-context.js";

/** The built-in trainer end to end through `runTrainer`, on real data, on the WebAssembly backend. */
describe("tfjs trainer", () => {
  beforeAll(async () => {
    // Load tfjs and the digits once; later tests then measure training, not imports.
    await detectTfjsBackends();
  });

  it("detects the backends that load here: wasm and cpu, no native TensorFlow on this machine", async () => {
    const backends = await detectTfjsBackends();
    expect(backends).toContain("wasm");
    expect(backends).toContain("cpu");
    expect(backends.indexOf("wasm")).toBeLessThan(backends.indexOf("cpu"));
  });

  it("a 3-epoch digits trial reaches validation accuracy above 0.85 and reports every epoch", async () => {
    const ctx = createRecordingContext({
      params: { learning_rate: 0.003, hidden_units: 64, batch_size: 32 },
      backend: "wasm",
    });
    const spec = tfjsSpec({ dataset: "digits", epochs: 3, maxSamples: 4000 });
    const outcome = await runTrainer(spec, ctx);
    expect(outcome.state).toBe("complete");
    expect(outcome.backend).toBe("wasm");
    expect(outcome.value).toBeGreaterThan(0.85);
    expect(ctx.reports.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const { metrics } of ctx.reports) {
      expect(Object.keys(metrics)).toEqual(
        expect.arrayContaining(["loss", "val_loss", "val_accuracy", "duration_ms"]),
      );
    }
    const diagnostics = outcome.diagnostics as TrainingDiagnostics;
    expect(diagnostics.snapshots.map((s) => s.at)).toEqual(["init", "epoch-1", "final"]);
    expect(diagnostics.flags).toEqual([]);
    expect(ctx.logs.join("")).toContain("3200 train / 800 validation");
  });

  it("trains on the generated spirals, which a linear model cannot separate", async () => {
    const ctx = createRecordingContext({ params: { learning_rate: 0.01, hidden_units: 32, epochs: 25 } });
    const outcome = await runTrainer(tfjsSpec({ dataset: "spirals", epochs: 10 }), ctx);
    expect(outcome.state).toBe("complete");
    expect(ctx.reports).toHaveLength(25); // params override trainer.epochs
    expect(outcome.value).toBeGreaterThan(0.95);
  });

  it("is deterministic: the same params and seed give the same metrics; another seed does not", async () => {
    const params = { learning_rate: 0.01, hidden_units: 16, dropout: 0.2, epochs: 3, optimizer: "rmsprop" };
    const run = async (seed: number) => {
      const ctx = createRecordingContext({ params, seed, backend: "wasm" });
      await runTrainer(tfjsSpec({ dataset: "moons", epochs: 3 }), ctx);
      return ctx.reports.map((r) => [r.metrics.loss, r.metrics.val_loss, r.metrics.val_accuracy]);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it("a diverging run ends failed with the reason instead of using its budget", async () => {
    const ctx = createRecordingContext({
      params: { optimizer: "sgd", learning_rate: 100, initializer: "random", init_stddev: 1, epochs: 20 },
    });
    const outcome = await runTrainer(tfjsSpec({ dataset: "spirals" }), ctx);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toMatch(/^diverged: training loss (is NaN|is Infinity|exploded)/);
    expect(ctx.reports.length).toBeLessThan(2);
  });

  it("obeys a prune answer and a stop answer", async () => {
    const pruned = createRecordingContext({
      params: { epochs: 10 },
      answer: (step) => ({ prune: step === 2, stop: false }),
    });
    const outcome = await runTrainer(tfjsSpec({ dataset: "iris" }), pruned);
    expect(outcome.state).toBe("pruned");
    expect(pruned.reports).toHaveLength(2);
    expect(outcome.value).toBe(pruned.reports[1]?.metrics.val_accuracy);

    const stopped = createRecordingContext({
      params: { epochs: 10 },
      answer: () => ({ prune: false, stop: true }),
    });
    const stoppedOutcome = await runTrainer(tfjsSpec({ dataset: "iris" }), stopped);
    expect(stoppedOutcome.state).toBe("failed");
    expect(stoppedOutcome.error).toContain("stopped after epoch 1");
  });

  it("rejects unknown hyperparameters and bad values with their JSON path", async () => {
    const unknown = await runTrainer(
      tfjsSpec({ dataset: "iris" }),
      createRecordingContext({ params: { learning_rate: 0.01, lerning_rate: 0.1 } }),
    );
    expect(unknown.state).toBe("failed");
    expect(unknown.error).toContain('params.lerning_rate: unknown hyperparameter "lerning_rate"');
    expect(unknown.error).toContain("layers, hidden_units, activation");
    const bad = await runTrainer(
      tfjsSpec({ dataset: "iris", fixed: { activation: "swish" } }),
      createRecordingContext(),
    );
    expect(bad.error).toContain(
      'trainer.fixed.activation: "swish" is not a valid activation; expected one of relu, tanh, sigmoid, elu',
    );
  });

  it("a forced backend that is not installed fails clearly; the plain JS backend trains", async () => {
    const gpu = await runTrainer(tfjsSpec({ dataset: "iris" }), createRecordingContext({ backend: "gpu" }));
    expect(gpu.state).toBe("failed");
    expect(gpu.error).toContain('backend "gpu" requested but unavailable');
    expect(gpu.error).toContain("@tensorflow/tfjs-node-gpu");
    const cpu = await runTrainer(
      tfjsSpec({ dataset: "iris", epochs: 30 }),
      createRecordingContext({ backend: "cpu", params: { learning_rate: 0.01 } }),
    );
    expect(cpu).toMatchObject({ state: "complete", backend: "cpu" });
    expect(cpu.value).toBeGreaterThan(0.85);
  });

  it("trains on a CSV file (named label column), decays the learning rate per epoch and leaks no tensors", async () => {
    const folder = mkdtempSync(join(tmpdir(), "hpo-csv-"));
    const path = join(folder, "blobs.csv");
    // Two Gaussian-free, deterministic blobs: class by the sign of x + y, with a text label in the middle column.
    const rows = ["x,kind,y"];
    for (let i = 0; i < 200; i++) {
      const x = Math.sin(i * 1.3) * 3;
      const y = Math.cos(i * 0.7) * 3;
      rows.push(`${x.toFixed(4)},${x + y > 0 ? "above" : "below"},${y.toFixed(4)}`);
    }
    writeFileSync(path, `${rows.join("\n")}\n`);
    const before = tf.memory().numTensors;
    const ctx = createRecordingContext({ params: { learning_rate: 0.05, lr_decay: 0.5, epochs: 4 } });
    const outcome = await runTrainer(tfjsSpec({ dataset: { csv: path, labelColumn: "kind" } }), ctx);
    expect(outcome.state).toBe("complete");
    expect(outcome.value).toBeGreaterThan(0.9);
    const rates = ctx.reports.map((r) => r.metrics.learning_rate ?? 0);
    rates.forEach((rate, e) => expect(rate).toBeCloseTo(0.05 * Math.exp(-0.5 * e), 10));
    expect(tf.memory().numTensors).toBe(before);

    const missing = await runTrainer(
      tfjsSpec({ dataset: { csv: join(folder, "nope.csv") } }),
      createRecordingContext(),
    );
    expect(missing.state).toBe("failed");
    expect(missing.error).toContain("ENOENT");
  });
});
