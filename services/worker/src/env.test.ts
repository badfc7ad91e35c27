import { describe, expect, it } from "vitest";
import { parseWorkerEnv } from "./env.js";

describe("worker env", () => {
  it("needs only the API URL and a worker key; everything else has a default", () => {
    const env = parseWorkerEnv({ HPO_API_URL: "http://api:3000", HPO_TOKEN: "hpo_x" });
    expect(env).toMatchObject({
      REDIS_URL: "redis://127.0.0.1:6379",
      HPO_QUEUE_PREFIX: "hpo",
      HPO_HEARTBEAT_INTERVAL_MS: 5_000,
      HPO_SHUTDOWN_GRACE_MS: 30_000,
      HPO_IN_PROCESS: false,
    });
    expect(env).not.toHaveProperty("DATABASE_URL");
  });

  it("names each bad variable", () => {
    expect(() => parseWorkerEnv({ HPO_TOKEN: "x" })).toThrow(/HPO_API_URL/);
    expect(() =>
      parseWorkerEnv({ HPO_API_URL: "http://a", HPO_TOKEN: "x", HPO_HEARTBEAT_INTERVAL_MS: "soon" }),
    ).toThrow(/HPO_HEARTBEAT_INTERVAL_MS/);
    expect(
      parseWorkerEnv({ HPO_API_URL: "http://a", HPO_TOKEN: "x", HPO_IN_PROCESS: "1" }).HPO_IN_PROCESS,
    ).toBe(true);
  });
});
