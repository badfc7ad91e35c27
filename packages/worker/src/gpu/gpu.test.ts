import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectGpus, parseNvidiaSmiOutput, resolveGpus } from "./detect-gpus.js";
import { chooseGpus, type GpuUse } from "./choose-gpus.js";
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
    expect(allocator.acquire(1).ids).toEqual(["0"]);
    const second = allocator.acquire(1);
    expect(second.ids).toEqual(["1"]);
    expect(allocator.acquire(2).ids).toEqual(["0", "1"]);
    expect(allocator.acquire(1).ids).toEqual([]);
    allocator.release(second);
    expect(allocator.acquire(1).ids).toEqual(["1"]);
  });

  it("gives nothing when asked for zero GPUs or when there are none", () => {
    expect(new GpuAllocator(["0"], 1).acquire(0).ids).toEqual([]);
    expect(new GpuAllocator([], 1).acquire(1).ids).toEqual([]);
  });

  it("gives a trial that needs GPUs exactly that many, or nothing at all (never fewer)", () => {
    const allocator = new GpuAllocator(["0", "1", "2", "3"], 1);
    const two = allocator.tryAcquire(2);
    expect(two?.ids).toEqual(["0", "1"]);
    expect(allocator.tryAcquire(1)?.ids).toEqual(["2"]);
    // One GPU is left: a 2-GPU trial gets none rather than one, and takes nothing.
    expect(allocator.tryAcquire(2)).toBeNull();
    expect(allocator.tryAcquire(1)?.ids).toEqual(["3"]);
    if (two) allocator.release(two);
    expect(allocator.tryAcquire(2)?.ids).toEqual(["0", "1"]);
    expect(allocator.tryAcquire(0)?.ids).toEqual([]);
  });

  it("packs trials that state their memory onto one GPU and gives the memory back on release", () => {
    const allocator = new GpuAllocator(["0", "1"], 1, { "0": 40, "1": 40 });
    const a = allocator.tryAcquire(1, 16);
    const b = allocator.tryAcquire(1, 16);
    expect([a?.ids, b?.ids]).toEqual([["0"], ["0"]]);
    // 16 + 16 + 16 > 40: the third goes to the other GPU; a whole-GPU trial finds no GPU left.
    expect(allocator.tryAcquire(1, 16)?.ids).toEqual(["1"]);
    expect(allocator.tryAcquire(1)).toBeNull();
    if (a) allocator.release(a);
    if (b) allocator.release(b);
    expect(allocator.tryAcquire(1)?.ids).toEqual(["0"]);
  });
});

type Gpu = [id: string, memoryGb: number | undefined, trials: number, reservedGb: number];
const gpu = ([id, memoryGb, trials, reservedGb]: Gpu): GpuUse => ({
  id,
  trials,
  reservedGb,
  ...(memoryGb === undefined ? {} : { memoryGb }),
});

