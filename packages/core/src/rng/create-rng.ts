/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) seeded through a murmur3-style
 * avalanche hash of (seed, ...streams).
 *
 * Why streams: a sampler derives independent generators from (study seed, trial number, purpose) so that
 * any process given the same history draws the same numbers, whatever else it drew before. The hash makes
 * neighbouring seeds/streams (0, 1, 2 …) produce unrelated sequences.
 * Pure 32-bit integer arithmetic (Math.imul), so results are identical on every JS engine.
 */
export interface Rng {
  /** Uniform in [0, 1), 53 bits of precision. */
  next: () => number;
  /** Uniform integer in [0, n). */
  nextInt: (n: number) => number;
  /** Standard normal (Box–Muller). */
  normal: () => number;
}

const TWO_POW_32 = 4294967296;

/** murmur3 fmix32: full avalanche of one 32-bit word. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits any finite number into two 32-bit words (low, high) so that seeds above 2^32 still matter. */
function splitNumber(value: number): [number, number] {
  if (!Number.isFinite(value)) return [0x7ff00000, 0];
  const integer = Math.trunc(value);
  const fraction = value - integer;
  const low = integer >>> 0;
  const high = Math.floor(integer / TWO_POW_32) >>> 0;
  // A fractional part (rare; seeds are integers) is folded in so 1.5 and 1 differ.
  return [low, (high ^ Math.floor(fraction * TWO_POW_32)) >>> 0];
}

/** Hashes (seed, ...streams) into four non-zero 32-bit words of xoshiro state. */
function deriveState(seed: number, streams: readonly number[]): Uint32Array {
  let h = 0x9e3779b9;
  const absorb = (word: number): void => {
    h = mix32((h ^ word) + 0x9e3779b9 + (h << 6) + (h >>> 2));
  };
  for (const value of [seed, ...streams]) {
    const [low, high] = splitNumber(value);
    absorb(low);
    absorb(high);
    absorb(value < 0 ? 1 : 0);
  }
  absorb(streams.length);
  const state = new Uint32Array(4);
  let any = 0;
  for (let i = 0; i < 4; i++) {
    h = mix32(h + Math.imul(i + 1, 0x6d2b79f5));
    state[i] = h;
    any |= h;
  }
  if (any === 0) state[0] = 1; // xoshiro's all-zero state is a fixed point
  return state;
}

export function createRng(seed: number, ...streams: number[]): Rng {
  const s = deriveState(seed, streams);
  let s0 = s[0] ?? 1;
  let s1 = s[1] ?? 0;
  let s2 = s[2] ?? 0;
  let s3 = s[3] ?? 0;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  const next = (): number => {
    // 53-bit mantissa from two outputs: 27 high bits + 26 low bits.
    const a = nextUint32() >>> 5;
    const b = nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };

  return {
    next,
    nextInt(n: number): number {
      if (!(n >= 1)) return 0;
      return Math.min(n - 1, Math.floor(next() * n));
    },
    normal(): number {
      let u = next();
      while (u <= 0) u = next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
