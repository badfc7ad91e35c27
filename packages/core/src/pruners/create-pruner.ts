import { prunerConfigSchema, type PrunerConfig, type PrunerConfigInput } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import { createHyperbandPruner } from "./hyperband-pruner.js";
import { createDominancePruner } from "./dominance-pruner.js";
import { createMedianPruner, createPercentilePruner } from "./percentile-pruner.js";
import type { Pruner } from "./pruner-types.js";
import { createSuccessiveHalvingPruner } from "./successive-halving-pruner.js";

/** Never prunes: every trial runs its full budget. */
function createNopPruner(): Pruner {
  return { type: "none", decide: () => ({ prune: false, state: null }) };
}

/**
 * Builds the pruner a study's config names. The config is parsed (defaults applied) first; a bad config
 * throws HpoError "invalid_pruner" (HTTP 400) with the path of each problem.
 */
export function createPruner(config: PrunerConfigInput): Pruner {
  const parsed = prunerConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === "number" ? p : String(p))),
      message: i.message,
    }));
    const first = issues[0];
    const where = first === undefined ? "" : ` at ${JSON.stringify(first.path)}: ${first.message}`;
    throw new HpoError("invalid_pruner", `invalid pruner config${where}`, {
      status: 400,
      details: { issues },
    });
  }
  return createPrunerFromParsed(parsed.data);
}

function createPrunerFromParsed(config: PrunerConfig): Pruner {
  switch (config.type) {
    case "none":
      return createNopPruner();
    case "median":
      return createMedianPruner(config);
    case "percentile":
      return createPercentilePruner(config);
    case "successive-halving":
      return createSuccessiveHalvingPruner(config);
    case "hyperband":
      return createHyperbandPruner(config);
    case "dominance":
      return createDominancePruner(config);
  }
}
