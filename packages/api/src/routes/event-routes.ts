import { z } from "zod";
import type { ApiContext, ZodApp } from "../api-context.js";
import { userRoles } from "../auth/principal.js";
import { projectIdOf } from "../auth/project-scope.js";
import { findStudyInProject } from "../studies/find-study.js";

const idParams = z.strictObject({ id: z.string().max(100) });
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
      config: { access: userRoles, rateLimit: false },
      schema: {
        tags: ["studies"],
        description: "Server-sent events of the study's changes",
        params: idParams,
      },
    },
    async (request, reply) => {
      const study = await findStudyInProject(
        ctx.prisma,
        await projectIdOf(request, ctx.prisma),
        request.params.id,
      );
      const raw = reply.raw;
      let sequence = 0;
      const unlisten = await ctx.events.listen(study.id, (event, json) => {
        sequence += 1;
        raw.write(`id: ${sequence}\nevent: ${event.type}\ndata: ${json}\n\n`);
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
