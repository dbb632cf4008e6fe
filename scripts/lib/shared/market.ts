/**
 * The subnet market's pure logic, shared by the Hardhat tasks (over ethers) and the web app (over viem):
 * bucket and lifecycle names, a launch's settings checked against the factory's bounds, gauge ballots
 * (from `id:bps` text or a form), the gauge's period timing, fee references, the fee split and net
 * issuance. Dependency-free, like ./error-messages: both sides say the same thing for the same input.
 */
import { formatAmount, formatDuration, type Units } from "./error-messages";
import type { SubnetParamsOf } from "./subnet-params";

/** A market input in plain words (the task shows its message as is, the app next to the form). */
export class MarketError extends Error {}

const BPS = 10_000;

/*//////////////////////////////////////////////////////////////
                             NAMES
//////////////////////////////////////////////////////////////*/

/** The contribution buckets a subnet can launch in, by the factory's `bucketIndex`. */
export const MARKET_BUCKETS = ["code", "community", "compute"] as const;
export type MarketBucket = (typeof MARKET_BUCKETS)[number];

/** The bucket index of `code`, `community`, `compute` (or `0`, `1`, `2`). */
export function bucketIndex(text: string): number {
  const t = String(text).trim().toLowerCase();
  const byName = MARKET_BUCKETS.indexOf(t as MarketBucket);
  if (byName >= 0) return byName;
  if (/^[0-2]$/.test(t)) return Number(t);
  throw new MarketError(`"${text}" is not a contribution bucket: use code, community or compute`);
}

/** `ISubnet.Lifecycle`, by value. */
export const LIFECYCLES = ["live", "retiring", "retired"] as const;
export type LifecycleName = (typeof LIFECYCLES)[number];

export function lifecycleName(value: number | bigint): LifecycleName {
  return LIFECYCLES[Number(value)] ?? "retired";
}

/** What a lifecycle means for the subnet's users. */
export const LIFECYCLE_TEXT: Record<LifecycleName, string> = {
  live: "rounds follow each other; it earns its share of the bucket",
  retiring: "left its bucket: the round in flight finishes, no new stake, registration or fee",
  retired: "wound down: only exits and claims (stakes, bonds and rewards stay withdrawable)",
};

/** A subnet's name as people read it: its own, else the deployment's name for it, else its address. */
export function subnetDisplayName(name: string, address: string, known: Record<string, string> = {}): string {
  if (name.trim() !== "") return name;
  return known[address.toLowerCase()] ?? address;
}

/*//////////////////////////////////////////////////////////////
                             LAUNCH
//////////////////////////////////////////////////////////////*/

/** `ISubnet.Params`: what a launching owner chooses (durations in seconds, amounts in TTD base units). */
export type LaunchSettings = SubnetParamsOf<number, bigint>;

/** The fields of {@link LaunchSettings}, in `ISubnet.Params` order. */
export const LAUNCH_SETTING_KEYS = [
  "commitDuration",
  "revealDuration",
  "immunityPeriod",
  "unbondingDelay",
  "kappa",
  "contributorShare",
  "validatorShare",
  "agreementThreshold",
  "maxStrikes",
  "activityCutoff",
  "relativeThreshold",
  "edgeShare",
  "edgeFloor",
  "bond",
  "minValidatorStake",
] as const satisfies readonly (keyof LaunchSettings)[];

const AMOUNT_KEYS = new Set<keyof LaunchSettings>(["bond", "minValidatorStake"]);

/** `ISubnetFactory.LaunchBounds`. */
export interface LaunchBounds {
  maxOwnerShareBps: number;
  minBond: bigint;
  maxBond: bigint;
  minValidatorStake: bigint;
}

/** `ISubnetFactory.LaunchPricing`. */
export interface LaunchPricing {
  minCost: bigint;
  maxCost: bigint;
  decayPeriod: number;
}

