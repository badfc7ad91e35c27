import type { Params } from "@hpo/contracts";
import type { SpaceEncoding } from "../space/space-encoding.js";
import { isParamActive } from "../space/param-activity.js";

/**
 * Decodes one unit coordinate PER PARAM (index = position in the space, not the one-hot layout) into
 * params: numerics through the encoding (log/step aware, exact grid values), categoricals by cutting
 * [0, 1) into equal cells. Every param keeps its coordinate whether active or not, so a conditional
 * param's activity never shifts the others (important for quasi-random designs).
 */
export function decodeUnitPoint(encoding: SpaceEncoding, u: ArrayLike<number>): Params {
  const out: Params = {};
  encoding.params.forEach((p, i) => {
    if (!isParamActive(p.spec, out)) return;
    const value = u[i] ?? 0.5;
    if (p.kind === "numeric") {
      out[p.name] = p.fromUnit(value);
    } else {
      const k = Math.min(p.size - 1, Math.max(0, Math.floor(value * p.size)));
      const choice = p.choices[k];
      if (choice !== undefined) out[p.name] = choice;
    }
  });
  return out;
}

/** Canonical identity of a param set (order of the space, type-aware), e.g. to detect duplicates. */
export function paramsKey(encoding: SpaceEncoding, params: Readonly<Params>): string {
  const parts: string[] = [];
  for (const p of encoding.params) {
    const v = params[p.name];
    if (v !== undefined) parts.push(`${p.name}=${typeof v}:${String(v)}`);
  }
  return parts.join("\u0000");
}
