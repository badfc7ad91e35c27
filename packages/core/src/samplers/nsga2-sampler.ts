import type { Direction, Nsga2SamplerConfig, Params, Space } from "@hpo/contracts";
import { isFeasible, totalViolation } from "../constraints/constraint-violations.js";
import { nonDominatedRanks, toLosses } from "../multi-objective/pareto.js";
import { createRng, type Rng } from "../rng/create-rng.js";
import { isParamActive } from "../space/param-activity.js";
import { createEncoding, type EncodedParam } from "../space/space-encoding.js";
import { decodeUnitPoint, paramsKey } from "./decode-unit-point.js";
import {
  requestDirections,
  trialValues,
  type HistoryTrial,
  type Sampler,
  type SampleRequest,
  type SampleResult,
} from "./sampler-types.js";
import { STREAM_NSGA2 } from "./sampler-streams.js";
import {
  multiObjectivePriorsAgree,
  usableMultiObjectivePriors,
} from "../warm-start/multi-objective-priors.js";

/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and elitist multiobjective genetic algorithm")
 * with constrained domination (same paper, §VI): a feasible trial beats an infeasible one, two infeasible
 * trials compare by total violation, two feasible ones by Pareto dominance.
 *
 * Stateless, as a service needs: the first `populationSize` trials are uniform random; after that every
 * child is bred from the parent population = the best `populationSize` completed trials so far under
 * (constrained non-domination rank, crowding distance), i.e. NSGA-II's elitist (μ+λ) survival applied to the
 * whole history instead of generation by generation, so late or pending trials of a batch never block it.
 * Parents are picked by binary tournament, recombined by simulated binary crossover (SBX, η = 20) on the unit
 * encoding of numeric params and uniform crossover of categoricals, then mutated (polynomial mutation, η = 20,
 * each param with probability 1/params). All randomness is createRng(seed, trialNumber, STREAM_NSGA2).
 *
 * Warm start: prior trials (`priorTrials`, at most MAX_PRIORS) are the initial population. While the study
 * has fewer than `populationSize` completed trials of its own, parents are chosen among the priors and its
 * own trials together, and no random start-up is needed; from then on the population is the study's own
 * trials only, so an earlier study on another scale cannot dominate it forever. Priors that fail the
 * agreement gate (multi-objective-priors.ts) are not used.
 */
const ETA_CROSSOVER = 20;
const ETA_MUTATION = 20;
const MAX_REDRAWS = 8;
const MAX_PRIORS = 200;

interface Individual {
  params: Params;
  rank: number;
  crowding: number;
}

export function defaultPopulationSize(maxTrials: number | undefined): number {
  return maxTrials !== undefined && maxTrials >= 300 ? 50 : 20;
}

/** Constrained non-domination ranks and crowding distances of the completed trials. */
export function rankPopulation(
  trials: readonly HistoryTrial[],
  directions: readonly Direction[],
): Individual[] {
  const feasible: { t: HistoryTrial; loss: number[] }[] = [];
  const infeasible: { t: HistoryTrial; violation: number }[] = [];
  for (const t of trials) {
    if (t.state !== "complete") continue;
    const v = trialValues(t, directions.length);
    if (v === undefined || !v.every((x) => Number.isFinite(x))) continue;
    if (isFeasible(t.constraintViolations)) feasible.push({ t, loss: toLosses(v, directions) });
    else infeasible.push({ t, violation: totalViolation(t.constraintViolations) });
  }
  const ranks = nonDominatedRanks(feasible.map((f) => f.loss));
  const crowding = crowdingDistances(
    feasible.map((f) => f.loss),
    ranks,
  );
  const out: Individual[] = feasible.map((f, i) => ({
    params: f.t.params,
    rank: ranks[i] ?? 0,
    crowding: crowding[i] ?? 0,
  }));
  const base = ranks.reduce((m, r) => Math.max(m, r + 1), 0);
  infeasible.sort((a, b) => a.violation - b.violation || a.t.number - b.t.number);
  infeasible.forEach((f, i) => out.push({ params: f.t.params, rank: base + i, crowding: 0 }));
  return out;
}

/** Crowding distance (Deb et al. 2002, §III-B) inside each rank: boundary points get Infinity. */
function crowdingDistances(losses: readonly number[][], ranks: readonly number[]): number[] {
  const out = new Array<number>(losses.length).fill(0);
  const m = losses[0]?.length ?? 0;
  const byRank = new Map<number, number[]>();
  ranks.forEach((r, i) => byRank.set(r, [...(byRank.get(r) ?? []), i]));
  for (const members of byRank.values()) {
    for (let k = 0; k < m; k++) {
      const sorted = [...members].sort((a, b) => (losses[a]?.[k] ?? 0) - (losses[b]?.[k] ?? 0) || a - b);
      const first = sorted[0];
      const last = sorted[sorted.length - 1];
      if (first === undefined || last === undefined) continue;
      const span = (losses[last]?.[k] ?? 0) - (losses[first]?.[k] ?? 0);
      out[first] = Infinity;
      out[last] = Infinity;
      if (span <= 0) continue;
      for (let j = 1; j < sorted.length - 1; j++) {
        const i = sorted[j] ?? 0;
        const gap = (losses[sorted[j + 1] ?? 0]?.[k] ?? 0) - (losses[sorted[j - 1] ?? 0]?.[k] ?? 0);
        out[i] = (out[i] ?? 0) + gap / span;
      }
    }
  }
  return out;
}

