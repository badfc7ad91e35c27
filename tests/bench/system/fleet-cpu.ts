import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { TestDatabase } from "@hpo/db/testing";
import { cpuSeconds } from "./process-memory.js";

/** A reading of every CPU counter the fleet bench compares between the start and the end of a stage. */
export interface CpuReading {
  /** CPU seconds so far of the named service processes (api, scheduler), and of this process (fleet). */
  processes: Record<string, number>;
  /** CPU seconds so far of each Postgres backend serving the bench's database, by pid. */
  postgresBackends: Map<number, number>;
  /** used_cpu_user + used_cpu_sys of the (private) Redis server. */
  redis: number;
  /** /proc/stat's first line: busy and total jiffies of the whole machine. */
  host: { busy: number; total: number };
}

function hostJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Redis's own CPU counters from `INFO cpu` (main thread and its helpers). */
export function redisCpuSeconds(info: string): number {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\S+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

export async function readCpu(options: {
  services: { role: string; pid: number | undefined }[];
  prisma: TestDatabase["prisma"];
  redisInfo: () => Promise<string>;
}): Promise<CpuReading> {
  const processes: Record<string, number> = {};
  for (const { role, pid } of options.services)
    processes[role] = (processes[role] ?? 0) + (cpuSeconds(pid) ?? 0);
  const usage = process.cpuUsage();
  processes.fleet = (usage.user + usage.system) / 1e6;
  // The backends of this database only: the Postgres server is shared with other jobs on this machine.
  const rows = await options.prisma.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const postgresBackends = new Map<number, number>();
  for (const { pid } of rows) {
    const seconds = cpuSeconds(pid);
    if (seconds !== null) postgresBackends.set(pid, seconds);
  }
  return {
    processes,
    postgresBackends,
    redis: redisCpuSeconds(await options.redisInfo()),
    host: hostJiffies(),
  };
}

/**
 * CPU seconds each resource used between two readings. A backend that appeared in between counts whole
 * (it was born in the window); one that ended in between is lost (Prisma keeps its pool open, so rare).
 */
export function cpuBetween(before: CpuReading, after: CpuReading): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [role, seconds] of Object.entries(after.processes)) {
    used[role] = Math.max(0, seconds - (before.processes[role] ?? 0));
  }
  let postgres = 0;
  for (const [pid, seconds] of after.postgresBackends) {
    postgres += Math.max(0, seconds - (before.postgresBackends.get(pid) ?? 0));
  }
  used.postgres = postgres;
  used.redis = Math.max(0, after.redis - before.redis);
  return used;
}

export function hostBetween(
  before: CpuReading,
  after: CpuReading,
): { cores: number; busyFraction: number; load1: number } {
  const total = after.host.total - before.host.total;
  return {
    cores: cpus().length,
    busyFraction: total > 0 ? (after.host.busy - before.host.busy) / total : 0,
    load1: loadavg()[0] ?? 0,
  };
}

/**
 * What this database's Postgres backends are doing right now, by state and wait event ("active",
 * "active Lock/advisory", "idle Client/ClientRead"): sampled through a stage, it says whether requests
 * wait on CPU, on locks or on the client.
 */
export async function postgresActivity(prisma: TestDatabase["prisma"]): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ label: string; count: bigint }[]>`
    SELECT concat_ws(' ', coalesce(state, 'unknown'), wait_event_type || '/' || wait_event) AS label,
           count(*) AS count
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
    GROUP BY 1`;
  return new Map(rows.map((row) => [row.label, Number(row.count)]));
}

/** Averages activity samples into "active 6.2, active Lock/advisory 2.0, …" (busiest first, idle left out). */
export function describeActivity(samples: readonly Map<string, number>[]): string {
  const totals = new Map<string, number>();
  for (const sample of samples) {
    for (const [label, count] of sample) totals.set(label, (totals.get(label) ?? 0) + count);
  }
  const busy = [...totals]
    .filter(([label]) => !label.startsWith("idle"))
    .map(([label, total]) => [label, total / Math.max(1, samples.length)] as const)
    .sort((a, b) => b[1] - a[1]);
  return busy.length === 0
    ? "no busy backend"
    : busy.map(([label, mean]) => `${label} ${mean.toFixed(1)}`).join(", ");
}
