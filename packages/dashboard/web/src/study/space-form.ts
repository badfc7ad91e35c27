import type { ParamSpec, ParamValue, Params, Space } from "@hpo/contracts";

/** Whether a param's `when` holds for the values chosen so far (inactive params are left out of a trial). */
export function isActive(spec: ParamSpec, params: Params): boolean {
  if (!spec.when) return true;
  return Object.entries(spec.when).every(([parent, expected]) => {
    const value = params[parent];
    if (value === undefined) return false;
    const allowed = Array.isArray(expected) ? expected : [expected];
    return allowed.some((candidate) => candidate === value);
  });
}

/** The form's text for each param, prefilled from a trial (e.g. the best one) or the middle of the range. */
export function initialFormValues(space: Space, from: Params | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const spec of space) {
    const known = from?.[spec.name];
    if (known !== undefined) values[spec.name] = String(known);
    else if (spec.type === "categorical") values[spec.name] = String(spec.choices[0]);
    else {
      const middle = spec.log ? Math.sqrt(spec.low * spec.high) : (spec.low + spec.high) / 2;
      values[spec.name] = String(spec.type === "int" ? Math.round(middle) : Number(middle.toPrecision(4)));
    }
  }
  return values;
}

/**
 * The params of a manual trial from the form's text: the choice itself for categorical params (1, "1" and
 * true stay distinct), numbers for the others; inactive conditional params are left out.
 */
export function paramsFromForm(
  space: Space,
  text: Record<string, string>,
): { params: Params; errors: Record<string, string> } {
  const params: Params = {};
  const errors: Record<string, string> = {};
  for (const spec of space) {
    if (!isActive(spec, params)) continue;
    const raw = (text[spec.name] ?? "").trim();
    if (spec.type === "categorical") {
      const choice: ParamValue | undefined = spec.choices.find((candidate) => String(candidate) === raw);
      if (choice === undefined) errors[spec.name] = "Pick one of the choices";
      else params[spec.name] = choice;
      continue;
    }
    const value = Number(raw);
    if (raw === "" || !Number.isFinite(value)) errors[spec.name] = "Enter a number";
    else if (spec.type === "int" && !Number.isInteger(value)) errors[spec.name] = "Enter a whole number";
    else if (value < spec.low || value > spec.high)
      errors[spec.name] = `Between ${spec.low} and ${spec.high}`;
    else params[spec.name] = value;
  }
  return { params, errors };
}
