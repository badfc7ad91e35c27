/**
 * What grew between two heap snapshots of one process: objects by constructor (count and self size),
 * largest change first. A snapshot is taken after a full GC, so it holds only reachable objects; what
 * grows between an early and a late one, trial after trial, is retained by something.
 *
 * Take them from a service of a soak started with
 * `HPO_SERVICE_NODE_ARGS="--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/snaps"` (`kill -USR2 <pid>`
 * early and late; writing one pauses the process for seconds and leaves its RSS higher, so a run with
 * snapshots says nothing about RSS), then
 * `node --max-old-space-size=4096 --import tsx tests/chaos/support/heap-snapshot-diff.ts early late [rows]`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const snapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.array(z.union([z.array(z.string()), z.string()])),
    }),
  }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

interface Tally {
  count: number;
  bytes: number;
}

/** Self sizes by constructor (objects, closures, native), by type for the rest (strings, code, arrays). */
export function tallyByConstructor(text: string): { byKind: Map<string, Tally>; bytes: number } {
  const parsed = snapshotSchema.parse(JSON.parse(text));
  const fields = parsed.snapshot.meta.node_fields;
  const typeNames = parsed.snapshot.meta.node_types[0];
  if (!Array.isArray(typeNames)) throw new Error("no node type names in the snapshot");
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const byKind = new Map<string, Tally>();
  let bytes = 0;
  for (let index = 0; index < parsed.nodes.length; index += stride) {
    const type = typeNames[parsed.nodes[index + typeAt] ?? -1] ?? "?";
    const name = parsed.strings[parsed.nodes[index + nameAt] ?? -1] ?? "?";
    const size = parsed.nodes[index + sizeAt] ?? 0;
    const kind = ["object", "closure", "native"].includes(type) ? `${type}:${name}` : type;
    const tally = byKind.get(kind) ?? { count: 0, bytes: 0 };
    tally.count += 1;
    tally.bytes += size;
    byKind.set(kind, tally);
    bytes += size;
  }
  return { byKind, bytes };
}

function main(): void {
  const [earlyFile, lateFile, rowsArg] = process.argv.slice(2);
  if (earlyFile === undefined || lateFile === undefined) {
    throw new Error("usage: heap-snapshot-diff.ts early.heapsnapshot late.heapsnapshot [rows]");
  }
  const early = tallyByConstructor(readFileSync(earlyFile, "utf8"));
  const late = tallyByConstructor(readFileSync(lateFile, "utf8"));
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(`reachable: ${mib(early.bytes)} MiB -> ${mib(late.bytes)} MiB\n`);
  const kinds = [...new Set([...early.byKind.keys(), ...late.byKind.keys()])];
  const rows = kinds
    .map((kind) => {
      const before = early.byKind.get(kind) ?? { count: 0, bytes: 0 };
      const after = late.byKind.get(kind) ?? { count: 0, bytes: 0 };
      return { kind, before, after, grew: after.bytes - before.bytes };
    })
    .sort((a, b) => Math.abs(b.grew) - Math.abs(a.grew))
    .slice(0, Number(rowsArg ?? 30));
  process.stdout.write("change (KiB) | count early -> late | constructor\n");
  for (const row of rows) {
    const kib = (row.grew / 1024).toFixed(0).padStart(8);
    process.stdout.write(`${kib} | ${row.before.count} -> ${row.after.count} | ${row.kind}\n`);
  }
}

main();
