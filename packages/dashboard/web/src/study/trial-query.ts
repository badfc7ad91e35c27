/** One filter of the trial table on a param or a metric. */
export type FieldFilter =
  | { kind: "choice"; param: string; value: string }
  | { kind: "range"; field: "param" | "metric"; name: string; min: string; max: string };

export interface TrialFilters {
  states: string[];
  valueMin: string;
  valueMax: string;
  fields: FieldFilter[];
}

export const noFilters: TrialFilters = { states: [], valueMin: "", valueMax: "", fields: [] };

export function hasFilters(filters: TrialFilters): boolean {
  return (
    filters.states.length > 0 ||
    filters.valueMin.trim() !== "" ||
    filters.valueMax.trim() !== "" ||
    filters.fields.length > 0
  );
}

/**
 * The query string of GET /v1/studies/:id/trials (and its count and CSV) for the table's filters and sort:
 * the server filters and sorts, so the CSV holds exactly the rows the table shows.
 */
export function trialQuery(filters: TrialFilters, sort: string): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.states.length > 0) query.set("state", filters.states.join(","));
  if (filters.valueMin.trim() !== "") query.set("valueMin", filters.valueMin.trim());
  if (filters.valueMax.trim() !== "") query.set("valueMax", filters.valueMax.trim());
  const choices = new Map<string, string[]>();
  for (const filter of filters.fields) {
    if (filter.kind === "choice") {
      choices.set(filter.param, [...(choices.get(filter.param) ?? []), filter.value]);
      continue;
    }
    if (filter.min.trim() !== "") query.set(`${filter.field}Min.${filter.name}`, filter.min.trim());
    if (filter.max.trim() !== "") query.set(`${filter.field}Max.${filter.name}`, filter.max.trim());
  }
  for (const [param, values] of choices) query.set(`param.${param}`, values.join(","));
  if (sort !== "number") query.set("sort", sort);
  return query;
}
