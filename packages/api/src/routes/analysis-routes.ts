import { idParamsSchema, importanceReplySchema, paretoReplySchema } from "@hpo/contracts";
import { readStudyDefinition } from "@hpo/db";
import type { ApiContext, ZodApp } from "../api-context.js";
import { loadParetoFront } from "../analysis/pareto-front.js";
import { StudyImportance } from "../analysis/study-importance.js";
import { userRoles } from "../auth/principal.js";
import { projectDatabaseOf } from "../auth/project-database.js";
import { commonErrors } from "../http/common-errors.js";
import { findStudyInProject } from "../studies/find-study.js";

/**
 * Analyses of a study's history computed on the server by the core: the Pareto front, importance. Reads go
 * through the caller's ProjectDatabase, so row-level security confines them to the caller's project.
 */
export function registerAnalysisRoutes(app: ZodApp, { prisma, samplers }: ApiContext): void {
  const importance = new StudyImportance(samplers);
  app.get(
    "/v1/studies/:id/importance",
    {
      config: { access: userRoles },
      schema: {
        tags: ["analysis"],
        description:
          "Each param's share of the objective's variance (fANOVA on boosted trees over the completed trials; per objective)",
        params: idParamsSchema,
        response: { 200: importanceReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      const study = await project.run((db) => findStudyInProject(db, project.projectId, request.params.id));
      return importance.of(project, study.id, readStudyDefinition(study.definition));
    },
  );

  app.get(
    "/v1/studies/:id/pareto",
    {
      config: { access: userRoles },
      schema: {
        tags: ["analysis"],
        description:
          "The non-dominated feasible completed trials (the study's best with several objectives; with one, the best trial and its ties)",
        params: idParamsSchema,
        response: { 200: paretoReplySchema, ...commonErrors },
      },
    },
    async (request) => {
      const project = await projectDatabaseOf(request, prisma);
      return project.run(async (db) => {
        const study = await findStudyInProject(db, project.projectId, request.params.id);
        return loadParetoFront(db, study.id, readStudyDefinition(study.definition));
      });
    },
  );
}
