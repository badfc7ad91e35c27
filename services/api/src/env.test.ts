import { describe, expect, it } from "vitest";
import { parseApiEnv } from "./env.js";

const workerSecret = `hpo_${"a1B2-c3_D".repeat(4)}`;

describe("API env", () => {
  it("needs nothing; every variable has a default or is optional", () => {
    const env = parseApiEnv({});
    expect(env).toMatchObject({ PORT: 3000, HPO_REDIS_PREFIX: "hpo", HPO_RATE_LIMIT_PER_MINUTE: 3000 });
    expect(env.HPO_ADMIN_TOKEN).toBeUndefined();
    expect(env.HPO_WORKER_TOKEN).toBeUndefined();
  });

  it("listens on 127.0.0.1 unless HOST says otherwise", () => {
    expect(parseApiEnv({}).HOST).toBe("127.0.0.1");
    expect(parseApiEnv({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
  });

  it("treats an empty token (Compose's ${VAR:-}) as unset", () => {
    const env = parseApiEnv({ HPO_ADMIN_TOKEN: "", HPO_WORKER_TOKEN: "" });
    expect(env.HPO_ADMIN_TOKEN).toBeUndefined();
    expect(env.HPO_WORKER_TOKEN).toBeUndefined();
  });

  it("takes a worker key secret of the generated shape and names a bad one", () => {
    expect(parseApiEnv({ HPO_WORKER_TOKEN: workerSecret }).HPO_WORKER_TOKEN).toBe(workerSecret);
    expect(() => parseApiEnv({ HPO_WORKER_TOKEN: "hpo_short" })).toThrow(/HPO_WORKER_TOKEN: use hpo_/);
    expect(() => parseApiEnv({ HPO_WORKER_TOKEN: `${workerSecret}!` })).toThrow(/HPO_WORKER_TOKEN/);
    expect(() => parseApiEnv({ HPO_ADMIN_TOKEN: "short" })).toThrow(/HPO_ADMIN_TOKEN/);
  });

  it("bounds the wait for a database connection (10 s unless HPO_DB_POOL_TIMEOUT_MS says otherwise)", () => {
    expect(parseApiEnv({}).HPO_DB_POOL_TIMEOUT_MS).toBe(10_000);
    expect(parseApiEnv({ HPO_DB_POOL_TIMEOUT_MS: "250" }).HPO_DB_POOL_TIMEOUT_MS).toBe(250);
    expect(() => parseApiEnv({ HPO_DB_POOL_TIMEOUT_MS: "-1" })).toThrow(/HPO_DB_POOL_TIMEOUT_MS/);
  });
});
