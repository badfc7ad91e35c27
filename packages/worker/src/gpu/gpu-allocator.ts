/**
 * Hands out GPUs to trials: each GPU runs at most `trialsPerGpu` trials at once, and a trial gets the
 * least-loaded GPUs (lowest id on ties), so load spreads evenly. The worker's BullMQ concurrency is
 * sized from the same numbers, so an acquire normally finds room.
 */
export class GpuAllocator {
  private readonly load = new Map<string, number>();

  constructor(
    gpuIds: readonly string[],
    private readonly trialsPerGpu: number,
  ) {
    for (const id of gpuIds) this.load.set(id, 0);
  }

  get gpuCount(): number {
    return this.load.size;
  }

  /**
   * Exactly `count` distinct GPUs with free capacity, or null (nothing taken) when fewer are free: a trial
   * that needs GPUs never runs with fewer. Trials holding distinct GPUs never share one unless
   * `trialsPerGpu` > 1, so 1- and 2-GPU trials on one machine never overlap.
   */
  tryAcquire(count: number): string[] | null {
    if (count <= 0) return [];
    const free = this.freeByLoad();
    if (free.length < count) return null;
    const chosen = free.slice(0, count).map(([id]) => id);
    for (const id of chosen) this.load.set(id, (this.load.get(id) ?? 0) + 1);
    return chosen;
  }

  /** Up to `count` GPUs with free capacity; fewer (possibly none) when the machine is full. For trials
   * that can use a GPU but do not need one (tfjs with `--backend auto`). */
  acquire(count: number): string[] {
    const free = this.freeByLoad();
    const chosen = free.slice(0, Math.max(0, count)).map(([id]) => id);
    for (const id of chosen) this.load.set(id, (this.load.get(id) ?? 0) + 1);
    return chosen;
  }

  private freeByLoad(): [string, number][] {
    return [...this.load.entries()]
      .filter(([, used]) => used < this.trialsPerGpu)
      .sort((a, b) => a[1] - b[1] || Number(a[0]) - Number(b[0]) || a[0].localeCompare(b[0]));
  }

  release(ids: readonly string[]): void {
    for (const id of ids) {
      const used = this.load.get(id);
      if (used !== undefined && used > 0) this.load.set(id, used - 1);
    }
  }
}