const better = (a: Individual, b: Individual): boolean =>
  a.rank < b.rank || (a.rank === b.rank && a.crowding > b.crowding);

/** SBX on [0, 1] (Deb & Agrawal 1995), returning one child. */
function sbx(a: number, b: number, rng: Rng): number {
  if (Math.abs(a - b) < 1e-14) return a;
  const u = rng.next();
  const beta =
    u <= 0.5
      ? Math.pow(2 * u, 1 / (ETA_CROSSOVER + 1))
      : Math.pow(1 / (2 * (1 - u)), 1 / (ETA_CROSSOVER + 1));
  const child =
    rng.next() < 0.5 ? 0.5 * (a + b - beta * Math.abs(b - a)) : 0.5 * (a + b + beta * Math.abs(b - a));
  return Math.min(1, Math.max(0, child));
}

/** Polynomial mutation on [0, 1] (Deb & Goyal 1996). */
function polynomialMutation(x: number, rng: Rng): number {
  const u = rng.next();
  const delta =
    u < 0.5 ? Math.pow(2 * u, 1 / (ETA_MUTATION + 1)) - 1 : 1 - Math.pow(2 * (1 - u), 1 / (ETA_MUTATION + 1));
  return Math.min(1, Math.max(0, x + delta));
}

function breed(
  params: readonly EncodedParam[],
  p1: Params,
  p2: Params,
  crossoverProb: number,
  mutationProb: number,
  rng: Rng,
): Params {
  const cross = rng.next() < crossoverProb;
  const out: Params = {};
  for (const p of params) {
    if (!isParamActive(p.spec, out)) continue;
    const a = p1[p.name];
    const b = p2[p.name];
    const mutate = rng.next() < mutationProb;
    if (p.kind === "numeric") {
      const ua = typeof a === "number" ? p.toUnit(a) : undefined;
      const ub = typeof b === "number" ? p.toUnit(b) : undefined;
      let u = ua ?? ub ?? rng.next();
      if (cross && ua !== undefined && ub !== undefined && rng.next() < 0.5) u = sbx(ua, ub, rng);
      if (mutate) u = polynomialMutation(u, rng);
      out[p.name] = p.fromUnit(p.snapUnit(u));
    } else {
      const pick = cross && rng.next() < 0.5 ? b : a;
      const value = pick !== undefined && p.indexOf(pick) >= 0 ? pick : (a ?? b);
      const index = mutate || value === undefined ? rng.nextInt(p.size) : p.indexOf(value);
      const choice = p.choices[index];
      if (choice !== undefined) out[p.name] = choice;
    }
  }
  return out;
}

export function createNsga2Sampler(config: Omit<Nsga2SamplerConfig, "type">, space: Space): Sampler {
  const encoding = createEncoding(space);
  return {
    type: "nsga2",
    sample(req: SampleRequest): SampleResult {
      const directions = requestDirections(req);
      const popSize = config.populationSize ?? defaultPopulationSize(req.budget?.maxTrials);
      const crossoverProb = config.crossoverProb ?? 0.9;
      const mutationProb = config.mutationProb ?? 1 / Math.max(1, space.length);
      const ownComplete = req.trials.filter((t) => t.state === "complete").length;
      let priors =
        ownComplete < popSize
          ? usableMultiObjectivePriors(req.priorTrials, directions.length, MAX_PRIORS)
          : [];
      if (priors.length > 0 && !multiObjectivePriorsAgree(space, priors, req.trials, directions)) priors = [];
      const ranked = rankPopulation([...priors, ...req.trials], directions)
        .map((ind, i) => ({ ind, i }))
        .sort((a, b) => a.ind.rank - b.ind.rank || b.ind.crowding - a.ind.crowding || a.i - b.i)
        .slice(0, popSize)
        .map((x) => x.ind);
      const taken = new Set([...priors, ...req.trials].map((t) => paramsKey(encoding, t.params)));
      const suggestions: Params[] = [];
      let origin = "nsga2";
      for (let k = 0; k < req.count; k++) {
        const number = req.firstNumber + k;
        const rng = createRng(req.seed, number, STREAM_NSGA2);
        let params: Params | undefined;
        if ((number >= popSize || priors.length > 0) && ranked.length >= 2) {
          const tournament = (): Individual => {
            const a = ranked[rng.nextInt(ranked.length)] ?? ranked[0];
            const b = ranked[rng.nextInt(ranked.length)] ?? ranked[0];
            if (a === undefined || b === undefined) throw new Error("unreachable: empty population");
            return better(b, a) ? b : a;
          };
          for (let attempt = 0; attempt < MAX_REDRAWS && params === undefined; attempt++) {
            const child = breed(
              encoding.params,
              tournament().params,
              tournament().params,
              crossoverProb,
              mutationProb,
              rng,
            );
            if (!taken.has(paramsKey(encoding, child))) params = child;
          }
        } else origin = "random";
        params ??= decodeUnitPoint(
          encoding,
          encoding.params.map(() => rng.next()),
        );
        taken.add(paramsKey(encoding, params));
        suggestions.push(params);
      }
      return { suggestions, state: null, exhausted: false, origin };
    },
  };
}
