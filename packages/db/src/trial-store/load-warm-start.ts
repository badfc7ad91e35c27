import { prepareWarmStart, type HistoryTrial } from "@hpo/core";
import type { StudyDefinition } from "@hpo/contracts";
import { loadHistory } from "./load-history.js";
import type { Db } from "./study-lock.js";

/**
 * The trials of the earlier studies a definition names in `warmStart`, prepared for the sampler: only
 * completed trials whose params fit the new space (matched by name and type), the rest dropped (the core
 * says which in its notes). The studies' project was checked when the study was created.
 */
export async function loadWarmStartTrials(db: Db, definition: StudyDefinition): Promise<HistoryTrial[]> {
  const ids = definition.warmStart?.studies ?? [];
  if (ids.length === 0) return [];
  const earlier: HistoryTrial[] = [];
  for (const id of ids) {
    const trials = await loadHistory(db, id, definition.objectives);
    earlier.push(...trials.filter((trial) => trial.state === "complete"));
  }
  const directions = definition.objectives.map((objective) => objective.direction);
  return prepareWarmStart(definition.space, earlier, directions).trials;
}
