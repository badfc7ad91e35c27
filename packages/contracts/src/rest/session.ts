import { z } from "zod";
import { apiKeyRoleSchema, projectReplySchema } from "./projects.js";

/** GET /v1/me: who the presented key is, so a client (`hpo login`) can check a key and find its project. */
export const whoAmIReplySchema = z.object({
  keyId: z.string(),
  role: apiKeyRoleSchema,
  project: projectReplySchema
    .nullable()
    .describe("The key's project; null for the bootstrap admin token (its study routes use project default)"),
});
export type WhoAmIReply = z.infer<typeof whoAmIReplySchema>;
