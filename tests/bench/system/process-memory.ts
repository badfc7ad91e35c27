import { readFileSync, readdirSync } from "node:fs";

/** Resident set size of a process in MiB from /proc (Linux), or null when it is gone. */
function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The direct children of a process (the worker's trial processes). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * Samples the RSS of named service processes (and, per service, of its largest child) every interval and
 * keeps the peaks. Sampling rather than VmHWM, so each phase of the bench gets its own peak.
 */
export class MemoryWatch {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: () => { role: string; pid: number | undefined }[]) {}

  start(intervalMs = 250): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private bump(role: string, value: number | null): void {
    if (value === null) return;
    this.peaks.set(role, Math.max(this.peaks.get(role) ?? 0, value));
  }

  sample(): void {
    for (const { role, pid } of this.processes()) {
      if (pid === undefined) continue;
      this.bump(role, rssMiB(pid));
      // Only a worker's children are trial processes (others are tsx's compiler helpers).
      if (role !== "worker") continue;
      for (const child of childrenOf(pid)) this.bump("worker trial child", rssMiB(child));
    }
  }

  /** Peaks since the last reset, then starts a new phase. */
  takePeaks(): Map<string, number> {
    this.sample();
    const peaks = new Map(this.peaks);
    this.peaks.clear();
    return peaks;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null when it is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return null;
  }
}
