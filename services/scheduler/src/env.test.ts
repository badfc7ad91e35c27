import { describe, expect, it } from "vitest";
import { parseSchedulerEnv } from "./env.js";

describe("scheduler env", () => {
  it("defaults to the local Postgres and Redis with production timings", () => {
    expect(parseSchedulerEnv({})).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/hpo",
      REDIS_URL: "redis://127.0.0.1:6379",
      HPO_SWEEP_INTERVAL_MS: 2_000,
      HPO_HEARTBEAT_GRACE_MS: 30_000,
    });
  });

  it("names each bad variable", () => {
    expect(() => parseSchedulerEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
    expect(() => parseSchedulerEnv({ HPO_HEARTBEAT_GRACE_MS: "-5" })).toThrow(/HPO_HEARTBEAT_GRACE_MS/);
  });
});