/** Settings from a struct read from the chain (ethers' Result or viem's object: fields by name). */
export function launchSettingsOf(
  raw: Readonly<Record<(typeof LAUNCH_SETTING_KEYS)[number], number | bigint>>,
): LaunchSettings {
  const out: Record<string, number | bigint> = {};
  for (const key of LAUNCH_SETTING_KEYS) {
    const v = raw[key];
    if (v === undefined) throw new MarketError(`subnet settings without ${key}`);
    out[key] = AMOUNT_KEYS.has(key) ? BigInt(v) : Number(v);
  }
  return out as unknown as LaunchSettings;
}

/** The owner's share of a round's emission: what contributors and validators leave of 10,000. */
export function ownerShareBps(s: LaunchSettings): number {
  return BPS - s.contributorShare - s.validatorShare;
}

/** `s` with the owner taking `bps`, contributors what validators and the owner leave. */
export function withOwnerShare(s: LaunchSettings, bps: number): LaunchSettings {
  return { ...s, contributorShare: BPS - s.validatorShare - bps };
}

/** A decimal amount (`20`, `1,000.5`) in base units of `decimals`, or a MarketError naming `what`. */
export function parseTokenAmount(text: string, decimals: number, what: string): bigint {
  const t = String(text).trim().replace(/[,_]/g, "");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t))
    throw new MarketError(`${what}: "${text}" is not an amount (e.g. 20)`);
  const [whole = "0", frac = ""] = t.split(".");
  if (frac.length > decimals) throw new MarketError(`${what}: at most ${decimals} decimals`);
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/**
 * `base` with `overrides` (a JSON object): any {@link LaunchSettings} field (bond and minValidatorStake
 * in TTD, e.g. `"20"`; the rest whole numbers), and `ownerShare` (basis points, taken from the
 * contributors' share). Unknown fields are refused with the list of known ones.
 */
export function applyOverrides(
  base: LaunchSettings,
  overrides: Record<string, unknown>,
  decimals = 18,
): LaunchSettings {
  const out: LaunchSettings = { ...base };
  const known = new Set<string>([...LAUNCH_SETTING_KEYS, "ownerShare"]);
  for (const [key, value] of Object.entries(overrides)) {
    if (!known.has(key)) {
      throw new MarketError(`unknown setting "${key}": use ${[...known].join(", ")}`);
    }
    if (key === "ownerShare") continue;
    const k = key as keyof LaunchSettings;
    if (AMOUNT_KEYS.has(k)) {
      (out as unknown as Record<string, bigint>)[k] = parseTokenAmount(String(value), decimals, key);
    } else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0)
        throw new MarketError(`${key}: "${String(value)}" is not a whole number`);
      (out as unknown as Record<string, number>)[k] = n;
    }
  }
  if ("ownerShare" in overrides) {
    const bps = parseBps(String(overrides.ownerShare));
    return withOwnerShare(out, bps);
  }
  return out;
}

/** UTF-8 length of a string (the contract's name limit counts bytes). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Most bytes in a subnet name (SubnetFactory). */
export const MAX_NAME_BYTES = 32;
/** Most metrics a subnet scores. */
export const MAX_METRICS = 8;

/**
 * What is wrong with a launch, in plain words (empty when the factory's own checks would pass): the
 * name, the owner share against its cap, the bond and the validator stake floor against the bounds, the
 * metric weights. The subnet's own bounds on durations and thresholds are the contract's to check.
 */
