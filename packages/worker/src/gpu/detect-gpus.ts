import { execFile } from "node:child_process";

export interface GpuInfo {
  /** The index nvidia-smi prints; what CUDA_VISIBLE_DEVICES takes. */
  id: string;
  name: string;
  memoryMiB: number;
}

/** Parses `nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmiOutput(output: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of output.split("\n")) {
    const parts = line.split(",").map((part) => part.trim());
    const [id, name, memory] = parts;
    if (!id || !/^\d+$/.test(id) || name === undefined) continue;
    gpus.push({ id, name, memoryMiB: Number(memory ?? "0") || 0 });
  }
  return gpus;
}

/** Lists the machine's NVIDIA GPUs; none when nvidia-smi is missing or fails (a CPU machine). */
export function detectGpus(command = "nvidia-smi", timeoutMs = 10_000): Promise<GpuInfo[]> {
  return new Promise((resolve) => {
    execFile(
      command,
      ["--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits"],
      { timeout: timeoutMs },
      (error, stdout) => resolve(error ? [] : parseNvidiaSmiOutput(stdout)),
    );
  });
}

export type GpuOption = { mode: "auto" } | { mode: "none" } | { mode: "list"; ids: string[] };

/** The GPUs this worker uses: all detected (auto), none, or an explicit list (checked against detection). */
export async function resolveGpus(
  option: GpuOption,
  detect: () => Promise<GpuInfo[]> = detectGpus,
): Promise<string[]> {
  if (option.mode === "none") return [];
  if (option.mode === "list") return option.ids;
  return (await detect()).map((gpu) => gpu.id);
}
