import { expect } from "vitest";
import type { E2eStack } from "../../e2e/support/e2e-stack.js";
import type { History } from "./history.js";

/**
 * Sends the result a worker lost its lease over (killed, stopped, or silent past the grace) under that
 * lease, records it in the history as a late write, and expects the fence to refuse it with 409.
 */
export async function expectLateTellRefused(
  stack: E2eStack,
  history: History,
  lost: { id: string; leaseToken: string | null },
  what: string,
): Promise<void> {
  const late = await stack.worker.request("POST", `/v1/trials/${lost.id}/tell`, {
    leaseToken: lost.leaseToken,
    state: "complete",
    value: -1,
  });
  history.record({ kind: "late-write", what, status: late.status, trialId: lost.id });
  expect(late.status).toBe(409);
}
