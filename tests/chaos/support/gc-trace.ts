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

/** A process's heap across its isolates, each as of its latest full GC. */
export interface ProcessHeap {
  liveMiB: number;
  committedMiB: number;
  /** Isolates counted (each as of its latest full GC): a thread started later adds its heap to the total. */
  isolates: number;
  /** The collection that gave this total (which isolate, its own live heap). */
  collection: FullGc;
}

/**
 * Full GCs not seen before, as process totals: call it on every memory sample with each service's recent
 * output (a rolling window, so a line may be read many times). A process runs several isolates (the main
 * thread, Node's module loader thread under tsx, the API's sampler threads); each is counted as of its
 * latest full GC, and a total is returned for every new collection.
 */
export class FullGcReader {
  private readonly seen = new Set<string>();
  private readonly isolates = new Map<number, Map<string, FullGc>>();

  newCollections(output: string): ProcessHeap[] {
    const totals: ProcessHeap[] = [];
    for (const gc of parseFullGcs(output)) {
      if (this.seen.has(gc.key)) continue;
      this.seen.add(gc.key);
      const latest = this.isolates.get(gc.pid) ?? new Map<string, FullGc>();
      latest.set(gc.isolate, gc);
      this.isolates.set(gc.pid, latest);
      const all = [...latest.values()];
      totals.push({
        liveMiB: all.reduce((sum, each) => sum + each.liveMiB, 0),
        committedMiB: all.reduce((sum, each) => sum + each.committedMiB, 0),
        isolates: all.length,
        collection: gc,
      });
    }
    return totals;
  }
}
