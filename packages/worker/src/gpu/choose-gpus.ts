/** One GPU as the allocator sees it: what it has, and what the trials on it hold now. */
export interface GpuUse {
  id: string;
  /** Its memory as the worker was told (nvidia-smi or `--gpu-memory-gb`); undefined: unknown. */
  memoryGb?: number;
  /** Trials holding it now. */
  trials: number;
  /** GB those trials reserved (0 when its memory is unknown). */
  reservedGb: number;
}

export interface GpuRequest {
  /** Distinct GPUs the trial needs. */
  count: number;
  /** GB the trial needs on each of them (its study's resources.gpuMemoryGb); undefined: not stated. */
  memoryGb?: number;
}

/** A GPU chosen for a trial and the GB it reserves there. */
export interface GpuPick {
  id: string;
  reserveGb: number;
}

/** Rounding of memory sizes (nvidia-smi MiB converted to GB) must not turn an exact fit into a miss. */
const EPSILON_GB = 1e-6;

/**
 * What one trial takes of a GPU, and whether that still fits:
 * - a GPU whose memory is known holds trials while the GB they reserve add up to at most its memory. A
 *   trial that states its memory reserves exactly that, so trials smaller than a GPU share it side by side;
 *   one that states none reserves its `--trials-per-gpu` share (the whole GPU by default);
 * - a GPU of unknown memory holds at most `trialsPerGpu` trials, whatever they state.
 */
function reservation(gpu: GpuUse, request: GpuRequest, trialsPerGpu: number): number | null {
  if (gpu.memoryGb === undefined || gpu.memoryGb <= 0) return gpu.trials < trialsPerGpu ? 0 : null;
  const need = request.memoryGb ?? gpu.memoryGb / trialsPerGpu;
  return gpu.reservedGb + need <= gpu.memoryGb + EPSILON_GB ? need : null;
}

/**
 * Picks the GPUs for one trial: exactly `request.count` distinct GPUs with room, or null when fewer have
 * room (a trial never runs on fewer GPUs than it needs). A trial that states its memory is packed by best
 * fit (the GPUs with the least free memory that still hold it, lowest id on ties), which keeps whole GPUs
 * free for trials that need them; any other trial goes to the least-loaded GPUs, so load spreads evenly.
 * Pure: the caller applies the picks.
 */
export function chooseGpus(
  gpus: readonly GpuUse[],
  request: GpuRequest,
  trialsPerGpu: number,
): GpuPick[] | null {
  if (request.count <= 0) return [];
  const fitting: (GpuPick & { gpu: GpuUse })[] = [];
  for (const gpu of gpus) {
    const reserveGb = reservation(gpu, request, trialsPerGpu);
    if (reserveGb !== null) fitting.push({ id: gpu.id, reserveGb, gpu });
  }
  if (fitting.length < request.count) return null;
  const byId = (a: GpuUse, b: GpuUse) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
  const free = (gpu: GpuUse) => (gpu.memoryGb ?? 0) - gpu.reservedGb;
  const packing = request.memoryGb !== undefined;
  fitting.sort(({ gpu: a }, { gpu: b }) =>
    packing ? free(a) - free(b) || byId(a, b) : a.trials - b.trials || byId(a, b),
  );
  return fitting.slice(0, request.count).map(({ id, reserveGb }) => ({ id, reserveGb }));
}
