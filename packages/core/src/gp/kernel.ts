/**
 * Matérn-5/2 ARD kernel over the GP's encoded inputs, with exact categorical dimensions.
 *
 *   k(x, x') = σ_f² (1 + √5 r + 5r²/3) exp(−√5 r),   r² = Σ_j Δ_j(x, x')² / ℓ_j²
 *
 * A continuous column contributes Δ_j = x_j − x'_j (unit-cube coordinates). A categorical column stores the
 * choice index and contributes Δ_j² = [x_j ≠ x'_j] (Hamming / overlap distance). That equals half the squared
 * Euclidean distance between one-hot vectors, so r is a Euclidean distance of an embedding and the kernel
 * stays positive definite, while acquisition optimization treats the column exactly (enumerated choices,
 * never a rounded relaxation).
 */

export const SQRT5 = Math.sqrt(5);

/** Column kinds of the encoded input matrix. */
export interface KernelColumns {
  /** Number of encoded columns D. */
  readonly dims: number;
  /** isCategorical[j] = 1 when column j holds a choice index (Hamming distance). */
  readonly isCategorical: Uint8Array;
}

/** Kernel hyperparameters in their natural (not log) scale. */
export interface KernelHyper {
  /** One length scale per encoded column. */
  readonly lengthScales: Float64Array;
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

/** 1/ℓ_j² for all columns. */
export function inverseSquaredLengthScales(lengthScales: Float64Array): Float64Array {
  const out = new Float64Array(lengthScales.length);
  for (let j = 0; j < lengthScales.length; j++) {
    const l = lengthScales[j] ?? 1;
    out[j] = 1 / (l * l);
  }
  return out;
}

/** Scaled squared distance r² between row a of xa and row b of xb (both row-major with D columns). */
export function scaledSquaredDistance(
  xa: Float64Array,
  a: number,
  xb: Float64Array,
  b: number,
  columns: KernelColumns,
  invL2: Float64Array,
): number {
  const d = columns.dims;
  const oa = a * d;
  const ob = b * d;
  let r2 = 0;
  for (let j = 0; j < d; j++) {
    const u = xa[oa + j] ?? 0;
    const v = xb[ob + j] ?? 0;
    if (columns.isCategorical[j] === 1) {
      if (u !== v) r2 += invL2[j] ?? 0;
    } else {
      const diff = u - v;
      r2 += diff * diff * (invL2[j] ?? 0);
    }
  }
  return r2;
}

/** Matérn-5/2 correlation as a function of r² (unit signal variance). */
export function matern52FromSquared(r2: number): number {
  const r = Math.sqrt(r2);
  const s = SQRT5 * r;
  return (1 + s + (5 / 3) * r2) * Math.exp(-s);
}

/**
 * −(1/r)·dk/dr for the unit-variance Matérn-5/2: (5/3)(1 + √5 r) exp(−√5 r). Finite at r = 0, which is why
 * gradients are written through it: dk/dℓ-terms and dk/dx both factor as this times Δ-terms.
 */
export function matern52RadialFactor(r2: number): number {
  const r = Math.sqrt(r2);
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** K(X, X) + σ_n² I for the n rows of x. */
export function buildKernelMatrix(
  x: Float64Array,
  n: number,
  columns: KernelColumns,
  hyper: KernelHyper,
): Float64Array {
  const invL2 = inverseSquaredLengthScales(hyper.lengthScales);
  const k = new Float64Array(n * n);
  const sf = hyper.signalVariance;
  for (let a = 0; a < n; a++) {
    k[a * n + a] = sf + hyper.noiseVariance;
    for (let b = 0; b < a; b++) {
      const v = sf * matern52FromSquared(scaledSquaredDistance(x, a, x, b, columns, invL2));
      k[a * n + b] = v;
      k[b * n + a] = v;
    }
  }
  return k;
}

/** Cross-covariances k(X_i, q) for one query row q of xq against the n rows of x (no noise). */
export function crossCovariance(
  x: Float64Array,
  n: number,
  xq: Float64Array,
  q: number,
  columns: KernelColumns,
  invL2: Float64Array,
  signalVariance: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    out[i] = signalVariance * matern52FromSquared(scaledSquaredDistance(x, i, xq, q, columns, invL2));
  }
  return out;
}
