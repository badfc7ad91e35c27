import { choiceKey, type ParamSpec, type Params } from "@hpo/contracts";

/**
 * A param is active iff every param named in its `when` is active (i.e. present in `params`, which only
 * holds active params) and equals one of the listed values. Params without `when` are always active.
 */
export function isParamActive(spec: ParamSpec, params: Readonly<Params>): boolean {
  if (spec.when === undefined) return true;
  for (const [parentName, expected] of Object.entries(spec.when)) {
    const actual = params[parentName];
    if (actual === undefined) return false;
    const values = Array.isArray(expected) ? expected : [expected];
    const key = choiceKey(actual);
    if (!values.some((v) => choiceKey(v) === key)) return false;
  }
  return true;
}
