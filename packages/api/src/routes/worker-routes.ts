import { HpoError } from "@hpo/core";
import { fleetMembers, poolsServing, Prisma, readStringList } from "@hpo/db";
import {
  DEFAULT_POOL,
  pageOf,
  readWorkerOffer,
  trialQueueName,
  WORKER_ALIVE_WITHIN_MS,
  workerRegistrationReplySchema,
  workerRegistrationSchema,
  workerReplySchema,
} from "@hpo/contracts";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { anyRole } from "../auth/principal.js";
import { projectIdOf } from "../auth/project-scope.js";

/** Worker registration is a worker's hot path (its heartbeat too): the code's project filter alone. */
export function registerWorkerRoutes(app: ZodApp, { prisma }: ApiContext): void {
  app.post(
    "/v1/workers",
    {
      config: { access: anyRole },
      schema: {
        tags: ["workers"],
        description: "Register a worker, or refresh it (its heartbeat)",
        body: workerRegistrationSchema,
        response: { 200: workerRegistrationReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const body = request.body;
      const fleetPool = request.principal?.pool ?? null;
      // A fleet key's workers belong to no project and serve its pool only; a project key's, its project.
      const projectId = fleetPool === null ? await projectIdOf(request, prisma) : null;
      if (fleetPool !== null && body.pool !== undefined && body.pool !== fleetPool) {
        throw new HpoError("validation_failed", `This fleet key serves pool ${fleetPool}`, {
          status: 400,
          details: { issues: [{ in: "body", path: ["pool"], message: `Must be ${fleetPool}` }] },
        });
      }
      const { id } = body;
      const now = new Date();
      const pool = fleetPool ?? body.pool ?? DEFAULT_POOL;
      const data = {
        host: body.host,
        gpus: body.gpus,
        backend: body.backend,
        slots: body.slots,
        version: body.version ?? null,
        pool,
        gpuModel: body.gpuModel ?? null,
        gpuMemoryGb: body.gpuMemoryGb ?? null,
        backends: body.backends ?? [],
        trainers: body.trainers ?? Prisma.DbNull,
        labels: body.labels ?? {},
        lastSeen: now,
      };
      // A project key consumes only its own project's queue in its pool; a fleet key, the queues of the
      // pool's member projects. So no worker ever receives a job it may not claim.
      const served =
        projectId !== null
          ? [projectId]
          : (await fleetMembers(prisma, pool)).map((member) => member.projectId);
      const routing = { pool, queues: served.map((project) => trialQueueName(pool, project)) };
      // Update only within the caller's project: another project's worker with the same id is never touched.
      const { count } = await prisma.worker.updateMany({ where: { id, projectId }, data });
      if (count === 0) {
        try {
          await prisma.worker.create({ data: { id, projectId, ...data, startedAt: now } });
        } catch (error) {
          if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
            // Our own concurrent registration won the insert: update it. Another project's worker: 409.
            const retried = await prisma.worker.updateMany({ where: { id, projectId }, data });
            if (retried.count === 1) return { id, registered: true, lastSeen: now.toISOString(), ...routing };
            throw new HpoError("worker_id_taken", "This worker id is in use; pick another", {
              status: 409,
              details: { issues: [{ in: "body", path: ["id"], message: "Worker id in use" }] },
            });
          }
          throw error;
        }
      }
      return { id, registered: count === 0, lastSeen: now.toISOString(), ...routing };
    },
  );

  app.get(
    "/v1/workers",
    {
      config: { access: anyRole },
      schema: { tags: ["workers"], response: { 200: pageOf(workerReplySchema), ...commonErrors } },
    },
    async (request) => {
      const projectId = await projectIdOf(request, prisma);
      // The project's own workers, and the fleet workers of the pools whose fleet serves it. Unscoped by
      // row-level security on purpose: fleet workers belong to no project, so the policy would hide them.
      const pools = await poolsServing(prisma, projectId);
      const workers = await prisma.worker.findMany({
        where: { OR: [{ projectId }, { projectId: null, pool: { in: pools } }] },
        orderBy: { id: "asc" },
      });
      const running = await prisma.trial.groupBy({
        by: ["workerId"],
        where: {
          state: "running",
          workerId: { in: workers.map((worker) => worker.id) },
          study: { projectId },
        },
        _count: { _all: true },
      });
      const runningBy = new Map(running.map((group) => [group.workerId, group._count._all]));
      const now = Date.now();
      return {
        items: workers.map((worker) => {
          const offer = readWorkerOffer(worker);
          const runningTrials = runningBy.get(worker.id) ?? 0;
          return {
            id: worker.id,
            host: worker.host,
            gpus: readStringList(worker.gpus),
            backend: worker.backend,
            slots: worker.slots,
            version: worker.version,
            startedAt: worker.startedAt.toISOString(),
            lastSeen: worker.lastSeen.toISOString(),
            alive: now - worker.lastSeen.getTime() <= WORKER_ALIVE_WITHIN_MS,
            runningTrials,
            pool: worker.pool,
            gpuModel: worker.gpuModel,
            gpuMemoryGb: worker.gpuMemoryGb,
            backends: readStringList(worker.backends),
            trainers: offer.trainers ? [...offer.trainers] : null,
            labels: { ...offer.labels },
            freeSlots: Math.max(0, worker.slots - runningTrials),
          };
        }),
        nextCursor: null,
      };
    },
  );
}
