/**
 * Full garbage collections read from a service's output under `node --trace-gc`. After a Mark-Compact
 * the heap holds only what is reachable, so its size then is the live heap: a leak raises it from one
 * full GC to the next, while V8 sizing its heap to the load (the committed size in parentheses) and the
 * allocator keeping freed pages raise the resident set without it. Peak RSS alone cannot tell the two
 * apart (docs/reliability.md, scenario 8).
 *
 * A line looks like (V8 11, Node 20):
 * `[1234:0x5581c0a0]   16676 ms: Mark-Compact 450.7 (487.4) -> 103.8 (138.2) MB, 143.00 / 0.01 ms ...`
 */
const anyGcLine = /\[(\d+):(0x[0-9a-f]+)\]\s+\d+ ms: /;
const fullGcLine =
  /\[(\d+):(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/g;

export interface FullGc {
  /** `pid:isolate`, and the process's milliseconds since it started: together they name one collection. */
  key: string;
  pid: number;
  isolate: string;
  /** Heap in use right after the collection (live objects), MB as V8 prints it (MiB). */
  liveMiB: number;
  /** Heap V8 has committed right after it. */
  committedMiB: number;
}

export function parseFullGcs(output: string): FullGc[] {
  return [...output.matchAll(fullGcLine)].map((match) => ({
    key: `${match[1]}:${match[2]}:${match[3]}`,
    pid: Number(match[1]),
    isolate: match[2] ?? "",
    liveMiB: Number(match[4]),
    committedMiB: Number(match[5]),
  }));
}

/**
 * The full GCs of services' main threads not seen before: call it on every memory sample with each
 * service's recent output (a rolling window, so a line may be read many times). A process's main thread
 * is the isolate of its first trace line (it collects while the service loads, before the API starts its
 * sampler threads, whose isolates are left out). Read the first output early: the window keeps the
 * service's last 200,000 characters.
 */
export class FullGcReader {
  private readonly seen = new Set<string>();
  private readonly mainIsolate = new Map<number, string>();

  newCollections(output: string): FullGc[] {
    const first = anyGcLine.exec(output);
    if (first?.[1] !== undefined && first[2] !== undefined && !this.mainIsolate.has(Number(first[1]))) {
      this.mainIsolate.set(Number(first[1]), first[2]);
    }
    const fresh: FullGc[] = [];
    for (const gc of parseFullGcs(output)) {
      if (this.seen.has(gc.key)) continue;
      this.seen.add(gc.key);
      if (this.mainIsolate.get(gc.pid) === gc.isolate) fresh.push(gc);
    }
    return fresh;
  }
}
