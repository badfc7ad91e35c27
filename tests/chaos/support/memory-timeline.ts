import { readFileSync } from "node:fs";

/** One memory reading: a process role's resident set (or Redis's used_memory), in MiB, at a time. */
export interface MemorySample {
  at: number;
  role: string;
  mib: number;
}

/** Resident set size of a process in MiB from /proc (Linux), or null when it is gone. */
export function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Redis's `used_memory` in MiB from the text of `INFO memory`. */
export function usedMemoryMiB(info: string): number | null {
  const match = /^used_memory:(\d+)/m.exec(info);
  return match?.[1] ? Number(match[1]) / (1024 * 1024) : null;
}

export interface QuarterPeaks {
  role: string;
  firstQuarterMiB: number;
  /** The baseline of a steady state: warm-up (JIT, pools, caches) is over by then. */
  secondQuarterMiB: number;
  lastQuarterMiB: number;
}

/**
 * Memory over a soak: the peak of each role in the first, the second and the last quarter of the run's
 * time. Warm-up (JIT, pools, caches) lands in the first; a leak shows as a last quarter well above the
 * second, the first quarter after it.
 */
export class MemoryTimeline {
  readonly samples: MemorySample[] = [];

  add(role: string, mib: number | null, at = Date.now()): void {
    if (mib !== null && Number.isFinite(mib)) this.samples.push({ at, role, mib });
  }

  roles(): string[] {
    return [...new Set(this.samples.map((sample) => sample.role))];
  }

  quarterPeaks(from: number, to: number): QuarterPeaks[] {
    const quarter = (to - from) / 4;
    const peak = (role: string, start: number, end: number) =>
      Math.max(
        ...this.samples
          .filter((sample) => sample.role === role && sample.at >= start && sample.at <= end)
          .map((sample) => sample.mib),
      );
    return this.roles().map((role) => ({
      role,
      firstQuarterMiB: peak(role, from, from + quarter),
      secondQuarterMiB: peak(role, from + quarter, from + 2 * quarter),
      lastQuarterMiB: peak(role, to - quarter, to),
    }));
  }
}
