import { HpoError } from "@hpo/core";
import { whoAmIReplySchema } from "@hpo/contracts";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { anyRole } from "../auth/principal.js";

/** GET /v1/me: the caller's key, role and project (a client checks its key and learns its project here). */
export function registerSessionRoutes(app: ZodApp, { prisma }: ApiContext): void {
  app.get(
    "/v1/me",
    {
      config: { access: anyRole },
      schema: {
        tags: ["projects"],
        description: "The presented key: its id, role and project",
        response: { 200: whoAmIReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new HpoError("unauthorized", "Not authenticated", { status: 401 });
      const project =
        principal.projectId === null
          ? null
          : await prisma.project.findUnique({
              where: { id: principal.projectId },
              select: { id: true, name: true },
            });
      return { keyId: principal.keyId, role: principal.role, project };
    },
  );
}
