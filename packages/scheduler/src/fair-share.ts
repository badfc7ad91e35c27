/** One claimant of a shared pool's slots: a project (weighted by its share) or a study within one. */
export interface ShareClaim {
  key: string;
  weight: number;
  /** The most slots it can use now (its parallelism, its per-project limit). */
  demand: number;
  /** Trials it started recently, for whom the leftover whole slots go to (the least served per weight). */
  served: number;
}

/**
 * Weighted max-min fair shares of `capacity` whole slots (the water-filling of fair queueing: Demers,
 * Keshav & Shenker, "Analysis and simulation of a fair queueing algorithm", SIGCOMM 1989). Each claimant
 * gets capacity × weight / Σweight, never more than it demands; what a satisfied claimant leaves is
 * shared again among the others by weight. Fractions are floored and the leftover whole slots go, one
 * each, to the claimants least served per weight so far, so over many rounds every claimant's share
 * converges to its weight even when slots do not divide evenly (deficit round robin, Shreedhar &
 * Varghese, SIGCOMM 1995). Pure: the scheduler passes counts read from Postgres.
 */
export function fairShares(capacity: number, claims: readonly ShareClaim[]): Map<string, number> {
  const shares = new Map<string, number>(claims.map((claim) => [claim.key, 0]));
  let open = claims.filter((claim) => claim.demand > 0 && claim.weight > 0);
  let left = Math.max(0, capacity);
  const exact = new Map<string, number>();
  while (open.length > 0 && left > 1e-9) {
    const totalWeight = open.reduce((sum, claim) => sum + claim.weight, 0);
    const satisfied = open.filter(
      (claim) => (exact.get(claim.key) ?? 0) + (left * claim.weight) / totalWeight >= claim.demand,
    );
    if (satisfied.length === 0) {
      for (const claim of open)
        exact.set(claim.key, (exact.get(claim.key) ?? 0) + (left * claim.weight) / totalWeight);
      left = 0;
      break;
    }
    for (const claim of satisfied) {
      left -= claim.demand - (exact.get(claim.key) ?? 0);
      exact.set(claim.key, claim.demand);
    }
    open = open.filter((claim) => !satisfied.includes(claim));
  }
  let spare = Math.max(0, capacity);
  for (const claim of claims) {
    const whole = Math.min(claim.demand, Math.floor((exact.get(claim.key) ?? 0) + 1e-9));
    shares.set(claim.key, whole);
    spare -= whole;
  }
  const byNeed = claims
    .filter((claim) => claim.weight > 0 && (shares.get(claim.key) ?? 0) < claim.demand)
    .sort((a, b) => a.served / a.weight - b.served / b.weight || a.key.localeCompare(b.key));
  for (const claim of byNeed) {
    if (spare <= 0) break;
    shares.set(claim.key, (shares.get(claim.key) ?? 0) + 1);
    spare--;
  }
  return shares;
}
