/**
 * A TypeScript reference of `contracts/libraries/EmissionSchedule.sol` and of the controller's split,
 * in bigint arithmetic. Tests compare the contracts against it; the demo and simulation use it to
 * reconcile totals.
 */
/** Basis points in a whole (the controller's `BPS`). */
export const BPS = 10_000n;

/** Bucket shares in basis points, in the controller's order (code, community, compute, capital, protection). */
export type Shares = [number, number, number, number, number];

export interface ScheduleParams {
  start: bigint;
  interval: bigint;
  initialAmount: bigint;
  decrease: bigint;
}

/** Number of intervals with a positive amount: ceil(initialAmount / decrease). */
export function intervalsWithEmission(p: ScheduleParams): bigint {
  return (p.initialAmount + p.decrease - 1n) / p.decrease;
}

function wholeIntervals(p: ScheduleParams, n: bigint): bigint {
  return n * p.initialAmount - (p.decrease * (n * (n - 1n))) / 2n;
}

export function total(p: ScheduleParams): bigint {
  return wholeIntervals(p, intervalsWithEmission(p));
}

export function scheduleEnd(p: ScheduleParams): bigint {
  return p.start + intervalsWithEmission(p) * p.interval;
}

/** Closed form, the same formula as the library. */
export function cumulative(p: ScheduleParams, t: bigint): bigint {
  if (t <= p.start) return 0n;
  const elapsed = t - p.start;
  const n = elapsed / p.interval;
  const last = intervalsWithEmission(p);
  if (n >= last) return wholeIntervals(p, last);
  return wholeIntervals(p, n) + ((p.initialAmount - n * p.decrease) * (elapsed % p.interval)) / p.interval;
}

/**
 * An independent reference: walks interval by interval (O(n), for tests only) summing each
 * interval's amount, plus the floored partial of the interval `t` falls in.
 */
export function cumulativeByIntervals(p: ScheduleParams, t: bigint): bigint {
  if (t <= p.start) return 0n;
  let sum = 0n;
  let k = 0n;
  let cursor = p.start;
  for (;;) {
    const amount = p.initialAmount - k * p.decrease;
    if (amount <= 0n) return sum;
    if (t < cursor + p.interval) return sum + (amount * (t - cursor)) / p.interval;
    sum += amount;
    cursor += p.interval;
    k += 1n;
  }
}

export function emitted(p: ScheduleParams, from: bigint, to: bigint): bigint {
  if (to < from) throw new RangeError(`emitted: to (${to}) < from (${from})`);
  return cumulative(p, to) - cumulative(p, from);
}

/** The controller's split: floor per bucket for the first four, the remainder to protection. */
export function split(minted: bigint, shares: Shares): [bigint, bigint, bigint, bigint, bigint] {
  const out: bigint[] = [];
  let paid = 0n;
  for (let i = 0; i < 4; i++) {
    const a = (minted * BigInt(shares[i])) / BPS;
    out.push(a);
    paid += a;
  }
  out.push(minted - paid);
  return out as [bigint, bigint, bigint, bigint, bigint];
}
