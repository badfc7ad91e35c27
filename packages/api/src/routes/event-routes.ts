import { idParamsSchema } from "@hpo/contracts";
import type { ApiContext, ZodApp } from "../api-context.js";
import { userRoles } from "../auth/principal.js";
import { projectDatabaseOf } from "../auth/project-database.js";
import { findStudyInProject } from "../studies/find-study.js";

const keepAliveMs = 15_000;

/**
 * GET /v1/studies/:id/events: server-sent events fed by the Redis channel, so every API replica sees
 * every change, whoever made it (API, scheduler). One `event:` per study event, JSON `data:`; a comment
 * line every 15 s keeps proxies from closing an idle stream.
 */
export function registerEventRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get(
    "/v1/studies/:id/events",
    {
      // A stream stays open for minutes: it must not hold a slot of the admission gate.
      config: { access: userRoles, rateLimit: false, admission: false },
      schema: {
        tags: ["studies"],
        description: "Server-sent events of the study's changes",
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const project = await projectDatabaseOf(request, ctx.prisma);
      // Only the initial read is scoped: the stream itself holds no transaction (events come from Redis).
      const study = await project.run((db) => findStudyInProject(db, project.projectId, request.params.id));
      const raw = reply.raw;
      let sequence = 0;
      const unlisten = await ctx.events.listen(study.id, (event) => {
        sequence += 1;
        // The parsed event, not the raw message: clients only ever see the contract's shape.
        raw.write(`id: ${sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      reply.hijack();
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      raw.write(`retry: 2000\n: subscribed to study ${study.id}\n\n`);
      const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), keepAliveMs);
      const end = (): void => {
        clearInterval(keepAlive);
        unlisten();
        ctx.openStreams.delete(end);
        if (!raw.writableEnded) raw.end();
      };
      ctx.openStreams.add(end);
      // The response's "close" fires when the client goes away (or the stream is ended here).
      raw.on("close", end);
      if (raw.destroyed) end();
    },
  );
}
