/**
 * The Subnets page's forms, as pure functions over the market rules the tasks use too
 * (`scripts/lib/shared/market.ts`): the gauge ballot from the percentages typed per subnet and back,
 * and a launch's settings from the few fields the form shows (bond, owner share).
 */
import {
  MarketError,
  ballotFromShares,
  launchProblems,
  parseBps,
  parseTokenAmount,
  withOwnerShare,
  type Ballot,
  type GaugeListing,
  type LaunchBounds,
  type LaunchSettings,
} from "../../../scripts/lib/shared/market";

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The ballot from the form's percentages by gauge id (`"60"`, `"12.5"`, empty or `0` for none), checked
 * as the bucket checks it: at most `maxVotes` subnets, live ones, 100% of your power at most.
 */
export function ballotFromPercents(
  percents: Readonly<Record<number, string>>,
  listings: readonly GaugeListing[],
  maxVotes: number,
): Checked<Ballot> {
  try {
    const shares: Record<number, number> = {};
    for (const l of listings) {
      const text = (percents[l.id] ?? "").trim().replace(/%$/, "");
      if (text === "") continue;
      shares[l.id] = parseBps(`${text}%`);
    }
    return { ok: true, value: ballotFromShares(shares, listings, maxVotes) };
  } catch (e) {
    return { ok: false, error: e instanceof MarketError ? e.message : String(e) };
  }
}

/** The form's percentages for a ballot (to start from the current one): `{ 4: "60", 1: "40" }`. */
export function percentsFromBallot(ballot: Ballot): Record<number, string> {
  const out: Record<number, string> = {};
  ballot.ids.forEach((id, i) => {
    out[id] = String(Number(((ballot.bps[i] ?? 0) / 100).toFixed(2)));
  });
  return out;
}

/** The sum of the form's percentages, in basis points (what is left of your power is not voted). */
export function percentTotalBps(percents: Readonly<Record<number, string>>): number {
  let sum = 0;
  for (const text of Object.values(percents)) {
    const t = text.trim().replace(/%$/, "");
    if (t === "") continue;
    try {
      sum += parseBps(`${t}%`);
    } catch {
      return NaN;
    }
  }
  return sum;
}

/** The launch form's fields. */
export interface LaunchFields {
  name: string;
  /** Owner share, percent (`5`, `2.5`). */
  ownerShare: string;
  /** Contributor bond, TTD. */
  bond: string;
}

/**
 * The settings a launch sends: the bucket's genesis subnet's (`base`) with the form's owner share and
 * bond, checked against the factory's bounds (the problems in plain words, as the task says them).
 */
export function launchFromFields(
  fields: LaunchFields,
  base: LaunchSettings,
  weights: readonly number[],
  bounds: LaunchBounds,
): Checked<LaunchSettings> {
  let settings: LaunchSettings;
  try {
    const owner = parseBps(`${fields.ownerShare.trim().replace(/%$/, "") || "0"}%`);
    settings = { ...withOwnerShare(base, owner), bond: parseTokenAmount(fields.bond, 18, "bond") };
  } catch (e) {
    return { ok: false, error: e instanceof MarketError ? e.message : String(e) };
  }
  const problems = launchProblems(fields.name, settings, weights, bounds);
  return problems.length > 0 ? { ok: false, error: problems.join("; ") } : { ok: true, value: settings };
}
