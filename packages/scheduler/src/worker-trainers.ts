import type { StudyDefinition } from "@hpo/contracts";

/**
 * Trainers that run on workers. An `external` study only gets trials through `ask` (the user's own code
 * evaluates them), so the scheduler never proposes for it; its stale trials are still reconciled.
 */
export function runsOnWorkers(definition: StudyDefinition): boolean {
  return definition.trainer.type !== "external";
}
