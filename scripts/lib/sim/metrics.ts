/** Inequality and summary statistics for the economy simulation (pure functions, no chain access). */
import { formatUnits } from "ethers";

const GINI_SCALE = 10n ** 15n;

/**
 * The Gini coefficient of non-negative amounts: 0 when everyone has the same, (n - 1) / n when one
 * holder has everything. Uses the sorted form `G = 2 Σ i·x_(i) / (n Σ x) - (n + 1) / n` (i from 1,
 * ascending). Bigint input (wei) is computed exactly and rounded to 15 decimals; number input in
 * floating point. Empty input or an all-zero population gives 0. Throws a RangeError on a negative
 * or non-finite value.
 */
export function gini(values: readonly bigint[] | readonly number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  if (typeof values[0] === "bigint") {
    const xs = [...(values as readonly bigint[])];
    for (const x of xs) if (x < 0n) throw new RangeError(`gini: negative value ${x}`);
    xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let sum = 0n;
    let weighted = 0n;
    xs.forEach((x, i) => {
      sum += x;
      weighted += BigInt(i + 1) * x;
    });
    if (sum === 0n) return 0;
    const N = BigInt(n);
    // G = (2 Σ i x_i - (n + 1) Σ x) / (n Σ x), rounded half up at 15 decimals.
    const num = 2n * weighted - (N + 1n) * sum;
    const den = N * sum;
    return Number((num * GINI_SCALE * 2n + den) / (2n * den)) / Number(GINI_SCALE);
  }
  const xs = [...(values as readonly number[])];
  for (const x of xs) {
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`gini: ${x} is not a finite non-negative number`);
  }
  xs.sort((a, b) => a - b);
  let sum = 0;
  let weighted = 0;
  xs.forEach((x, i) => {
    sum += x;
    weighted += (i + 1) * x;
  });
  if (sum === 0) return 0;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/** The sum of bigints. */
export function sumBig(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** The arithmetic mean (0 for an empty list). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Ranks (1-based, ties get the average of their positions). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length;) {
    let end = k;
    while (end + 1 < order.length && order[end + 1].v === order[k].v) end++;
    const r = (k + end) / 2 + 1;
    for (let m = k; m <= end; m++) out[order[m].i] = r;
    k = end + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation of two equally long series (Pearson on the ranks, ties averaged);
 * 0 when either series is constant or shorter than 2.
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`spearman: lengths ${a.length} and ${b.length} differ`);
  if (a.length < 2) return 0;
  const ra = ranks(a);
  const rb = ranks(b);
  const ma = mean(ra);
  const mb = mean(rb);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

/** A wei amount as an exact decimal TTD string (no float rounding), e.g. `14400.5`. */
export function ttd(wei: bigint): string {
  return formatUnits(wei, 18);
}

/** A wei amount as a float number of TTD, for charts only. */
export function ttdNumber(wei: bigint): number {
  return Number(formatUnits(wei, 18));
}

/** `x` with `digits` fraction digits and no trailing noise, as CSV and JSON write it. */
export function fixed(x: number, digits = 6): string {
  return x.toFixed(digits);
}
