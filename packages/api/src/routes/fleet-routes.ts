import { HpoError } from "@hpo/core";
import {
  createdFleetKeyReplySchema,
  fleetBodySchema,
  fleetMemberBodySchema,
  fleetMemberParamsSchema,
  fleetMemberReplySchema,
  fleetParamsSchema,
  fleetReplySchema,
  pageOf,
  WORKER_ALIVE_WITHIN_MS,
} from "@hpo/contracts";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret } from "../auth/api-key-secret.js";
import { adminOnly } from "../auth/principal.js";
import { requireUuid } from "../auth/project-scope.js";

/** Fleets span projects, so only the bootstrap admin (no project of its own) manages them. */
function requireOperator(request: FastifyRequest): void {
  if (request.principal?.projectId !== null || request.principal.pool !== null)
    throw new HpoError("forbidden", "Only the operator's admin token manages fleets", { status: 403 });
}

/**
 * Shared fleets (docs/fleets.md): the operator lets a pool's fleet serve projects (each with a weight
 * and a concurrency limit) and creates fleet keys for that pool's workers. Operator routes spanning
 * projects: no row-level-security scope (auth/project-database.ts) applies.
 */
export function registerFleetRoutes(app: ZodApp, { prisma }: ApiContext): void {
  const toMember = (row: {
    pool: string;
    projectId: string;
    weight: number;
    maxConcurrentTrials: number | null;
    createdAt: Date;
    project: { name: string };
  }) => ({
    pool: row.pool,
    projectId: row.projectId,
    projectName: row.project.name,
    weight: row.weight,
    maxConcurrentTrials: row.maxConcurrentTrials,
    createdAt: row.createdAt.toISOString(),
  });

  app.put(
    "/v1/fleets/:pool/members/:projectId",
    {
      config: { access: adminOnly },
      schema: {
        tags: ["fleets"],
        description: "Let the pool's fleet serve a project, with its fair-share weight and concurrency limit",
        params: fleetMemberParamsSchema,
        body: fleetMemberBodySchema,
        response: { 200: fleetMemberReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      requireOperator(request);
      const { pool } = request.params;
      const projectId = requireUuid(request.params.projectId, "Project");
      const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
      if (!project) throw new HpoError("not_found", "Project not found", { status: 404 });
      const data = {
        weight: request.body.weight,
        maxConcurrentTrials: request.body.maxConcurrentTrials ?? null,
      };
      const row = await prisma.fleetMember.upsert({
        where: { pool_projectId: { pool, projectId } },
        create: { pool, projectId, ...data },
        update: data,
        include: { project: { select: { name: true } } },
      });
      return toMember(row);
    },
  );

  app.put(
    "/v1/fleets/:pool",
    {
      config: { access: adminOnly },
      schema: {
        tags: ["fleets"],
        description: "Open the pool's fleet to every project (allProjects), or only to its members",
        params: fleetParamsSchema,
        body: fleetBodySchema,
        response: { 200: fleetBodySchema, ...commonErrors },
      },
    },
    async (request) => {
      requireOperator(request);
      const { pool } = request.params;
      const { allProjects } = request.body;
      await prisma.fleet.upsert({ where: { pool }, create: { pool, allProjects }, update: { allProjects } });
      return { allProjects };
    },
  );

  app.delete(
    "/v1/fleets/:pool/members/:projectId",
    {
      config: { access: adminOnly },
      schema: {
        tags: ["fleets"],
        params: fleetMemberParamsSchema,
        response: { 200: z.object({ removed: z.boolean() }), ...commonErrors },
      },
    },
    async (request) => {
      requireOperator(request);
      const { count } = await prisma.fleetMember.deleteMany({
        where: { pool: request.params.pool, projectId: requireUuid(request.params.projectId, "Project") },
      });
      return { removed: count > 0 };
    },
  );

  app.post(
    "/v1/fleets/:pool/keys",
    {
      config: { access: adminOnly },
      schema: {
        tags: ["fleets"],
        description: "A fleet key: its workers serve every member project of the pool",
        params: fleetParamsSchema,
        response: { 201: createdFleetKeyReplySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const secret = generateApiKeySecret();
      const key = await prisma.apiKey.create({
        data: {
          projectId: null,
          pool: request.params.pool,
          role: "worker",
          hash: hashApiKeySecret(secret),
          prefix: apiKeyPrefix(secret),
        },
      });
      return reply
        .status(201)
        .send({ id: key.id, key: secret, pool: request.params.pool, prefix: key.prefix });
    },
  );

  app.get(
    "/v1/fleets",
    {
      config: { access: adminOnly },
      schema: { tags: ["fleets"], response: { 200: pageOf(fleetReplySchema), ...commonErrors } },
    },
    async (request) => {
      requireOperator(request);
      const members = await prisma.fleetMember.findMany({
        include: { project: { select: { name: true } } },
        orderBy: [{ pool: "asc" }, { createdAt: "asc" }],
      });
      const workers = await prisma.worker.findMany({
        where: { projectId: null, lastSeen: { gte: new Date(Date.now() - WORKER_ALIVE_WITHIN_MS) } },
        select: { id: true, pool: true, slots: true },
      });
      const running = await prisma.trial.groupBy({
        by: ["workerId"],
        where: { state: "running", workerId: { in: workers.map((worker) => worker.id) } },
        _count: { _all: true },
      });
      const busyBy = new Map(running.map((group) => [group.workerId, group._count._all]));
      const open = new Set(
        (await prisma.fleet.findMany({ where: { allProjects: true }, select: { pool: true } })).map(
          (f) => f.pool,
        ),
      );
      const pools = [
        ...new Set([...members.map((m) => m.pool), ...workers.map((w) => w.pool), ...open]),
      ].sort();
      return {
        items: pools.map((pool) => {
          const inPool = workers.filter((worker) => worker.pool === pool);
          return {
            pool,
            allProjects: open.has(pool),
            members: members.filter((member) => member.pool === pool).map(toMember),
            workersAlive: inPool.length,
            slots: inPool.reduce((sum, worker) => sum + worker.slots, 0),
            busySlots: inPool.reduce(
              (sum, worker) => sum + Math.min(worker.slots, busyBy.get(worker.id) ?? 0),
              0,
            ),
          };
        }),
        nextCursor: null,
      };
    },
  );
}
