import { randomBytes } from "node:crypto";
import { HpoError } from "@hpo/core";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKeySecret } from "./api-key-secret.js";
import { ensureBootstrapWorkerKey } from "./bootstrap-worker-key.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("bootstrap_key");
});
afterAll(async () => {
  await db.dispose();
});

const newSecret = () => `hpo_${randomBytes(24).toString("hex")}`;

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof HpoError ? error.code : `no HpoError: ${String(error)}`;
}

describe("ensureBootstrapWorkerKey", () => {
  it("creates one hashed worker key in project default, once, across restarts and racing replicas", async () => {
    const secret = newSecret();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => ensureBootstrapWorkerKey(db.prisma, secret)),
    );
    expect(outcomes.filter((outcome) => outcome.state === "created")).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.keyId)).size).toBe(1);
    const restarted = await ensureBootstrapWorkerKey(db.prisma, secret);
    expect(restarted.state).toBe("present");

    const keys = await db.prisma.apiKey.findMany({ where: { hash: hashApiKeySecret(secret) } });
    expect(keys).toHaveLength(1);
    const project = await db.prisma.project.findUniqueOrThrow({ where: { name: "default" } });
    expect(keys[0]).toMatchObject({ role: "worker", projectId: project.id, prefix: secret.slice(0, 10) });
    // Only the hash is stored: the secret appears in no column.
    expect(JSON.stringify(keys[0])).not.toContain(secret.slice(4));
  });

  it("leaves a revoked key revoked and says so", async () => {
    const secret = newSecret();
    const { keyId } = await ensureBootstrapWorkerKey(db.prisma, secret);
    await db.prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    expect((await ensureBootstrapWorkerKey(db.prisma, secret)).state).toBe("revoked");
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).revokedAt).not.toBeNull();
  });

  it("refuses a secret of the wrong shape, or one that is another role's key", async () => {
    expect(await codeOf(ensureBootstrapWorkerKey(db.prisma, "hpo_short"))).toBe("invalid_worker_token");
    expect(await codeOf(ensureBootstrapWorkerKey(db.prisma, `x${newSecret()}`))).toBe("invalid_worker_token");
    const adminSecret = newSecret();
    const project = await db.prisma.project.findUniqueOrThrow({ where: { name: "default" } });
    await db.prisma.apiKey.create({
      data: { projectId: project.id, role: "admin", hash: hashApiKeySecret(adminSecret), prefix: "hpo_" },
    });
    expect(await codeOf(ensureBootstrapWorkerKey(db.prisma, adminSecret))).toBe("worker_token_conflict");
  });
});
