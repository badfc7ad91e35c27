/**
 * Normal-distribution special functions accurate to near machine precision, including the far tails
 * that log expected improvement needs (Ament et al. 2023, "Unexpected Improvements to Expected
 * Improvement for Bayesian Optimization", NeurIPS; eq. (9) and Appendix A for log h).
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;
const LOG_2PI_HALF = 0.5 * Math.log(2 * Math.PI);
const LOG_PI_OVER_2_HALF = 0.5 * Math.log(Math.PI / 2);
/** Below -1/√ε the asymptotic expansion of log h is exact in double precision. */
const FAR_TAIL_Z = -1 / Math.sqrt(Number.EPSILON);

/** erf by its Maclaurin series; accurate (≈1e-15 absolute) for |x| ≤ 2, where it is used. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/**
 * Scaled complementary error function erfcx(x) = exp(x²)·erfc(x), without overflow or cancellation.
 * x ≥ 2: Laplace continued fraction erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 * evaluated backwards with a depth chosen so the truncation error is below 1e-16 (checked against mpmath).
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) {
    if (x < -26.6) return Number.POSITIVE_INFINITY;
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x < 2) return Math.exp(x * x) * (1 - erfSeries(x));
  if (x > 1e8) return 1 / (SQRT_PI * x);
  const depth = x < 3 ? 60 : x < 4.5 ? 40 : 24;
  let f = x;
  for (let k = depth; k >= 1; k--) f = x + k / 2 / f;
  return 1 / (SQRT_PI * f);
}

/** Complementary error function, accurate in relative terms for large positive x. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return Math.exp(-x * x) * erfcx(x);
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_2PI_HALF);
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** log Φ(z), stable for very negative z. */
export function logNormalCdf(z: number): number {
  if (z > -1) return Math.log1p(-0.5 * erfc(z / SQRT2));
  return -0.5 * z * z + Math.log(0.5 * erfcx(-z / SQRT2));
}

/** log(1 − e^a) for a < 0 (Mächler 2012: switch at −ln 2). */
function log1mexp(a: number): number {
  return a > -Math.LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

/**
 * log h(z) with h(z) = φ(z) + zΦ(z), the expected improvement of a unit-variance Gaussian
 * (EI = σ·h((best − μ)/σ) for minimization). Ament et al. 2023, eq. (9):
 *   z > −1:            log(φ(z) + zΦ(z))
 *   −1/√ε < z ≤ −1:    −z²/2 − log(2π)/2 + log1mexp(log(erfcx(−z/√2)·|z|) + log(π/2)/2)
 *   z ≤ −1/√ε:         −z²/2 − log(2π)/2 − 2 log|z|
 */
export function logH(z: number): number {
  if (z > -1) return Math.log(normalPdf(z) + z * normalCdf(z));
  if (z > FAR_TAIL_Z) {
    const a = Math.log(erfcx(-z / SQRT2) * -z) + LOG_PI_OVER_2_HALF;
    return -0.5 * z * z - LOG_2PI_HALF + log1mexp(a);
  }
  return -0.5 * z * z - LOG_2PI_HALF - 2 * Math.log(-z);
}

/** d/dz log h(z) = Φ(z)/h(z) (because h'(z) = Φ(z)), computed in log space. */
export function logHDerivative(z: number, logHz: number = logH(z)): number {
  return Math.exp(logNormalCdf(z) - logHz);
}
