import type { StudyDefinition } from "@hpo/contracts";

/** The number of steps every trial of the study trains, when the trainer fixes it; undefined otherwise. */
function findTrainingLength(definition: StudyDefinition): number | undefined {
  const { trainer, space } = definition;
  if (trainer.type === "synthetic") return trainer.steps;
  if (trainer.type === "tfjs") {
    if (space.some((p) => p.name === "epochs")) return undefined; // tuned: trials differ in length
    const fixed = trainer.fixed?.epochs;
    return typeof fixed === "number" ? fixed : trainer.epochs;
  }
  return undefined;
}

/**
 * Defaults that depend on other fields: Hyperband's maxResource R is the training length when the trainer
 * fixes it (synthetic `steps`, tfjs `epochs`), so its brackets exist from the first trial instead of being
 * learned once a trial completes. External and command trainers keep the learned default.
 */
export function applyDerivedDefaults(definition: StudyDefinition): StudyDefinition {
  const { pruner } = definition;
  if (pruner.type !== "hyperband" || pruner.maxResource !== undefined) return definition;
  const length = findTrainingLength(definition);
  if (length === undefined || !(length > pruner.minResource)) return definition;
  return { ...definition, pruner: { ...pruner, maxResource: length } };
}
