/**
 * TypeScript reference of `contracts/libraries/Dividends.sol`, in bigint arithmetic (basis points):
 * who takes a strike, and what share of its stake's dividend a revealed sheet earns.
 */
import { BPS } from "./consensus";

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * True when agreement `a` takes a strike: under the absolute `floor`, or under `relativeThreshold`
 * (basis points) of the median agreement `m` (`a * 10^4 < relativeThreshold * m`).
 */
export function struck(a: bigint, m: bigint, floor: bigint, relativeThreshold: bigint): boolean {
  return a < floor || a * BPS < relativeThreshold * m;
}

/**
 * The share (basis points) of its stake's dividend that a sheet with agreement `a` earns, with median
 * `m` and lagged agreement `l` (all floors):
 *   10^4 when m <= l; else, with mEdge = m - l,
 *   phi    = min(10^4, mEdge * 10^4 / edgeFloor)
 *   target = mEdge * edgeShare / 10^4
 *   info   = target == 0 ? 10^4 : min(10^4, max(0, a - l) * 10^4 / target)
 *   factor = ((10^4 - phi) * 10^4 + phi * info) / 10^4
 * `edgeFloor` must not be zero.
 */
export function factor(a: bigint, m: bigint, l: bigint, edgeShare: bigint, edgeFloor: bigint): bigint {
  if (edgeFloor === 0n) throw new RangeError("factor: edgeFloor is zero");
  if (m <= l) return BPS;
  const medianEdge = m - l;
  const phi = min(BPS, (medianEdge * BPS) / edgeFloor);
  const target = (medianEdge * edgeShare) / BPS;
  const edge = a > l ? a - l : 0n;
  const info = target === 0n ? BPS : min(BPS, (edge * BPS) / target);
  return ((BPS - phi) * BPS + phi * info) / BPS;
}
