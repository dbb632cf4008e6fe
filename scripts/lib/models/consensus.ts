/**
 * TypeScript reference of `contracts/libraries/Consensus.sol`, in bigint arithmetic: what the
 * validator client computes before it commits, and what tests hold the contracts to.
 */
export const MAX_METRICS = 8;
export const MAX_VALIDATORS = 64;
export const BPS = 10_000n;
export const MAX_METRIC_VALUE = 65_535;

/** Contribution score: sum(values[m] * weights[m]), exact. */
export function fold(values: readonly number[], weights: readonly number[]): bigint {
  if (values.length !== weights.length) {
    throw new RangeError(`fold: ${values.length} metric values for ${weights.length} weights`);
  }
  return values.reduce((acc, v, m) => acc + BigInt(v) * BigInt(weights[m]), 0n);
}

/**
 * The largest score s among `scores` such that the stake of validators scoring at least s is at
 * least kappa/10,000 of the total (0 when there is no stake). Written as the definition, O(n^2),
 * independently of the contract's sort-and-walk.
 */
export function consensus(scores: readonly bigint[], stakes: readonly bigint[], kappa: bigint): bigint {
  if (scores.length !== stakes.length) throw new RangeError("consensus: scores and stakes differ in length");
  const total = stakes.reduce((a, b) => a + b, 0n);
  if (total === 0n) return 0n;
  let best = 0n;
  for (const s of scores) {
    let support = 0n;
    scores.forEach((t, i) => {
      if (t >= s) support += stakes[i];
    });
    if (support * BPS >= kappa * total && s > best) best = s;
  }
  return best;
}

export function clip(score: bigint, consensusScore: bigint): bigint {
  return score < consensusScore ? score : consensusScore;
}
