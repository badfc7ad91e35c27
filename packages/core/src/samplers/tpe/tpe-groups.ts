import type {
  CategoricalEncodedParam,
  NumericEncodedParam,
  SpaceEncoding,
} from "../../space/space-encoding.js";

/**
 * Params modelled jointly. Multivariate TPE models all params that are active together jointly; with
 * conditional spaces that means one group per distinct `when` condition (the unconditional params form
 * the first group), a decomposition in the spirit of Optuna's `group=True`: a group is sampled only when
 * its condition holds, from the trials in which it was active. Univariate TPE: one param per group.
 */
export interface TpeGroup {
  numeric: NumericEncodedParam[];
  categorical: CategoricalEncodedParam[];
  /** Space order of the group's first param (groups are sampled in this order). */
  first: number;
}

function whenKey(when: Record<string, unknown> | undefined): string {
  if (when === undefined) return "";
  return JSON.stringify(
    Object.keys(when)
      .sort()
      .map((k) => [k, when[k]]),
  );
}

export function buildTpeGroups(encoding: SpaceEncoding, multivariate: boolean): TpeGroup[] {
  const groups = new Map<string, TpeGroup>();
  encoding.params.forEach((p, i) => {
    const key = multivariate ? whenKey(p.spec.when) : `#${i}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { numeric: [], categorical: [], first: i };
      groups.set(key, group);
    }
    if (p.kind === "numeric") group.numeric.push(p);
    else group.categorical.push(p);
  });
  return [...groups.values()].sort((a, b) => a.first - b.first);
}
