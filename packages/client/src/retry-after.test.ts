import { describe, expect, it } from "vitest";
import { parseRetryAfterMs } from "./retry-after.js";

const now = Date.parse("2026-11-30T06:00:00Z");

describe("parseRetryAfterMs", () => {
  it.each([
    ["2", 2000],
    [" 0 ", 0],
    ["120", 120_000],
    ["Mon, 30 Nov 2026 06:00:05 GMT", 5000],
    ["Mon, 30 Nov 2026 05:59:00 GMT", 0],
  ])("reads %j as %d ms", (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });

  it.each([[null], [undefined], [""], ["-1"], ["1.5"], ["soon"], ["Mon, 99 Foo 2026"]])(
    "leaves %j to the caller's own backoff",
    (value) => {
      expect(parseRetryAfterMs(value, now)).toBeUndefined();
    },
  );
});
