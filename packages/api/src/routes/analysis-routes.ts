import { idParamsSchema, importanceReplySchema, paretoReplySchema } from "@hpo/contracts";
import { readStudyDefinition } from "@hpo/db";
import type { ApiContext, ZodApp } from "../api-context.js";
import { loadParetoFront } from "../analysis/pareto-front.js";
import { StudyImportance } from "../analysis/study-importance.js";
import { userRoles } from "../auth/principal.js";
import { projectIdOf } from "../auth/project-scope.js";
import { commonErrors } from "../http/common-errors.js";
import { findStudyInProject } from "../studies/find-study.js";

/** Analyses of a study's history computed on the server by the core: the Pareto front, importance. */
export function registerAnalysisRoutes(app: ZodApp, { prisma, samplers }: ApiContext): void {
  const importance = new StudyImportance(prisma, samplers);
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
      const study = await findStudyInProject(prisma, await projectIdOf(request, prisma), request.params.id);
      return importance.of(study.id, readStudyDefinition(study.definition));
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
      const study = await findStudyInProject(prisma, await projectIdOf(request, prisma), request.params.id);
      return loadParetoFront(prisma, study.id, readStudyDefinition(study.definition));
    },
  );
}
