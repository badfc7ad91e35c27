import { describe, expect, it } from "vitest";
import { retryWaitMs } from "./retry-wait.js";

describe("retryWaitMs", () => {
  it.each([
    { case: "no Retry-After: own backoff", attempt: 0, retryAfter: undefined, expected: 250 },
    { case: "no Retry-After: doubles", attempt: 3, retryAfter: undefined, expected: 2000 },
    { case: "Retry-After longer than the backoff wins", attempt: 0, retryAfter: 1000, expected: 1000 },
    { case: "backoff longer than Retry-After wins", attempt: 4, retryAfter: 1000, expected: 4000 },
    { case: "Retry-After 0 keeps the backoff", attempt: 1, retryAfter: 0, expected: 500 },
    { case: "a huge Retry-After is capped", attempt: 0, retryAfter: 3_600_000, expected: 10_000 },
  ])("$case", ({ attempt, retryAfter, expected }) => {
    expect(retryWaitMs(attempt, 250, retryAfter, 10_000)).toBe(expected);
  });
});
