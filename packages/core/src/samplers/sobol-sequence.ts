import { JOE_KUO_ROWS } from "./sobol-direction-numbers.js";

/**
 * Scrambled Sobol points, addressable by index: point i is a pure function of (i, dimension, seed), so a
 * sampler needs no state to resume (the trial number is the index).
 *
 * Construction: direction numbers by Bratley & Fox's recurrence over Joe–Kuo's table; coordinates in
 * natural (not Gray-code) order, which gives the same point set for every power-of-two prefix.
 * Scrambling: Burley's hash-based nested uniform (Owen) scramble in base 2 ("Practical hash-based Owen
 * scrambling", JCGT 9(4), 2020): an Owen scramble keeps the net structure, removes the origin point and
 * the bad 2-D projections of the raw sequence, and makes the design seed-dependent.
 */
const BITS = 32;

function buildDirections(): Uint32Array[] {
  const first = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) first[j] = (1 << (31 - j)) >>> 0;
  const all = [first];
  for (const row of JOE_KUO_ROWS) {
    const [s = 0, a = 0, ...m] = row.split(" ").map(Number);
    const v = new Uint32Array(BITS);
    for (let j = 0; j < BITS; j++) {
      if (j < s) {
        v[j] = ((m[j] ?? 1) << (31 - j)) >>> 0;
        continue;
      }
      const back = v[j - s] ?? 0;
      let x = back ^ (back >>> s);
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k] ?? 0;
      v[j] = x >>> 0;
    }
    all.push(v);
  }
  return all;
}

const DIRECTIONS = buildDirections();
export const SOBOL_MAX_DIMENSION = DIRECTIONS.length;

function reverseBits(value: number): number {
  let x = value >>> 0;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/** Burley 2020, listing 3 (nested_uniform_scramble_base2 via the improved Laine–Karras hash). */
function owenScramble(value: number, seed: number): number {
  let x = reverseBits(value);
  x = (x ^ Math.imul(x, 0x3d20adea)) >>> 0;
  x = (x + seed) >>> 0;
  x = Math.imul(x, (seed >>> 16) | 1) >>> 0;
  x = (x ^ Math.imul(x, 0x05526c56)) >>> 0;
  x = (x ^ Math.imul(x, 0x53a22864)) >>> 0;
  return reverseBits(x);
}

function hash32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Raw 32-bit Sobol integer of point `index` (< 2^32) in dimension `dimension` (< SOBOL_MAX_DIMENSION). */
export function sobolInteger(index: number, dimension: number): number {
  const v = DIRECTIONS[dimension];
  if (v === undefined) throw new RangeError(`Sobol dimension ${dimension} exceeds ${SOBOL_MAX_DIMENSION}`);
  let x = 0;
  let i = index >>> 0;
  for (let j = 0; i > 0; j++, i >>>= 1) if (i & 1) x ^= v[j] ?? 0;
  return x >>> 0;
}

/** Seed of one dimension's scramble, derived from the study seed. */
export function sobolDimensionSeed(seed: number, dimension: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  return hash32(hash32(low ^ 0x5bd1e995) ^ hash32(high + 0x27d4eb2f) ^ hash32(dimension + 0x165667b1));
}

/**
 * One coordinate in [0, 1). Scrambled points are centred in their 2^-32 cell; unscrambled ones are the
 * raw sequence. Dimensions beyond the table fall back to a hash of (index, dimension, seed), i.e. plain
 * random sampling for those coordinates.
 */
export function sobolCoordinate(index: number, dimension: number, seed: number, scramble = true): number {
  if (dimension >= SOBOL_MAX_DIMENSION) {
    const h = hash32(hash32(index >>> 0) ^ sobolDimensionSeed(seed, dimension));
    return (h + 0.5) / 4294967296;
  }
  const raw = sobolInteger(index, dimension);
  if (!scramble) return raw / 4294967296;
  return (owenScramble(raw, sobolDimensionSeed(seed, dimension)) + 0.5) / 4294967296;
}

export function sobolPoint(index: number, dimensions: number, seed: number, scramble = true): number[] {
  const out = new Array<number>(dimensions);
  for (let d = 0; d < dimensions; d++) out[d] = sobolCoordinate(index, d, seed, scramble);
  return out;
}
