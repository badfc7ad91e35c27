import { z } from "zod";
import { isoTimeSchema } from "./common.js";

export const apiKeyRoles = ["admin", "user", "worker"] as const;
export const apiKeyRoleSchema = z.enum(apiKeyRoles);
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** POST /v1/projects (bootstrap admin only). */
export const createProjectBodySchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '_' and '-'"),
});
export type CreateProjectBody = z.infer<typeof createProjectBodySchema>;
export const projectReplySchema = z.object({ id: z.uuid(), name: z.string() });
export type ProjectReply = z.infer<typeof projectReplySchema>;

/** POST /v1/projects/:id/keys. */
export const createKeyBodySchema = z.strictObject({ role: apiKeyRoleSchema });
export type CreateKeyBody = z.infer<typeof createKeyBodySchema>;
export const createdKeyReplySchema = z.object({
  id: z.uuid(),
  key: z.string().describe("The secret, shown only here"),
  role: apiKeyRoleSchema,
  projectId: z.uuid(),
  prefix: z.string(),
});
export type CreatedKeyReply = z.infer<typeof createdKeyReplySchema>;

/** An entry of GET /v1/projects/:id/keys: never the secret. */
export const keyReplySchema = z.object({
  id: z.uuid(),
  role: apiKeyRoleSchema,
  prefix: z.string(),
  createdAt: isoTimeSchema,
  revokedAt: isoTimeSchema.nullable(),
  lastUsedAt: isoTimeSchema.nullable(),
});
export type KeyReply = z.infer<typeof keyReplySchema>;
