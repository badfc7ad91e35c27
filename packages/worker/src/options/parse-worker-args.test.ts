import { describe, expect, it } from "vitest";
import { parseWorkerArgs, wantsHelp } from "./parse-worker-args.js";

describe("parseWorkerArgs", () => {
  it("defaults to auto GPUs, auto backend, one trial per GPU", () => {
    expect(parseWorkerArgs([])).toEqual({ gpus: { mode: "auto" }, backend: "auto", trialsPerGpu: 1 });
  });

  it("reads every option, in both --x v and --x=v forms", () => {
    expect(
      parseWorkerArgs(["--concurrency", "3", "--gpus=0,1", "--backend", "wasm", "--trials-per-gpu=2"]),
    ).toEqual({
      concurrency: 3,
      gpus: { mode: "list", ids: ["0", "1"] },
      backend: "wasm",
      trialsPerGpu: 2,
    });
    expect(parseWorkerArgs(["--gpus", "none"]).gpus).toEqual({ mode: "none" });
    expect(parseWorkerArgs(["--gpu-memory-gb", "79.5"]).gpuMemoryGb).toBe(79.5);
    expect(parseWorkerArgs(["--isolate-projects", "20000-29999"]).isolateProjects).toEqual({
      uidMin: 20000,
      uidMax: 29999,
    });
  });

  it("reads the --in-process switch, which takes no value", () => {
    expect(parseWorkerArgs(["--in-process", "--concurrency", "2"])).toMatchObject({
      inProcess: true,
      concurrency: 2,
    });
    expect(parseWorkerArgs(["--concurrency", "2"]).inProcess).toBeUndefined();
  });

  it("rejects bad values with the flag named", () => {
    expect(() => parseWorkerArgs(["--concurrency", "0"])).toThrow(
      /--concurrency: must be a positive integer/,
    );
    expect(() => parseWorkerArgs(["--backend", "tpu"])).toThrow(/--backend: must be one of/);
    expect(() => parseWorkerArgs(["--gpus", "a,b"])).toThrow(/--gpus/);
    expect(() => parseWorkerArgs(["--gpu-memory-gb", "0"])).toThrow(/--gpu-memory-gb: must be a positive/);
    expect(() => parseWorkerArgs(["--isolate-projects", "0-10"])).toThrow(
      /--isolate-projects: must be a uid range/,
    );
    expect(() => parseWorkerArgs(["--isolate-projects", "3000-2000"])).toThrow(/--isolate-projects/);
    expect(() => parseWorkerArgs(["--frobnicate", "1"])).toThrow(/unknown option/);
    expect(() => parseWorkerArgs(["--concurrency"])).toThrow(/needs a value/);
  });
});

describe("wantsHelp", () => {
  it("finds --help or -h anywhere, and nothing else", () => {
    expect(wantsHelp(["--help"])).toBe(true);
    expect(wantsHelp(["--concurrency", "2", "-h"])).toBe(true);
    expect(wantsHelp(["--concurrency", "2"])).toBe(false);
  });
});