export function launchProblems(
  name: string,
  s: LaunchSettings,
  weights: readonly number[],
  bounds: LaunchBounds,
  units: Units = { symbol: "TTD", decimals: 18 },
): string[] {
  const problems: string[] = [];
  const amount = (v: bigint) => formatAmount(v, units);
  const bytes = utf8Length(name);
  if (bytes === 0 || bytes > MAX_NAME_BYTES)
    problems.push(`the name must be 1 to ${MAX_NAME_BYTES} bytes (it is ${bytes})`);
  const owner = ownerShareBps(s);
  if (owner < 0) {
    problems.push(
      `contributor and validator shares sum to ${s.contributorShare + s.validatorShare} basis points, more than 10,000`,
    );
  } else if (owner > bounds.maxOwnerShareBps) {
    problems.push(
      `the owner share is ${formatBpsText(owner)}: at most ${formatBpsText(bounds.maxOwnerShareBps)} ` +
        `(contributors and validators must get the rest)`,
    );
  }
  if (s.bond < bounds.minBond || s.bond > bounds.maxBond)
    problems.push(
      `the contributor bond is ${amount(s.bond)}: it must be ${amount(bounds.minBond)} to ${amount(bounds.maxBond)}`,
    );
  if (s.minValidatorStake < bounds.minValidatorStake)
    problems.push(
      `the validator stake floor is ${amount(s.minValidatorStake)}: at least ${amount(bounds.minValidatorStake)}`,
    );
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || weights.length > MAX_METRICS || sum !== BPS || weights.some((w) => w <= 0))
    problems.push(
      `metric weights must be 1 to ${MAX_METRICS} positive values summing to 10,000 (got ${weights.length} summing to ${sum})`,
    );
  return problems;
}

/** Metric weights from `3000,2500,2500,2000`. */
export function parseWeights(text: string): number[] {
  const parts = String(text)
    .split(/[,\s]+/)
    .filter((p) => p !== "");
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0)
      throw new MarketError(`weights: "${p}" is not a whole number of basis points`);
    return n;
  });
}

/**
 * The cost right after a launch at `cost`: twice it, within the pricing's maximum (Bittensor's lock:
 * then it decays linearly back to `cost` over `decayPeriod`, and to the minimum over two).
 */
export function costAfterLaunch(cost: bigint, pricing: LaunchPricing): bigint {
  const doubled = 2n * cost;
  const floored = doubled < pricing.minCost ? pricing.minCost : doubled;
  return floored > pricing.maxCost ? pricing.maxCost : floored;
}

/** One sentence on the launch cost now and how it moves. */
export function launchCostText(cost: bigint, pricing: LaunchPricing, units: Units): string {
  return (
    `${formatAmount(cost, units)} (burned; each launch doubles it, to ${formatAmount(costAfterLaunch(cost, pricing), units)} ` +
    `right after the next one, and it decays back over ${formatDuration(BigInt(pricing.decayPeriod))}; ` +
    `never under ${formatAmount(pricing.minCost, units)} or over ${formatAmount(pricing.maxCost, units)})`
  );
}

/*//////////////////////////////////////////////////////////////
                             GAUGE
//////////////////////////////////////////////////////////////*/

/** A live subnet of a bucket as a ballot names it. */
export interface GaugeListing {
  id: number;
  subnet: string;
  /** Its name (empty for the genesis subnets: see {@link subnetDisplayName}). */
  name: string;
}

/**
 * One live subnet of a bucket as the tasks and the app show it: its gauge listing, with what the bucket
 * and the subnet say of it. `A` is the address type (viem's `0x…` strings in the app).
 */
export interface SubnetListing<A extends string = string> extends GaugeListing {
  subnet: A;
  /** Its name, or the deployment's for a genesis subnet (`code subnet`), or its address. */
  label: string;
  owner: A;
  /** Governance's floor, basis points of the bucket. */
  floor: number;
  /** Its share of the bucket now (`weights()`), basis points. */
  shareBps: number;
  /** Gauge votes in force this period and from the next on. */
  votes: { current: bigint; next: bigint };
  fees: { paid: bigint; burned: bigint };
  lifecycle: LifecycleName;
}

/** What the subnet itself says for its {@link SubnetListing}: `name()`, `owner()`, `fees()`, `lifecycle()`. */
export interface SubnetReads<A extends string> {
  name: string;
  owner: A;
  fees: readonly [bigint, bigint];
  lifecycle: number | bigint;
}

