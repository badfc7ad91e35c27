import { HpoError, isHpoError } from "@hpo/core";
import {
  askBodySchema,
  askReplySchema,
  errorReplySchema,
  idParamsSchema,
  manualTrialBodySchema,
  pageOf,
  trialListQuerySchema,
  paramValueSchema,
  trialReplySchema,
  trialSortSchema,
} from "@hpo/contracts";
import {
  enqueueManualTrial,
  proposeTrials,
  readParams,
  readStudyDefinition,
  type ProposeLimit,
  type TrialReport,
} from "@hpo/db";
import { z } from "zod";
import { commonErrors } from "../http/common-errors.js";
import type { ApiContext, ZodApp } from "../api-context.js";
import { userRoles } from "../auth/principal.js";
import { projectDatabaseOf } from "../auth/project-database.js";
import { projectIdOf, requireUuid } from "../auth/project-scope.js";
import { decodeCursor, encodeCursor } from "../http/cursor.js";
import { samplerBusyRetryAfterSeconds } from "../sampling/sampler-pool.js";
import { findStudyInProject } from "../studies/find-study.js";
import { toTrialJson } from "../trials/trial-json.js";
import { checkTrialSort, trialFilterOf } from "../trials/trial-list-params.js";
import { listTrialKeys, listTrialPage, type TrialCursor } from "../trials/trial-list-query.js";
import { trialsToCsv } from "../trials/trials-csv.js";

/** The keyset cursor of the trial list: opaque to clients, so it is the API's own, not a contract. */
const trialCursor = z.strictObject({
  s: trialSortSchema,
  k: paramValueSchema.nullable(),
  n: z.int().min(0).max(2_147_483_647),
});
const csvRowLimit = 100_000;

const askRefusals: Record<ProposeLimit, { code: string; message: string; retryable: boolean }> = {
  none: { code: "study_exhausted", message: "The sampler proposed nothing", retryable: false },
  not_running: { code: "study_not_running", message: "The study is not running", retryable: false },
  parallelism: {
    code: "parallelism_reached",
    message: "The study already runs `parallelism` trials; tell one first or raise parallelism",
    retryable: true,
  },
  max_trials: {
    code: "study_exhausted",
    message: "The study has used its maxTrials budget",
    retryable: false,
  },
  exhausted: {
    code: "study_exhausted",
    message: "The sampler has no point left (grid exhausted)",
    retryable: false,
  },
};

