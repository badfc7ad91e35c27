import { HpoError } from "@hpo/core";
import { Prisma, type ApiKey, type PrismaClient } from "@hpo/db";
import { apiKeyPrefix, hashApiKeySecret } from "./api-key-secret.js";
import { defaultProjectName, ensureDefaultProject } from "./project-scope.js";

/**
 * The shape a bootstrap secret must have: like a generated key (`hpo_` + random characters), long
 * enough that nobody guesses it. `hpo_$(openssl rand -hex 24)` is one.
 */
export const bootstrapSecretPattern = /^hpo_[A-Za-z0-9_-]{32,200}$/;

export type BootstrapKeyState = "created" | "present" | "revoked";

export interface BootstrapKeyOutcome {
  state: BootstrapKeyState;
  keyId: string;
  projectId: string;
}

/**
 * Makes sure a worker key whose secret is `secret` exists in the project "default", so Compose and
 * Kubernetes can hand one shared secret to the API and the workers and skip the "start the API, create
 * a key, restart the workers" dance. Only the hash is stored, as for every key. Safe to run on every
 * start of every replica: UNIQUE(hash) lets exactly one insert win and the others read its row.
 *
 * A key an operator revoked stays revoked (the outcome says so); a secret that already belongs to
 * another role or project is refused, since reusing it would quietly widen that key.
 */
export async function ensureBootstrapWorkerKey(
  prisma: PrismaClient,
  secret: string,
): Promise<BootstrapKeyOutcome> {
  if (!bootstrapSecretPattern.test(secret)) {
    throw new HpoError(
      "invalid_worker_token",
      "The worker key secret must be hpo_ followed by at least 32 letters, digits, - or _",
    );
  }
  const projectId = await ensureDefaultProject(prisma);
  const hash = hashApiKeySecret(secret);
  const existing = await prisma.apiKey.findUnique({ where: { hash } });
  if (existing) return outcomeOf(existing, projectId, "present");
  try {
    const created = await prisma.apiKey.create({
      data: { projectId, role: "worker", hash, prefix: apiKeyPrefix(secret) },
    });
    return outcomeOf(created, projectId, "created");
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    // Another replica inserted the same key a moment ago.
    return outcomeOf(await prisma.apiKey.findUniqueOrThrow({ where: { hash } }), projectId, "present");
  }
}

function outcomeOf(key: ApiKey, projectId: string, state: "created" | "present"): BootstrapKeyOutcome {
  if (key.role !== "worker" || key.projectId !== projectId) {
    throw new HpoError(
      "worker_token_conflict",
      `The worker key secret is already the secret of a ${key.role} key outside project ${defaultProjectName}; choose another`,
    );
  }
  return { state: key.revokedAt === null ? state : "revoked", keyId: key.id, projectId };
}