/**
 * A {@link SubnetListing} from its reads, over ethers or viem: the bucket's `listings()` entry, its
 * `weights()` (subnets and their shares now) and `votesOf(id)`, and the subnet's own reads. `known` names
 * subnets by lowercase address (the deployment's genesis subnets).
 */
export function subnetListing<A extends string>(
  listing: { id: number | bigint; subnet: A; floor: number | bigint },
  weights: readonly [readonly string[], readonly (number | bigint)[]],
  votes: readonly [bigint, bigint],
  reads: SubnetReads<A>,
  known: Record<string, string>,
): SubnetListing<A> {
  const [addresses, bps] = weights;
  const at = addresses.findIndex((a) => a.toLowerCase() === listing.subnet.toLowerCase());
  const [current, next] = votes;
  const [paid, burned] = reads.fees;
  return {
    id: Number(listing.id),
    subnet: listing.subnet,
    name: reads.name,
    label: subnetDisplayName(reads.name, listing.subnet, known),
    owner: reads.owner,
    floor: Number(listing.floor),
    shareBps: at >= 0 ? Number(bps[at]) : 0,
    votes: { current, next },
    fees: { paid, burned },
    lifecycle: lifecycleName(reads.lifecycle),
  };
}

/** A gauge ballot: `bps[i]` of the voter's power to subnet `ids[i]`. */
export interface Ballot {
  ids: number[];
  bps: number[];
}

/** Basis points from `2500`, `25%` or `12.5%`. */
export function parseBps(text: string): number {
  const t = String(text).trim();
  const percent = /^(\d+(?:\.\d{1,2})?)\s*%$/.exec(t);
  const n = percent ? Math.round(Number(percent[1]) * 100) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > BPS)
    throw new MarketError(
      `"${text}" is not a share: use basis points (2500) or a percentage (25%), at most 10,000`,
    );
  return n;
}

/** `25%`, `12.5%`, `0.01%`. */
export function formatBpsText(bps: number): string {
  return `${Number((bps / 100).toFixed(2))}%`;
}

/** Refuses a ballot the bucket would refuse (`InvalidVote`), saying why. */
export function checkBallot(ballot: Ballot, listings: readonly GaugeListing[], maxVotes: number): void {
  const { ids, bps } = ballot;
  if (ids.length !== bps.length) throw new MarketError("a ballot needs one share per subnet");
  if (ids.length > maxVotes)
    throw new MarketError(`a ballot names at most ${maxVotes} subnets (this one names ${ids.length})`);
  const live = new Set(listings.map((l) => l.id));
  const seen = new Set<number>();
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const share = bps[i] as number;
    if (!live.has(id)) throw new MarketError(`there is no live subnet with gauge id ${id} in this bucket`);
    if (seen.has(id)) throw new MarketError(`gauge id ${id} is named twice`);
    if (!Number.isInteger(share) || share <= 0)
      throw new MarketError(`each subnet named needs a share above zero (gauge id ${id} has ${share})`);
    seen.add(id);
    sum += share;
  }
  if (sum > BPS) throw new MarketError(`the shares sum to ${formatBpsText(sum)}: at most 100% of your power`);
}

/** The live subnet `key` names: a gauge id (`4`, `#4`), an address, or a name (case-insensitive). */
export function findListing(key: string, listings: readonly GaugeListing[]): GaugeListing {
  const k = key.trim();
  const id = /^#?(\d+)$/.exec(k);
  if (id) {
    const found = listings.find((l) => l.id === Number(id[1]));
    if (!found) throw new MarketError(`there is no live subnet with gauge id ${id[1]} in this bucket`);
    return found;
  }
  if (/^0x[0-9a-fA-F]{40}$/.test(k)) {
    const found = listings.find((l) => l.subnet.toLowerCase() === k.toLowerCase());
    if (!found) throw new MarketError(`${k} is not a live subnet of this bucket`);
    return found;
  }
  const named = listings.filter((l) => l.name.toLowerCase() === k.toLowerCase());
  if (named.length === 0)
    throw new MarketError(`no live subnet of this bucket is named "${k}" (use its gauge id or address)`);
  if (named.length > 1)
    throw new MarketError(
      `${named.length} live subnets are named "${k}": use a gauge id (${named.map((l) => l.id).join(", ")})`,
    );
  return named[0] as GaugeListing;
}

