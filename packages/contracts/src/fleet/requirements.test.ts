import { describe, expect, it } from "vitest";
import { resourcesSchema } from "../definition/resources-schema.js";
import {
  describeRequirements,
  readWorkerOffer,
  resolveRequirements,
  trialQueueName,
  unmetRequirement,
  type WorkerOffer,
} from "./requirements.js";

const cpu: WorkerOffer = { pool: "default", gpus: [] };
const a100: WorkerOffer = {
  pool: "a100",
  gpus: ["0", "1"],
  gpuMemoryGb: 40,
  trainers: ["command", "synthetic"],
  labels: { zone: "eu" },
};

describe("trial requirements", () => {
  it("default to the default pool and the trainer's own GPUs", () => {
    expect(resolveRequirements({ trainer: { type: "synthetic" } })).toEqual({
      pool: "default",
      gpus: 0,
      trainer: "synthetic",
    });
    expect(resolveRequirements({ trainer: { type: "command", gpusPerTrial: 2 } }).gpus).toBe(2);
    const need = resolveRequirements({
      resources: { pool: "a100", gpus: 1, gpuMemoryGb: 20 },
      trainer: { type: "command", gpusPerTrial: 0 },
    });
    expect(need).toEqual({ pool: "a100", gpus: 1, gpuMemoryGb: 20, trainer: "command" });
  });

  it("match only a worker that offers every one of them", () => {
    const need = resolveRequirements({
      resources: { pool: "a100", gpus: 2, gpuMemoryGb: 40, labels: { zone: "eu" } },
      trainer: { type: "command" },
    });
    expect(unmetRequirement(a100, need)).toBeNull();
    expect(unmetRequirement(cpu, need)).toBe("pool default is not a100");
    expect(unmetRequirement({ ...a100, gpus: ["0"] }, need)).toBe("offers 1 GPUs, needs 2");
    expect(unmetRequirement({ ...a100, gpuMemoryGb: 24 }, need)).toMatch(/below 40 GB/);
    expect(unmetRequirement({ ...a100, gpuMemoryGb: undefined }, need)).toMatch(/unknown/);
    expect(unmetRequirement({ ...a100, labels: {} }, need)).toBe("label zone=eu missing");
    expect(unmetRequirement({ ...a100, trainers: ["synthetic"] }, need)).toBe("runs no command trainer");
    // A CPU trial runs on any worker of its pool; absent `trainers` means every trainer.
    expect(unmetRequirement(cpu, resolveRequirements({ trainer: { type: "tfjs" } }))).toBeNull();
  });

  it("say in a sentence what a study is waiting for", () => {
    const need = resolveRequirements({ resources: { pool: "a100", gpus: 1 }, trainer: { type: "command" } });
    expect(describeRequirements(need)).toBe(
      "needs 1 GPU, a command trainer in pool a100; no live worker offers it",
    );
  });

  it("name one queue per pool and project, without the ':' BullMQ refuses", () => {
    expect(trialQueueName("a100", "p1")).toBe("trials.a100.p1");
    expect(resourcesSchema.safeParse({ pool: "A:100" }).success).toBe(false);
    expect(resourcesSchema.safeParse({ gpus: 1, extra: true }).success).toBe(false);
  });

  it("read stored offers defensively", () => {
    const row = { pool: "p", gpus: ["0", 1], gpuMemoryGb: null, trainers: null, labels: { a: "b", c: 1 } };
    expect(readWorkerOffer(row)).toEqual({
      pool: "p",
      gpus: ["0"],
      gpuMemoryGb: undefined,
      trainers: undefined,
      labels: { a: "b" },
    });
  });
});
