import type { Db } from "./study-lock.js";

/**
 * The database's clock. Every time a lease is judged by (a claim's or a heartbeat's `heartbeatAt`, the
 * reconciler's staleness cut-off) comes from here, so API replicas, schedulers and workers whose clocks
 * disagree still judge heartbeats on one clock.
 */
export async function databaseNow(db: Db): Promise<Date> {
  const rows = await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  const now = rows[0]?.now;
  if (!(now instanceof Date)) throw new Error("SELECT clock_timestamp() returned no time");
  return now;
}
