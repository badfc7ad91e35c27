import type { Space } from "@hpo/contracts";
import { useState } from "react";
import type { FieldFilter, TrialFilters } from "../trial-query.js";

function describe(filter: FieldFilter): string {
  if (filter.kind === "choice") return `${filter.param} = ${filter.value}`;
  const min = filter.min.trim();
  const max = filter.max.trim();
  if (min && max) return `${min} ≤ ${filter.name} ≤ ${max}`;
  return min ? `${filter.name} ≥ ${min}` : `${filter.name} ≤ ${max}`;
}

/** The trial table's filters: states, the objective's range, and any param or metric. */
export function FilterBar({
  space,
  metrics,
  filters,
  states,
  onChange,
  onAddField,
}: {
  space: Space;
  metrics: readonly string[];
  filters: TrialFilters;
  states: readonly string[];
  onChange: (filters: TrialFilters) => void;
  onAddField: (filter: FieldFilter) => void;
}) {
  const fields = [...space.map((spec) => `param:${spec.name}`), ...metrics.map((name) => `metric:${name}`)];
  const [field, setField] = useState(fields[0] ?? "");
  const [choice, setChoice] = useState("");
  const [min, setMin] = useState("");
  const [max, setMax] = useState("");
  const [valueMin, setValueMin] = useState(filters.valueMin);
  const [valueMax, setValueMax] = useState(filters.valueMax);
  const spec = field.startsWith("param:")
    ? space.find((candidate) => `param:${candidate.name}` === field)
    : undefined;
  const categorical = spec?.type === "categorical" ? spec : undefined;

  const toggleState = (state: string) => {
    const next = filters.states.includes(state)
      ? filters.states.filter((candidate) => candidate !== state)
      : [...filters.states, state];
    onChange({ ...filters, states: next });
  };
  const add = () => {
    if (categorical) {
      const value = choice || String(categorical.choices[0]);
      onAddField({ kind: "choice", param: categorical.name, value });
    } else if (min.trim() !== "" || max.trim() !== "") {
      const separator = field.indexOf(":");
      const kind = field.slice(0, separator);
      onAddField({
        kind: "range",
        field: kind === "metric" ? "metric" : "param",
        name: field.slice(separator + 1),
        min,
        max,
      });
    } else return;
    setMin("");
    setMax("");
  };

  return (
    <div className="filter-bar">
      <div className="filter-row">
        <span className="filter-label">State</span>
        <div className="chips">
          {states.map((state) => (
            <button
              key={state}
              type="button"
              className={filters.states.includes(state) ? "chip on" : "chip"}
              aria-pressed={filters.states.includes(state)}
              onClick={() => toggleState(state)}
            >
              {state}
            </button>
          ))}
        </div>
        <span className="filter-label">Value</span>
        <input
          className="input compact narrow"
          placeholder="min"
          aria-label="Minimum value"
          value={valueMin}
          onChange={(event) => setValueMin(event.target.value)}
          onBlur={() => onChange({ ...filters, valueMin })}
          onKeyDown={(event) => event.key === "Enter" && onChange({ ...filters, valueMin, valueMax })}
        />
        <input
          className="input compact narrow"
          placeholder="max"
          aria-label="Maximum value"
          value={valueMax}
          onChange={(event) => setValueMax(event.target.value)}
          onBlur={() => onChange({ ...filters, valueMax })}
          onKeyDown={(event) => event.key === "Enter" && onChange({ ...filters, valueMin, valueMax })}
        />
      </div>
      <div className="filter-row">
        <span className="filter-label">Filter</span>
        <select
          className="input compact"
          aria-label="Filter field"
          value={field}
          onChange={(event) => setField(event.target.value)}
        >
          {fields.map((name) => (
            <option key={name} value={name}>
              {name.replace(":", " ")}
            </option>
          ))}
        </select>
        {categorical ? (
          <select
            className="input compact"
            aria-label="Filter choice"
            value={choice}
            onChange={(event) => setChoice(event.target.value)}
          >
            {categorical.choices.map((value) => (
              <option key={String(value)} value={String(value)}>
                {String(value)}
              </option>
            ))}
          </select>
        ) : (
          <>
            <input
              className="input compact narrow"
              placeholder="min"
              aria-label="Filter minimum"
              value={min}
              onChange={(event) => setMin(event.target.value)}
            />
            <input
              className="input compact narrow"
              placeholder="max"
              aria-label="Filter maximum"
              value={max}
              onChange={(event) => setMax(event.target.value)}
            />
          </>
        )}
        <button type="button" className="button compact" onClick={add}>
          Add filter
        </button>
        {filters.fields.map((filter, index) => (
          <button
            key={`${describe(filter)}-${index}`}
            type="button"
            className="chip on removable"
            title="Remove this filter"
            onClick={() => onChange({ ...filters, fields: filters.fields.filter((_, i) => i !== index) })}
          >
            {describe(filter)} ✕
          </button>
        ))}
      </div>
    </div>
  );
}
