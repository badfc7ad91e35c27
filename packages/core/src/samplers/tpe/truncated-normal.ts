import type { Rng } from "../../rng/create-rng.js";

/**
 * Normal distributions truncated to [low, high]: the kernels of TPE's Parzen estimators live on the
 * bounded (unit) interval, so their mass must be renormalized there (Bergstra et al. 2011, §4).
 */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc with relative error < 1.2e-7 everywhere (Numerical Recipes, 2nd ed., §6.2, Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** log of the mass of N(mu, sigma) inside [low, high]. */
export function logTruncatedMass(mu: number, sigma: number, low: number, high: number): number {
  const mass = normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma);
  return Math.log(Math.max(mass, 1e-300));
}

/** log density of N(mu, sigma) at x, NOT renormalized (add -logTruncatedMass for the truncated one). */
export function logNormalPdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
}

/** Draws from N(mu, sigma) truncated to [low, high] by rejection, falling back to uniform. */
export function sampleTruncatedNormal(
  rng: Rng,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  for (let attempt = 0; attempt < 64; attempt++) {
    const x = mu + sigma * rng.normal();
    if (x >= low && x <= high) return x;
  }
  // Only reached when almost no mass lies inside (a centre far outside); uniform is then harmless.
  return low + rng.next() * (high - low);
}
