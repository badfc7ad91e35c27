import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new API key secret: `hpo_` + 32 random bytes (base64url). Only its hash is ever stored. */
export function generateApiKeySecret(): string {
  return `hpo_${randomBytes(32).toString("base64url")}`;
}

/**
 * sha256 is enough here (unlike passwords): the secret has 256 bits of entropy, so there is nothing to
 * brute-force, and a fast hash keeps the per-request lookup cheap.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The first characters of a key, stored so people can tell their keys apart. */
export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, 10);
}

/** Constant-time comparison of two secrets, through their hashes so lengths always match. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashApiKeySecret(a), "hex"), Buffer.from(hashApiKeySecret(b), "hex"));
}
