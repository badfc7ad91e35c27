import { chooseGpus, type GpuUse } from "./choose-gpus.js";

/** GPUs held by one trial, and the GB it reserved on each (what release gives back). */
export interface GpuGrant {
  readonly ids: readonly string[];
  readonly reservedGb: readonly number[];
}

const NONE: GpuGrant = { ids: [], reservedGb: [] };

/**
 * Hands out GPUs to trials (the rules are in choose-gpus.ts): on a GPU whose memory the worker was told,
 * trials that state their memory share it while their memory adds up to at most the GPU's; other trials
 * take their `trialsPerGpu` share. The worker's BullMQ concurrency is sized from the same numbers (or
 * `--concurrency`), so an acquire normally finds room; when it does not, the job goes back to its queue.
 */
export class GpuAllocator {
  private readonly gpus = new Map<string, GpuUse>();

  /** `memoryGb`: each GPU's memory by id, as nvidia-smi or `--gpu-memory-gb` told the worker. */
  constructor(
    gpuIds: readonly string[],
    private readonly trialsPerGpu: number,
    memoryGb: Readonly<Record<string, number>> = {},
  ) {
    for (const id of gpuIds) {
      const memory = memoryGb[id];
      this.gpus.set(id, {
        id,
        trials: 0,
        reservedGb: 0,
        ...(memory === undefined ? {} : { memoryGb: memory }),
      });
    }
  }

  get gpuCount(): number {
    return this.gpus.size;
  }

  /**
   * Exactly `count` distinct GPUs with room for a trial needing `memoryGb` on each (undefined: not stated),
   * or null (nothing taken) when fewer have room: a trial that needs GPUs never runs with fewer.
   */
  tryAcquire(count: number, memoryGb?: number): GpuGrant | null {
    const picks = chooseGpus(
      [...this.gpus.values()],
      { count, ...(memoryGb === undefined ? {} : { memoryGb }) },
      this.trialsPerGpu,
    );
    if (picks === null) return null;
    for (const pick of picks) {
      const gpu = this.gpus.get(pick.id);
      if (!gpu) continue;
      gpu.trials += 1;
      gpu.reservedGb += pick.reserveGb;
    }
    return { ids: picks.map((pick) => pick.id), reservedGb: picks.map((pick) => pick.reserveGb) };
  }

  /** Up to `count` GPUs with room; fewer (possibly none) when the machine is full. For trials that can
   * use a GPU but do not need one (tfjs with `--backend auto`). */
  acquire(count: number): GpuGrant {
    for (let wanted = Math.min(count, this.gpus.size); wanted > 0; wanted--) {
      const grant = this.tryAcquire(wanted);
      if (grant) return grant;
    }
    return NONE;
  }

  release(grant: GpuGrant): void {
    grant.ids.forEach((id, index) => {
      const gpu = this.gpus.get(id);
      if (!gpu || gpu.trials === 0) return;
      gpu.trials -= 1;
      gpu.reservedGb = Math.max(0, gpu.reservedGb - (grant.reservedGb[index] ?? 0));
    });
  }
}
