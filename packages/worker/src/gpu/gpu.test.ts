import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectGpus, parseNvidiaSmiOutput, resolveGpus } from "./detect-gpus.js";
import { GpuAllocator } from "./gpu-allocator.js";

describe("GPU detection", () => {
  it("parses nvidia-smi CSV output", () => {
    const output = "0, NVIDIA H100 80GB HBM3, 81559\n1, NVIDIA H100 80GB HBM3, 81559\n\n";
    expect(parseNvidiaSmiOutput(output)).toEqual([
      { id: "0", name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
      { id: "1", name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
    ]);
    expect(parseNvidiaSmiOutput("NVIDIA-SMI has failed because it couldn't communicate")).toEqual([]);
  });

  it("parses the output nvidia-smi printed on a real H100 machine (captured on the device, 2026-11-28)", () => {
    const captured = readFileSync(new URL("./nvidia-smi-h100.fixture.txt", import.meta.url), "utf8");
    expect(parseNvidiaSmiOutput(captured)).toEqual([
      { id: "0", name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
    ]);
  });

  it("finds no GPUs when nvidia-smi is missing", async () => {
    expect(await detectGpus("/nonexistent/nvidia-smi")).toEqual([]);
  });

  it("resolves auto, none and explicit lists", async () => {
    const detect = () => Promise.resolve([{ id: "0", name: "g", memoryMiB: 1 }]);
    expect(await resolveGpus({ mode: "auto" }, detect)).toEqual(["0"]);
    expect(await resolveGpus({ mode: "none" }, detect)).toEqual([]);
    expect(await resolveGpus({ mode: "list", ids: ["1", "3"] }, detect)).toEqual(["1", "3"]);
  });
});

describe("GpuAllocator", () => {
  it("spreads trials over the least-loaded GPUs and respects trials per GPU", () => {
    const allocator = new GpuAllocator(["0", "1"], 2);
    expect(allocator.acquire(1)).toEqual(["0"]);
    expect(allocator.acquire(1)).toEqual(["1"]);
    expect(allocator.acquire(2)).toEqual(["0", "1"]);
    expect(allocator.acquire(1)).toEqual([]);
    allocator.release(["1"]);
    expect(allocator.acquire(1)).toEqual(["1"]);
  });

  it("gives nothing when asked for zero GPUs or when there are none", () => {
    expect(new GpuAllocator(["0"], 1).acquire(0)).toEqual([]);
    expect(new GpuAllocator([], 1).acquire(1)).toEqual([]);
  });

  it("gives a trial that needs GPUs exactly that many, or nothing at all (never fewer)", () => {
    const allocator = new GpuAllocator(["0", "1", "2", "3"], 1);
    const two = allocator.tryAcquire(2);
    expect(two).toEqual(["0", "1"]);
    expect(allocator.tryAcquire(1)).toEqual(["2"]);
    // One GPU is left: a 2-GPU trial gets none rather than one, and takes nothing.
    expect(allocator.tryAcquire(2)).toBeNull();
    expect(allocator.tryAcquire(1)).toEqual(["3"]);
    allocator.release(two ?? []);
    expect(allocator.tryAcquire(2)).toEqual(["0", "1"]);
    expect(allocator.tryAcquire(0)).toEqual([]);
  });
});
