import { isDeepStrictEqual } from "node:util";
import type { Trial } from "../generated/prisma/client.js";

/** What a tell would write, as finishTrial computed it (value already defaulted). */
export interface FinishWrite {
  leaseToken: string;
  state: string;
  value: number | null;
  /** Every objective's value as resolved (several objectives). */
  values?: readonly number[];
  metrics?: Record<string, number> | null;
  error?: string | null;
  backend?: string | null;
  gpu?: string | null;
  diagnostics?: unknown;
}

/**
 * Whether a tell that matched no running row is an identical repeat of the tell that finished the
 * trial: a client retrying after a lost response (a timeout, a dropped connection) sends the same lease
 * token and body again, and must get the stored result rather than a conflict it would take for a
 * failure. Anything that differs (another token, state, value or metrics) is a real conflict.
 *
 * Fields the repeat omits but the trial has (backend and gpu, which a worker's claim may have set) are
 * not compared: omitting them wrote nothing the first time either. JSON values compare structurally
 * because jsonb does not keep key order.
 */
export function isIdenticalFinish(stored: Trial, write: FinishWrite): boolean {
  if (stored.leaseToken === null || stored.leaseToken !== write.leaseToken) return false;
  if (stored.state !== write.state || stored.value !== write.value) return false;
  if (write.values !== undefined && !isDeepStrictEqual(stored.values, [...write.values])) return false;
  if (!isDeepStrictEqual(stored.metrics ?? null, write.metrics ?? null)) return false;
  if (stored.error !== (write.error ?? null)) return false;
  const backend = write.backend ?? null;
  if (backend !== null && stored.backend !== backend) return false;
  const gpu = write.gpu ?? null;
  if (gpu !== null && stored.gpu !== gpu) return false;
  return isDeepStrictEqual(stored.diagnostics ?? null, write.diagnostics ?? null);
}