/** chooseGpus(gpus, request, trialsPerGpu) -> the ids it picks (null: it does not fit now). */
const cases: {
  name: string;
  gpus: Gpu[];
  count: number;
  memoryGb?: number;
  perGpu: number;
  want: string[] | null;
}[] = [
  { name: "nothing asked", gpus: [["0", 40, 0, 0]], count: 0, perGpu: 1, want: [] },
  { name: "a free GPU, memory not stated", gpus: [["0", 40, 0, 0]], count: 1, perGpu: 1, want: ["0"] },
  {
    name: "not stated: one trial per GPU by default",
    gpus: [["0", 40, 1, 40]],
    count: 1,
    perGpu: 1,
    want: null,
  },
  {
    name: "not stated: --trials-per-gpu 2 shares halves",
    gpus: [["0", 40, 1, 20]],
    count: 1,
    perGpu: 2,
    want: ["0"],
  },
  {
    name: "not stated: --trials-per-gpu 2, both halves taken",
    gpus: [["0", 40, 2, 40]],
    count: 1,
    perGpu: 2,
    want: null,
  },
  {
    name: "not stated: least loaded first",
    gpus: [
      ["0", 40, 1, 20],
      ["1", 40, 0, 0],
    ],
    count: 1,
    perGpu: 2,
    want: ["1"],
  },
  {
    name: "stated: shares a GPU while it fits",
    gpus: [["0", 40, 1, 16]],
    count: 1,
    memoryGb: 16,
    perGpu: 1,
    want: ["0"],
  },
  {
    name: "stated: an exact fit fits",
    gpus: [["0", 40, 1, 24]],
    count: 1,
    memoryGb: 16,
    perGpu: 1,
    want: ["0"],
  },
  {
    name: "stated: never oversubscribes",
    gpus: [["0", 40, 2, 32]],
    count: 1,
    memoryGb: 16,
    perGpu: 1,
    want: null,
  },
  {
    name: "stated: more than a GPU has",
    gpus: [["0", 40, 0, 0]],
    count: 1,
    memoryGb: 48,
    perGpu: 1,
    want: null,
  },
  {
    name: "stated: best fit keeps the empty GPU free",
    gpus: [
      ["0", 40, 0, 0],
      ["1", 40, 1, 16],
    ],
    count: 1,
    memoryGb: 16,
    perGpu: 1,
    want: ["1"],
  },
  {
    name: "stated: best fit skips a GPU it does not fit",
    gpus: [
      ["0", 40, 1, 32],
      ["1", 40, 1, 16],
    ],
    count: 1,
    memoryGb: 16,
    perGpu: 1,
    want: ["1"],
  },
  {
    name: "stated: a whole-GPU trial's GPU is full",
    gpus: [
      ["0", 40, 1, 40],
      ["1", 40, 0, 0],
    ],
    count: 1,
    memoryGb: 8,
    perGpu: 1,
    want: ["1"],
  },
  {
    name: "not stated: no room beside a stated trial",
    gpus: [["0", 40, 1, 16]],
    count: 1,
    perGpu: 1,
    want: null,
  },
  {
    name: "not stated: a --trials-per-gpu 2 half beside a stated 16",
    gpus: [["0", 40, 1, 16]],
    count: 1,
    perGpu: 2,
    want: ["0"],
  },
  {
    name: "stated: two GPUs, each must fit",
    gpus: [
      ["0", 40, 1, 32],
      ["1", 40, 0, 0],
      ["2", 40, 1, 16],
    ],
    count: 2,
    memoryGb: 16,
    perGpu: 1,
    want: ["2", "1"],
  },
  {
    name: "stated: two GPUs, only one has room",
    gpus: [
      ["0", 40, 1, 32],
      ["1", 40, 0, 0],
    ],
    count: 2,
    memoryGb: 16,
    perGpu: 1,
    want: null,
  },
  {
    name: "unknown memory: the trials-per-gpu count rules",
    gpus: [["0", undefined, 1, 0]],
    count: 1,
    memoryGb: 8,
    perGpu: 1,
    want: null,
  },
  {
    name: "unknown memory: room under trials-per-gpu",
    gpus: [["0", undefined, 1, 0]],
    count: 1,
    memoryGb: 8,
    perGpu: 2,
    want: ["0"],
  },
  {
    name: "different GPU sizes: only the big one holds it",
    gpus: [
      ["0", 24, 0, 0],
      ["1", 80, 0, 0],
    ],
    count: 1,
    memoryGb: 40,
    perGpu: 1,
    want: ["1"],
  },
];

describe("chooseGpus", () => {
  it.each(cases)("$name", ({ gpus, count, memoryGb, perGpu, want }) => {
    const picks = chooseGpus(
      gpus.map(gpu),
      { count, ...(memoryGb === undefined ? {} : { memoryGb }) },
      perGpu,
    );
    expect(picks === null ? null : picks.map((pick) => pick.id)).toEqual(want);
  });

  it("reserves the stated memory, or the trials-per-gpu share, or nothing on a GPU of unknown memory", () => {
    expect(chooseGpus([gpu(["0", 40, 0, 0])], { count: 1, memoryGb: 12 }, 1)).toEqual([
      { id: "0", reserveGb: 12 },
    ]);
    expect(chooseGpus([gpu(["0", 40, 0, 0])], { count: 1 }, 4)).toEqual([{ id: "0", reserveGb: 10 }]);
    expect(chooseGpus([gpu(["0", undefined, 0, 0])], { count: 1, memoryGb: 12 }, 1)).toEqual([
      { id: "0", reserveGb: 0 },
    ]);
  });
});