export function registerStudyTrialRoutes(app: ZodApp, ctx: ApiContext): void {
  const { prisma, events, metrics } = ctx;

  app.get(
    "/v1/studies/:id/trials",
    {
      config: { access: userRoles },
      schema: {
        tags: ["trials"],
        params: idParamsSchema,
        querystring: trialListQuerySchema,
        response: {
          200: z
            .union([pageOf(trialReplySchema), z.string().describe("text/csv, with format=csv")])
            .describe("A page of trials, or with format=csv all matching trials as CSV"),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const project = await projectDatabaseOf(request, prisma);
      const query = request.query;
      // The reads in one scoped transaction; the CSV and JSON are written after it ends.
      const loaded = await project.run(async (db) => {
        const study = await findStudyInProject(db, project.projectId, request.params.id);
        const definition = readStudyDefinition(study.definition);
        const filter = trialFilterOf(query, definition.space);
        checkTrialSort(query.sort, definition.space);
        if (query.format === "csv") {
          const keys = await listTrialKeys(db, {
            studyId: study.id,
            filter,
            sort: query.sort,
            cursor: null,
            limit: csvRowLimit,
          });
          const rows = await db.trial.findMany({ where: { id: { in: keys.map((key) => key.id) } } });
          const byId = new Map(rows.map((row) => [row.id, row]));
          return {
            csv: true,
            study,
            definition,
            rows: keys.flatMap((key) => byId.get(key.id) ?? []),
          } as const;
        }
        let cursor: TrialCursor | null = null;
        if (query.cursor) {
          cursor = decodeCursor(query.cursor, trialCursor);
          if (cursor.s !== query.sort) {
            throw new HpoError("invalid_cursor", "The cursor belongs to another sort order", { status: 400 });
          }
        }
        const rows = await listTrialPage(db, {
          studyId: study.id,
          filter,
          sort: query.sort,
          cursor,
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const reports =
          query.include === "reports" && page.length > 0
            ? await db.trialReport.findMany({
                where: { trialId: { in: page.map((row) => row.id) } },
                orderBy: [{ trialId: "asc" }, { step: "asc" }],
              })
            : null;
        return { csv: false, more: rows.length > query.limit, page, reports } as const;
      });
      if (loaded.csv) {
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${loaded.study.name}-trials.csv"`)
          .send(trialsToCsv(loaded.rows, loaded.definition.space));
      }
      const { more, page, reports } = loaded;
      const reportsOf = new Map<string, TrialReport[]>();
      for (const report of reports ?? []) {
        const list = reportsOf.get(report.trialId);
        if (list) list.push(report);
        else reportsOf.set(report.trialId, [report]);
      }
      const last = page[page.length - 1];
      return {
        items: page.map((row) =>
          toTrialJson(reports ? { ...row, reports: reportsOf.get(row.id) ?? [] } : row),
        ),
        nextCursor: more && last ? encodeCursor({ s: query.sort, k: last.k, n: last.number }) : null,
      };
    },
  );

  app.post(
    "/v1/studies/:id/trials",
    {
      config: { access: userRoles },
      schema: {
        tags: ["trials"],
        description: "Enqueue a trial with fixed params (served before sampled points)",
        params: idParamsSchema,
        body: manualTrialBodySchema,
        response: { 201: trialReplySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const project = await projectDatabaseOf(request, prisma);
      const study = await project.run((db) => findStudyInProject(db, project.projectId, request.params.id));
      // The insert itself runs unscoped: enqueueManualTrial (packages/db trial-store) opens its own
      // study-locked transaction, which cannot nest in a scoped one. It only touches the study found above.
      const trial = await enqueueManualTrial(prisma, study.id, request.body.params);
      metrics.trialsProposed.inc({ via: "manual" });
      await events.publish({
        type: "trial.created",
        studyId: study.id,
        trialId: trial.id,
        state: trial.state,
        number: trial.number,
      });
      return reply.status(201).send(toTrialJson(trial));
    },
  );

  app.post(
    "/v1/studies/:id/ask",
    {
      config: { access: userRoles },
      schema: {
        tags: ["lifecycle"],
        description: "Ask/tell: the next point to evaluate, as a running trial leased to the caller",
        params: idParamsSchema,
        body: askBodySchema,
        response: { 200: askReplySchema, ...commonErrors, 503: errorReplySchema },
      },
    },
    async (request, reply) => {
      // A hot path (external ask/tell loops): the project filter of the code alone, no scoped transaction
      // (proposeTrials in packages/db trial-store opens its own study-locked one, and checks the project
      // in its own read of the study: a study of another project is a 404 there, with no lookup before).
      const projectId = await projectIdOf(request, prisma);
      const studyId = requireUuid(request.params.id, "Study");
      const askedAt = Date.now();
      let result: Awaited<ReturnType<typeof proposeTrials>>;
      try {
        result = await proposeTrials(prisma, studyId, 1, {
          mode: "lease",
          projectId,
          workerId: request.body?.workerId ?? null,
          sample: ctx.samplers.sample,
        });
      } catch (error) {
        // Saturated sampler threads: tell the client when to come back (sampling/sampler-pool.ts).
        if (isHpoError(error) && error.code === "unavailable") {
          void reply.header("retry-after", String(samplerBusyRetryAfterSeconds));
        }
        throw error;
      }
      const trial = result.trials[0];
      metrics.operator.askDuration.observe(
        { outcome: trial?.leaseToken ? "trial" : "refused" },
        (Date.now() - askedAt) / 1000,
      );
      if (!trial?.leaseToken) {
        const refusal = askRefusals[result.limitedBy];
        throw new HpoError(refusal.code, refusal.message, { status: 409, retryable: refusal.retryable });
      }
      metrics.trialsProposed.inc({ via: "ask" });
      await events.publish({
        // A served waiting trial (manual, retry) existed before; a sampled one is new.
        type: trial.createdAt.getTime() >= askedAt ? "trial.created" : "trial.updated",
        studyId,
        trialId: trial.id,
        state: trial.state,
        number: trial.number,
      });
      return {
        id: trial.id,
        studyId,
        number: trial.number,
        params: readParams(trial.params),
        leaseToken: trial.leaseToken,
        attempt: trial.attempt,
        origin: trial.origin,
      };
    },
  );
}
