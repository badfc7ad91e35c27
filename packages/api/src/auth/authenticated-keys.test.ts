import { describe, expect, it } from "vitest";
import { AuthenticatedKeys } from "./authenticated-keys.js";
import type { Principal } from "./principal.js";

const principal = (keyId: string): Principal => ({ keyId, role: "user", projectId: "p", pool: null });

describe("AuthenticatedKeys", () => {
  it("trusts a key found valid until its time is up, then asks Postgres again", () => {
    let now = 1_000;
    const keys = new AuthenticatedKeys(2_000, () => now);
    keys.remember("hash-a", principal("a"));
    now += 1_999;
    expect(keys.get("hash-a")?.keyId).toBe("a");
    now += 1;
    expect(keys.get("hash-a")).toBeNull();
  });

  it("forgets a revoked key at once, by key id, and keeps the others", () => {
    const keys = new AuthenticatedKeys(60_000, () => 0);
    keys.remember("hash-a", principal("a"));
    keys.remember("hash-b", principal("b"));
    keys.forgetKey("a");
    expect(keys.get("hash-a")).toBeNull();
    expect(keys.get("hash-b")?.keyId).toBe("b");
  });
});