/**
 * A ballot from `id:bps` / `name:bps` / `address:bps` pairs (`4:5000,alpha:25%`; commas or spaces
 * between pairs), checked against the live subnets. `none` (or nothing) is the empty ballot, which
 * withdraws the votes.
 */
export function parseBallot(text: string, listings: readonly GaugeListing[], maxVotes: number): Ballot {
  const t = String(text).trim();
  if (t === "" || t.toLowerCase() === "none") return { ids: [], bps: [] };
  const ballot: Ballot = { ids: [], bps: [] };
  for (const pair of t.split(/[,\s]+/).filter((p) => p !== "")) {
    const at = pair.lastIndexOf(":");
    if (at <= 0) throw new MarketError(`"${pair}" is not subnet:share (e.g. 4:5000 or alpha:25%)`);
    ballot.ids.push(findListing(pair.slice(0, at), listings).id);
    ballot.bps.push(parseBps(pair.slice(at + 1)));
  }
  checkBallot(ballot, listings, maxVotes);
  return ballot;
}

/** A ballot from a form's shares by gauge id (zeros dropped), checked against the live subnets. */
export function ballotFromShares(
  shares: Readonly<Record<number, number>>,
  listings: readonly GaugeListing[],
  maxVotes: number,
): Ballot {
  const ballot: Ballot = { ids: [], bps: [] };
  for (const l of listings) {
    const share = shares[l.id] ?? 0;
    if (share === 0) continue;
    ballot.ids.push(l.id);
    ballot.bps.push(share);
  }
  checkBallot(ballot, listings, maxVotes);
  return ballot;
}

/** `alpha (#4) 50%, code subnet (#1) 25%`; `no votes` for the empty ballot. */
export function ballotText(
  ballot: Ballot,
  listings: readonly GaugeListing[],
  known: Record<string, string> = {},
): string {
  if (ballot.ids.length === 0) return "no votes";
  return ballot.ids
    .map((id, i) => {
      const l = listings.find((x) => x.id === id);
      const label = l ? `${subnetDisplayName(l.name, l.subnet, known)} (#${id})` : `#${id} (no longer live)`;
      return `${label} ${formatBpsText(ballot.bps[i] ?? 0)}`;
    })
    .join(", ");
}

/** The gauge's voting period (ContributionBucket.PERIOD). */
export const GAUGE_PERIOD_SECONDS = 7n * 86_400n;

/** Where the gauge's clock is: the current period, when it started, when the next starts. */
export interface PeriodTiming {
  period: bigint;
  start: bigint;
  /** When the next period starts: a ballot cast now is in force from then. */
  next: bigint;
  /** The moment voting power is read for the current period (`start - 1`). */
  snapshot: bigint;
}

/** The gauge's period at `now` for a bucket deployed at `genesis`. */
export function periodTiming(genesis: bigint, now: bigint, length = GAUGE_PERIOD_SECONDS): PeriodTiming {
  const period = now <= genesis ? 0n : (now - genesis) / length;
  const start = genesis + period * length;
  return { period, start, next: start + length, snapshot: start - 1n };
}

/** `applies from period 3, starting <date>`: when a ballot cast now is in force. */
export function voteAppliesText(t: PeriodTiming, date: (timestamp: bigint) => string): string {
  return `applies from period ${t.period + 1n}, starting ${date(t.next)}`;
}

