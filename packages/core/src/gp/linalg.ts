/**
 * Dense linear algebra for the GP on row-major Float64Array buffers (n×n stored as a[i*n+j]).
 * Hand-written loops rather than a matrix library: for these small dense systems, ml-matrix measured 3–7×
 * slower when this was chosen (allocation per operation dominates at n ≤ a few hundred).
 */

/** In-place lower Cholesky factorization of a symmetric matrix; returns false if not positive definite. */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diag = a[rowJ + j] ?? 0;
    for (let k = 0; k < j; k++) {
      const v = a[rowJ + k] ?? 0;
      diag -= v * v;
    }
    if (!(diag > 0) || !Number.isFinite(diag)) return false;
    const ljj = Math.sqrt(diag);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j] ?? 0;
      for (let k = 0; k < j; k++) s -= (a[rowI + k] ?? 0) * (a[rowJ + k] ?? 0);
      a[rowI + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rowJ + k] = 0;
  }
  return true;
}

export interface CholeskyResult {
  /** Lower-triangular factor L with L Lᵀ = K + jitter·I. */
  factor: Float64Array;
  /** Extra diagonal that was needed (0 when K itself factored). */
  jitter: number;
}

/**
 * Cholesky with jitter escalation: on failure add jitter·mean(diag) to the diagonal, growing ×10 each try
 * (the GPyTorch / BoTorch `psd_safe_cholesky` recipe). Throws only if even a large jitter fails, which means
 * the matrix contained non-finite values.
 */
export function choleskyWithJitter(k: Float64Array, n: number, initialJitter = 1e-9): CholeskyResult {
  const factor = new Float64Array(k);
  if (choleskyInPlace(factor, n)) return { factor, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += k[i * n + i] ?? 0;
  meanDiag = n > 0 ? Math.max(meanDiag / n, 1e-12) : 1;
  for (let jitter = initialJitter * meanDiag; jitter < meanDiag; jitter *= 10) {
    factor.set(k);
    for (let i = 0; i < n; i++) factor[i * n + i] = (factor[i * n + i] ?? 0) + jitter;
    if (choleskyInPlace(factor, n)) return { factor, jitter };
  }
  throw new Error("choleskyWithJitter: matrix is not positive definite even with large jitter");
}

/** Solves L x = b (forward substitution); L lower-triangular n×n. Writes into out (may alias b). */
export function solveLower(
  l: Float64Array,
  n: number,
  b: Float64Array,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[row + k] ?? 0) * (out[k] ?? 0);
    out[i] = s / (l[row + i] ?? 1);
  }
  return out;
}

/** Solves Lᵀ x = b (back substitution). Writes into out (may alias b). */
export function solveLowerTransposed(
  l: Float64Array,
  n: number,
  b: Float64Array,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] ?? 0) * (out[k] ?? 0);
    out[i] = s / (l[i * n + i] ?? 1);
  }
  return out;
}

/** Solves (L Lᵀ) x = b. */
export function solveCholesky(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = solveLower(l, n, b);
  return solveLowerTransposed(l, n, z, z);
}

/** K⁻¹ from its Cholesky factor (dense, symmetric), computed as L⁻ᵀ L⁻¹. O(n³). */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // First invert L in place into li (lower-triangular).
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / (l[j * n + j] ?? 1);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      const rowI = i * n;
      for (let k = j; k < i; k++) s -= (l[rowI + k] ?? 0) * (li[k * n + j] ?? 0);
      li[rowI + j] = s / (l[rowI + i] ?? 1);
    }
  }
  // K⁻¹ = Liᵀ Li: (K⁻¹)_{ij} = Σ_{k ≥ max(i,j)} Li_{ki} Li_{kj}.
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) {
        const row = k * n;
        s += (li[row + i] ?? 0) * (li[row + j] ?? 0);
      }
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/**
 * Rank-one extension of a Cholesky factor: given L for K (n×n), the cross-covariances c = k(X, x_new) and
 * the new point's prior variance (incl. noise), returns the factor for the (n+1)×(n+1) matrix in O(n²)
 * instead of refactoring in O(n³). Used to add Kriging-believer fantasies for pending trials.
 */
export function extendCholesky(
  l: Float64Array,
  n: number,
  cross: Float64Array,
  selfVariance: number,
): Float64Array {
  const m = n + 1;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) out[i * m + j] = l[i * n + j] ?? 0;
  }
  const row = solveLower(l, n, cross);
  let sq = 0;
  for (let j = 0; j < n; j++) {
    out[n * m + j] = row[j] ?? 0;
    sq += (row[j] ?? 0) * (row[j] ?? 0);
  }
  // Floor the Schur complement so a fantasy on top of an existing point stays factorable.
  const schur = Math.max(selfVariance - sq, 1e-10 * Math.max(selfVariance, 1e-12));
  out[n * m + n] = Math.sqrt(schur);
  return out;
}
