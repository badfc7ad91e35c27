import type { Principal } from "./principal.js";

/**
 * How long a key found in Postgres is trusted without asking again. Revoking a key through this API
 * process forgets it at once (DELETE /v1/keys/:id calls `forgetKey`), so its next request here fails;
 * another API replica notices within this bound. Short on purpose: it only has to absorb the 4–5 requests
 * a worker or an ask/tell client sends per trial, which each looked the key up before.
 */
export const authenticatedKeyTtlMs = 2_000;
const maxEntries = 10_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/** Valid keys recently found in Postgres, by the hash of their secret; unknown keys are never cached. */
export class AuthenticatedKeys {
  private readonly byHash = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = authenticatedKeyTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  get(hash: string): Principal | null {
    const entry = this.byHash.get(hash);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.byHash.delete(hash);
      return null;
    }
    return entry.principal;
  }

  remember(hash: string, principal: Principal): void {
    // Bounded: clearing costs one lookup per live key, never a wrong answer.
    if (this.byHash.size >= maxEntries) this.byHash.clear();
    this.byHash.set(hash, { principal, expiresAt: this.now() + this.ttlMs });
  }

  /** Forgets a revoked key at once (its hash is not known to the caller: found by key id). */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.byHash) {
      if (entry.principal.keyId === keyId) this.byHash.delete(hash);
    }
  }
}
