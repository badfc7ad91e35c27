import { benchmarkProblems, validateStudyDefinition } from "@hpo/core";
import type { StudyDefinition } from "@hpo/contracts";
import type { PrismaClient } from "@hpo/db";

/**
 * The study every trial-store bench seeds: a project, and a Branin study with room for a million trials
 * (budget and parallelism never limit an ask), validated as the API would. `sampler` is what an ask runs.
 */
export async function createBraninBenchStudy(
  prisma: PrismaClient,
  name: string,
  sampler: StudyDefinition["sampler"]["type"] = "random",
) {
  const project = await prisma.project.create({ data: { name: "bench" } });
  const checked = validateStudyDefinition({
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    sampler: { type: sampler },
    budget: { maxTrials: 1_000_000, parallelism: 10_000 },
    seed: 3,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const definition = checked.value;
  const study = await prisma.study.create({ data: { projectId: project.id, name, definition } });
  return { projectId: project.id, study, definition };
}
