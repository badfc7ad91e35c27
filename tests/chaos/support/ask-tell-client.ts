import type { E2eStack } from "../../e2e/support/e2e-stack.js";
import type { History } from "./history.js";
import { callApi, sleep, type Answer, type StatusTally } from "./http-tally.js";

/** How long to wait before retrying an answer: its Retry-After (seconds) when it has one, else `fallbackMs`. */
export function retryDelayMs(answer: Answer, fallbackMs = 200): number {
  const seconds = Number(answer.retryAfter);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

async function completeCount(stack: E2eStack, studyId: string): Promise<number> {
  try {
    return await stack.db.prisma.trial.count({ where: { studyId, state: "complete" } });
  } catch {
    return -1; // PostgreSQL away: not known yet
  }
}

/**
 * Tells a trial `complete`, retrying what the API could not serve (5xx, no answer). A 409 after such a
 * retry is the first tell having committed before its answer was lost: the trial must then be complete.
 */
async function tellUntilAnswered(
  stack: E2eStack,
  trial: { id: string; leaseToken: string },
  value: number,
  tally: StatusTally,
  history: History,
): Promise<void> {
  let retried = false;
  for (let attempt = 0; attempt < 60; attempt++) {
    const told = tally.add(
      await callApi(stack.apiUrl, stack.user.token, "POST", `/v1/trials/${trial.id}/tell`, {
        leaseToken: trial.leaseToken,
        state: "complete",
        value,
      }),
    );
    if (told.status >= 200 && told.status < 300) return;
    if (told.status === 409 && retried) {
      const state = await stack.user.request<{ state: string }>("GET", `/v1/trials/${trial.id}`);
      history.record({
        kind: "note",
        what: "tell answered 409 after a retry",
        trialId: trial.id,
        detail: { state: state.body.state },
      });
      return;
    }
    if (told.status !== 0 && told.status < 500) {
      // The lease was lost meanwhile (abandoned past the grace): the point is retried as a new trial.
      history.record({ kind: "note", what: `tell ${told.status} ${told.code ?? ""}`, trialId: trial.id });
      return;
    }
    retried = true;
    await sleep(retryDelayMs(told));
  }
  throw new Error(`tell of ${trial.id} never answered`);
}

/**
 * An external ask/tell client (a training script on another machine): asks a trial, tells it complete,
 * again, until the study has `maxTrials` complete trials; retries whatever the API could not serve after
 * its Retry-After. Every trial it was handed is recorded in the history (it must end terminal).
 */
export async function runAskTellClient(
  stack: E2eStack,
  studyId: string,
  maxTrials: number,
  tally: StatusTally,
  history: History,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const asked = tally.add(
      await callApi(stack.apiUrl, stack.user.token, "POST", `/v1/studies/${studyId}/ask`, {}),
    );
    if (asked.status === 200) {
      const trial = asked.body as { id: string; number: number; leaseToken: string };
      history.record({ kind: "op", what: "ask", status: 200, trialId: trial.id });
      await tellUntilAnswered(stack, trial, trial.number, tally, history);
      continue;
    }
    if (asked.status === 409 && (await completeCount(stack, studyId)) >= maxTrials) return;
    await sleep(retryDelayMs(asked));
  }
  throw new Error(
    `the ask/tell client did not finish in ${timeoutMs} ms: ${JSON.stringify(tally.summary())}`,
  );
}

/** A small valid definition for an external (ask/tell) study. */
export function externalStudy(name: string, maxTrials: number, parallelism: number): Record<string, unknown> {
  return {
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [{ name: "x", type: "float", low: -5, high: 5 }],
    sampler: { type: "random" },
    budget: { maxTrials, parallelism, maxRetries: 50 },
    seed: 1,
  };
}