/** How voting power is read, for people. */
export function powerRuleText(lookback: bigint | number): string {
  return (
    `power in a period is the lesser of your delegated TTD votes just before it started and ` +
    `${formatDuration(BigInt(lookback))} earlier: votes bought or borrowed for the snapshot weigh nothing`
  );
}

/** What the gauge votes split: the bucket less the floors, in words. */
export function gaugePoolText(floorSumBps: number): string {
  return floorSumBps >= BPS
    ? "floors hold the whole bucket: gauge votes place nothing until governance lowers them"
    : `gauge votes split ${formatBpsText(BPS - floorSumBps)} of the bucket` +
        (floorSumBps > 0 ? ` (floors hold ${formatBpsText(floorSumBps)})` : "");
}

/** Why a holder has no power this period, or undefined when it has some. */
export function noPowerReason(power: bigint, votesNow: bigint, t: PeriodTiming): string | undefined {
  if (power > 0n) return undefined;
  if (t.period === 0n) return "nobody has power in period 0 (its snapshot is before the bucket existed)";
  if (votesNow === 0n) return "you have no delegated votes (delegate to yourself first: gov:delegate)";
  return "your votes were delegated after this period's snapshot: they count from the next period (then poke)";
}

/*//////////////////////////////////////////////////////////////
                              FEES
//////////////////////////////////////////////////////////////*/

const ZERO_REF = `0x${"0".repeat(64)}`;

/**
 * A fee's `bytes32` reference: `0x` + 64 hex digits as is, else text of at most 32 UTF-8 bytes stored
 * right-padded (readable back with {@link refText}); empty is zero.
 */
export function feeRef(text: string): `0x${string}` {
  const t = String(text ?? "");
  if (t === "") return ZERO_REF as `0x${string}`;
  if (/^0x[0-9a-fA-F]{64}$/.test(t)) return t.toLowerCase() as `0x${string}`;
  const bytes = new TextEncoder().encode(t);
  if (bytes.length > 32)
    throw new MarketError(
      `the reference "${t}" is ${bytes.length} bytes: at most 32 (or a 0x… 32-byte hash)`,
    );
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `0x${hex.padEnd(64, "0")}`;
}

/** A `bytes32` reference as text when it is padded printable UTF-8, else its hex. */
export function refText(ref: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(ref) || /^0x0{64}$/.test(ref)) return ref === ZERO_REF ? "" : ref;
  const hex = ref.slice(2).replace(/(00)+$/, "");
  const bytes = new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return /^[\x20-\x7e\u00a0-\uffff]+$/.test(text) ? text : ref;
  } catch {
    return ref;
  }
}

/** What a fee of `amount` does: `burned` (the bucket's burn share) and the rest for the next round. */
export function feeSplit(amount: bigint, burnBps: bigint | number): { burned: bigint; toRound: bigint } {
  const burned = (amount * BigInt(burnBps)) / BigInt(BPS);
  return { burned, toRound: amount - burned };
}

/*//////////////////////////////////////////////////////////////
                          NET ISSUANCE
//////////////////////////////////////////////////////////////*/

/** Minted, burned and net issuance of TTD. */
export interface NetIssuance {
  /** Everything the emission controller minted (its `totalEmitted()`; TTD has no other minter). */
  minted: bigint;
  /** Everything burned since: launch costs, the burn share of fees, registration fees, burns by holders. */
  burned: bigint;
  /** `minted - burned`: the supply the market leaves (it falls when burns outrun emission). */
  net: bigint;
}

/**
 * Net issuance from the controller's `totalEmitted()` and the token's `totalSupply()`: TTD is minted by
 * the emission controller alone and never otherwise created, so `burned = minted - supply`.
 */
export function netIssuance(minted: bigint, supply: bigint): NetIssuance {
  const burned = minted - supply;
  return { minted, burned, net: minted - burned };
}
