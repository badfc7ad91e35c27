import type { ApiContext, ZodApp } from "../api-context.js";

async function timed<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(work: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await timed(work(), 2_000);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Liveness never touches Postgres or Redis; readiness checks both; /metrics is Prometheus text. */
export function registerHealthRoutes(app: ZodApp, ctx: ApiContext): void {
  const hidden = { hide: true };
  app.get("/healthz", { config: { access: "public" }, schema: hidden }, () => ({ status: "ok" }));

  app.get("/readyz", { config: { access: "public" }, schema: hidden }, async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      check(() => ctx.prisma.$queryRaw`SELECT 1`),
      check(() => ctx.redis.ping()),
    ]);
    const ready = postgres.ok && redis.ok;
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", postgres, redis });
  });

  app.get("/metrics", { config: { access: "public" }, schema: hidden }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
