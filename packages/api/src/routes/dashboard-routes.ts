import { HpoError } from "@hpo/core";
import {
  heatmapQuerySchema,
  heatmapReplySchema,
  idParamsSchema,
  runningTrialsReplySchema,
  studySummaryReplySchema,
  trialCountReplySchema,
  trialListQuerySchema,
} from "@hpo/contracts";
import { readStudyDefinition, readStudyTrialCounts } from "@hpo/db";
import type { ApiContext, ZodApp } from "../api-context.js";
import { userRoles } from "../auth/principal.js";
import { projectDatabaseOf } from "../auth/project-database.js";
import { binHeatmap } from "../dashboard/heatmap.js";
import { ParamSampleCache } from "../dashboard/param-sample-cache.js";
import { buildStudySummary, SettledSummaryCache } from "../dashboard/study-summary.js";
import { commonErrors } from "../http/common-errors.js";
import { findStudyInProject } from "../studies/find-study.js";
import { trialFilterOf } from "../trials/trial-list-params.js";
import { countTrials } from "../trials/trial-list-query.js";

/**
 * Read routes of the web dashboard (and of any client that wants the same aggregates): bounded answers
 * computed from the whole history, project-scoped like every other route: each reads through the caller's
 * ProjectDatabase, so PostgreSQL's row-level security confines it to the caller's project too.
 */
export function registerDashboardRoutes(app: ZodApp, { prisma }: ApiContext): void {
  const samples = new ParamSampleCache();
  const settled = new SettledSummaryCache();
  app.get(
    "/v1/studies/:id/summary",
    {
      config: { access: userRoles },
      schema: {
        tags: ["analysis"],
        description:
          "Counts, best, best-so-far line, down-sampled history, per-param distributions, a plot sample and intermediate curves",
        params: idParamsSchema,
        response: { 200: studySummaryReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      return project.run(async (db) =>
        buildStudySummary(db, await findStudyInProject(db, project.projectId, request.params.id), {
          samples,
          settled,
        }),
      );
    },
  );

  app.get(
    "/v1/studies/:id/heatmap",
    {
      config: { access: userRoles },
      schema: {
        tags: ["analysis"],
        description: "Best and mean objective per cell of two params",
        params: idParamsSchema,
        querystring: heatmapQuerySchema,
        response: { 200: heatmapReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      const { xSpec, ySpec, direction, sample } = await project.run(async (db) => {
        const study = await findStudyInProject(db, project.projectId, request.params.id);
        const definition = readStudyDefinition(study.definition);
        const specOf = (key: "x" | "y") => {
          const name = request.query[key];
          const spec = definition.space.find((param) => param.name === name);
          if (!spec) {
            throw new HpoError("validation_failed", `${key}: no param "${name}" in the study's space`, {
              status: 400,
              details: {
                issues: [{ in: "query", path: [key], message: "No such param in the study's space" }],
              },
            });
          }
          return spec;
        };
        const [x, y] = [specOf("x"), specOf("y")];
        const { complete } = await readStudyTrialCounts(db, study.id);
        const { direction: sense } = definition.objective;
        return {
          xSpec: x,
          ySpec: y,
          direction: sense,
          sample: await samples.get(db, study.id, sense, complete),
        };
      });
      return {
        ...binHeatmap(xSpec, ySpec, sample.rows, direction, request.query.bins),
        trialsUsed: sample.rows.length,
      };
    },
  );

  app.get(
    "/v1/studies/:id/trials/count",
    {
      config: { access: userRoles },
      schema: {
        tags: ["trials"],
        description: "How many trials match the filters of GET /v1/studies/:id/trials",
        params: idParamsSchema,
        querystring: trialListQuerySchema,
        response: { 200: trialCountReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      return project.run(async (db) => {
        const study = await findStudyInProject(db, project.projectId, request.params.id);
        const filter = trialFilterOf(request.query, readStudyDefinition(study.definition).space);
        return { count: await countTrials(db, study.id, filter) };
      });
    },
  );

  app.get(
    "/v1/running-trials",
    {
      config: { access: userRoles },
      schema: {
        tags: ["workers"],
        description: "The project's running trials and the workers running them",
        response: { 200: runningTrialsReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      const trials = await project.run((db) =>
        db.trial.findMany({
          where: { state: "running", study: { projectId: project.projectId } },
          orderBy: [{ startedAt: "asc" }, { number: "asc" }],
          take: 1_000,
          select: {
            id: true,
            studyId: true,
            number: true,
            workerId: true,
            gpu: true,
            startedAt: true,
            heartbeatAt: true,
            study: { select: { name: true } },
          },
        }),
      );
      return {
        items: trials.map((trial) => ({
          trialId: trial.id,
          studyId: trial.studyId,
          studyName: trial.study.name,
          number: trial.number,
          workerId: trial.workerId,
          gpu: trial.gpu,
          startedAt: trial.startedAt?.toISOString() ?? null,
          heartbeatAt: trial.heartbeatAt?.toISOString() ?? null,
        })),
      };
    },
  );
}
