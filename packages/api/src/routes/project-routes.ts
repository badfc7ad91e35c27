import { HpoError } from "@hpo/core";
import { Prisma } from "@hpo/db";
import {
  createdKeyReplySchema,
  createKeyBodySchema,
  createProjectBodySchema,
  idParamsSchema,
  keyReplySchema,
  pageOf,
  projectReplySchema,
} from "@hpo/contracts";
import { z } from "zod";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret } from "../auth/api-key-secret.js";
import { adminOnly } from "../auth/principal.js";
import { requireUuid } from "../auth/project-scope.js";

/**
 * Tenancy: the bootstrap admin (HPO_ADMIN_TOKEN) creates projects and keys for any project; a project's
 * own admin key manages that project's keys only. Another project's key or project is a 404.
 * Unscoped by row-level security on purpose: the bootstrap admin spans every project, and a project
 * admin's own project is checked here against its key before any query.
 */
export function registerProjectRoutes(app: ZodApp, { prisma, authenticatedKeys }: ApiContext): void {
  app.post(
    "/v1/projects",
    {
      config: { access: adminOnly },
      schema: {
        body: createProjectBodySchema,
        tags: ["projects"],
        response: { 201: projectReplySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      if (request.principal?.projectId !== null) {
        throw new HpoError("forbidden", "Only the bootstrap admin token creates projects", { status: 403 });
      }
      try {
        const project = await prisma.project.create({ data: { name: request.body.name } });
        return await reply.status(201).send({ id: project.id, name: project.name });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new HpoError("name_taken", `A project named ${request.body.name} exists`, {
            status: 409,
            details: { issues: [{ in: "body", path: ["name"], message: "Name already used" }] },
          });
        }
        throw error;
      }
    },
  );

  app.get(
    "/v1/projects",
    {
      config: { access: adminOnly },
      schema: {
        tags: ["projects"],
        description: "Every project for the bootstrap admin token; a project admin key sees its own",
        response: { 200: pageOf(projectReplySchema), ...commonErrors },
      },
    },
    async (request) => {
      const own = request.principal?.projectId ?? null;
      const projects = await prisma.project.findMany({
        where: own === null ? {} : { id: own },
        orderBy: { name: "asc" },
        select: { id: true, name: true },
      });
      return { items: projects, nextCursor: null };
    },
  );

  app.post(
    "/v1/projects/:id/keys",
    {
      config: { access: adminOnly },
      schema: {
        params: idParamsSchema,
        body: createKeyBodySchema,
        tags: ["projects"],
        response: { 201: createdKeyReplySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const projectId = requireUuid(request.params.id, "Project");
      const own = request.principal?.projectId ?? null;
      if (own !== null && own !== projectId)
        throw new HpoError("not_found", "Project not found", { status: 404 });
      const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
      if (!project) throw new HpoError("not_found", "Project not found", { status: 404 });
      const secret = generateApiKeySecret();
      const key = await prisma.apiKey.create({
        data: {
          projectId,
          role: request.body.role,
          hash: hashApiKeySecret(secret),
          prefix: apiKeyPrefix(secret),
        },
      });
      // The secret is shown once, here, and never stored.
      return reply
        .status(201)
        .send({ id: key.id, key: secret, role: key.role, projectId, prefix: key.prefix });
    },
  );

  app.get(
    "/v1/projects/:id/keys",
    {
      config: { access: adminOnly },
      schema: {
        params: idParamsSchema,
        tags: ["projects"],
        description: "The project's keys (never their secrets), to find the id of one to revoke",
        response: {
          200: z.object({ items: z.array(keyReplySchema), nextCursor: z.null() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const projectId = requireUuid(request.params.id, "Project");
      const own = request.principal?.projectId ?? null;
      if (own !== null && own !== projectId)
        throw new HpoError("not_found", "Project not found", { status: 404 });
      const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
      if (!project) throw new HpoError("not_found", "Project not found", { status: 404 });
      const keys = await prisma.apiKey.findMany({
        where: { projectId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return {
        items: keys.map((key) => ({
          id: key.id,
          role: key.role,
          prefix: key.prefix,
          createdAt: key.createdAt.toISOString(),
          revokedAt: key.revokedAt?.toISOString() ?? null,
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
        })),
        nextCursor: null,
      };
    },
  );

  app.delete(
    "/v1/keys/:id",
    { config: { access: adminOnly }, schema: { params: idParamsSchema, tags: ["projects"] } },
    async (request, reply) => {
      const keyId = requireUuid(request.params.id, "Key");
      const own = request.principal?.projectId ?? null;
      const { count } = await prisma.apiKey.updateMany({
        where: own === null ? { id: keyId, revokedAt: null } : { id: keyId, projectId: own, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      // Its next request to this process must fail: no trust left over from a recent lookup.
      authenticatedKeys.forgetKey(keyId);
      if (count === 0) {
        const exists = await prisma.apiKey.findFirst({
          where: own === null ? { id: keyId } : { id: keyId, projectId: own },
          select: { id: true },
        });
        if (!exists) throw new HpoError("not_found", "Key not found", { status: 404 });
      }
      return reply.status(204).send();
    },
  );
}
