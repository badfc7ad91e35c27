import type { ParamSpec, ParamValue, Params, Space, GridSamplerConfig } from "@hpo/contracts";
import { HpoError } from "../errors/hpo-error.js";
import { createRng } from "../rng/create-rng.js";
import { createEncoding } from "../space/space-encoding.js";
import { gridCount, gridValue } from "../space/grid-value.js";
import { isParamActive } from "../space/param-activity.js";
import { validateParams } from "../space/validate-params.js";
import { paramsKey } from "./decode-unit-point.js";
import type { Sampler, SampleRequest, SampleResult } from "./sampler-types.js";
import { STREAM_GRID } from "./sampler-streams.js";

/** Above this many points a grid is refused: the search is not exhaustive in any useful sense. */
export const MAX_GRID_POINTS = 200_000;

function axisOf(spec: ParamSpec, config: Omit<GridSamplerConfig, "type">): ParamValue[] {
  const explicit = config.values?.[spec.name];
  if (explicit !== undefined) return explicit;
  if (spec.type === "categorical") return [...spec.choices];
  const step = spec.type === "int" ? (spec.step ?? 1) : spec.step;
  if (step !== undefined && !(spec.type === "float" && spec.log === true)) {
    const count = gridCount(spec.low, spec.high, step);
    if (count > MAX_GRID_POINTS) throw tooLarge(spec.name);
    return Array.from({ length: count }, (_, k) => gridValue(spec.low, step, k, count));
  }
  const r = typeof config.resolution === "number" ? config.resolution : config.resolution?.[spec.name];
  if (r === undefined) {
    throw new HpoError("invalid_sampler", `grid needs a resolution or explicit values for "${spec.name}"`, {
      status: 400,
      details: { path: ["sampler", "resolution"] },
    });
  }
  const values: number[] = [];
  for (let k = 0; k < r; k++) {
    const t = k / (r - 1);
    const v =
      spec.log === true
        ? Math.exp(Math.log(spec.low) + t * (Math.log(spec.high) - Math.log(spec.low)))
        : spec.low + t * (spec.high - spec.low);
    values.push(k === r - 1 ? spec.high : k === 0 ? spec.low : Number(v.toPrecision(12)));
  }
  // An int log grid rounds; keep distinct values only.
  return spec.type === "int" ? [...new Set(values.map(Math.round))] : values;
}

function tooLarge(name: string): HpoError {
  return new HpoError("grid_too_large", `grid over "${name}" exceeds ${MAX_GRID_POINTS} points`, {
    status: 400,
    details: { limit: MAX_GRID_POINTS },
  });
}

/** Every grid point, walking params in order and branching only over ACTIVE ones (conditionals). */
export function enumerateGrid(space: Space, config: Omit<GridSamplerConfig, "type">): Params[] {
  const axes = space.map((spec) => axisOf(spec, config));
  let points: Params[] = [{}];
  space.forEach((spec, i) => {
    const axis = axes[i] ?? [];
    const next: Params[] = [];
    for (const p of points) {
      if (!isParamActive(spec, p)) {
        next.push(p);
        continue;
      }
      for (const v of axis) next.push({ ...p, [spec.name]: v });
      if (next.length > MAX_GRID_POINTS) throw tooLarge(spec.name);
    }
    points = next;
  });
  return points;
}

/**
 * Exhaustive grid search. Stateless: the visit order is a seeded permutation of the grid, and a point is
 * done once any trial (in any state, manual ones included) has its params, so a study rebuilt from its
 * history continues where it stopped and two replicas agree. `exhausted` turns true with the last point.
 */
export function createGridSampler(config: Omit<GridSamplerConfig, "type">, space: Space): Sampler {
  const encoding = createEncoding(space);
  const points = enumerateGrid(space, config);
  for (const p of points) {
    const check = validateParams(space, p);
    if (!check.ok) {
      throw new HpoError(
        "invalid_sampler",
        `grid value outside the space: ${check.issues[0]?.message ?? ""}`,
        {
          status: 400,
          details: { issues: check.issues },
        },
      );
    }
  }
  const keys = points.map((p) => paramsKey(encoding, p));
  return {
    type: "grid",
    sample(req: SampleRequest): SampleResult {
      const order = points.map((_, i) => i);
      if (config.shuffle ?? true) {
        const rng = createRng(req.seed, STREAM_GRID);
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.nextInt(i + 1);
          const a = order[i] ?? 0;
          order[i] = order[j] ?? 0;
          order[j] = a;
        }
      }
      const seen = new Set(req.trials.map((t) => paramsKey(encoding, t.params)));
      const suggestions: Params[] = [];
      let remaining = 0;
      for (const i of order) {
        const key = keys[i] ?? "";
        if (seen.has(key)) continue;
        const point = points[i];
        if (suggestions.length < req.count && point !== undefined) {
          suggestions.push(point);
          seen.add(key);
        } else {
          remaining++;
        }
      }
      return { suggestions, state: null, exhausted: remaining === 0, origin: "grid" };
    },
  };
}
