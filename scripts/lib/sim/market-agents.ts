/**
 * The subnet market's agents and their decisions, as pure functions of a seeded PRNG (market.ts
 * carries them out on the contracts): owners who launch subnets of differing usefulness when the
 * emission they can expect pays for the launch cost, users whose fees follow a demand curve, and
 * holders who vote the gauges by the fees they observed, or at random.
 */
import { MAX_METRIC_VALUE } from "../models/consensus";
import { SimRng } from "./agents";

const WEI = 10n ** 18n;

/** Every behavioural constant of the market's agents, in one place. */
export const MARKET = {
  /** Contributors each launched subnet registers (its owner runs its one validator). */
  contributorsPerSubnet: 2,
  /** A launched subnet's round lasts this many days (a commit phase, then `revealHours` to reveal). */
  roundDays: 7,
  revealHours: 6,
  /** Floor governance keeps for each bucket's genesis subnet (basis points of the bucket). */
  genesisFloorBps: 2000,
  /** Daily chance that a would-be owner looks at a bucket. */
  arrival: 0.6,
  /** Days of expected emission an owner weighs against what a launch costs. */
  horizonDays: 60,
  /** Spread of the latent usefulness (lognormal, median 1). */
  qualitySigma: 0.8,
  /** TTD a day a subnet of usefulness 1 earns in fees once adopted. */
  feePerQuality: 40,
  /** Days from launch to full adoption (linear). */
  adoptionDays: 21,
  /** Relative day-to-day noise of demand (lognormal). */
  feeNoise: 0.3,
  /** Users pay the demand accrued every this many days (staggered by subnet). */
  feeEvery: 2,
  /** Users (each serves the subnets whose launch index is its own modulo `users`). */
  users: 8,
  /** A user short of TTD buys this many times what it owes from the desk. */
  userTopUp: 5,
  /** Holders of the sim who vote the gauges, and the share of them who vote at random. */
  panel: 48,
  randomVoterShare: 0.3,
  /** Live subnets an informed voter looks at each period (a random sample; 32, a full bucket: all). */
  attention: 32,
  /** A random voter names 1 to this many random subnets, and draws a new ballot with this chance a period. */
  randomPicks: 8,
  randomRevote: 0.5,
  /** A ballot whose voter's power has moved by more than this share is poked. */
  pokeDrift: 0.1,
  /** Launched subnets' contributors claim and sell every this many days; owners twice as rarely. */
  sellEvery: 14,
  /**
   * Sellers to the desk sell every this many days (staggered): mercenary stakers all they hold, genesis
   * contributors a share, other stakers nothing; when the desk holds less than `deskReserveDays` of
   * the last week's sales, the genesis contributors sell all and the other stakers `shortSellShare`.
   */
  sellerEvery: 14,
  minerSellShare: 0.5,
  deskReserveDays: 14,
  shortSellShare: 0.25,
  /** A launched subnet's settings: bond and validator stake floor at the factory's lower bounds. */
  bond: 1n * WEI,
  minValidatorStake: 100n * WEI,
  /** Relative spread of a contributor's measured output. */
  outputNoise: 0.1,
} as const;

/** A launched subnet's usefulness: lognormal with median 1. */
export function drawQuality(rng: SimRng): number {
  return Math.exp(MARKET.qualitySigma * rng.gaussian());
}

/**
 * The share of the bucket's gauge part a new subnet of usefulness `quality` expects among the live
 * ones (`others`), capped like the gauge caps it.
 */
export function expectedShare(quality: number, others: readonly number[], capBps: number): number {
  const total = others.reduce((a, q) => a + q, quality);
  return Math.min(capBps / 10_000, quality / total);
}

/**
 * The chance that a would-be owner launches: none while the setup (launch cost, validator stake,
 * bonds) is above the emission it expects over its horizon, rising to 1 as the cost becomes small.
 */
export function launchProbability(setup: bigint, expectedValue: bigint): number {
  if (expectedValue <= 0n || setup >= expectedValue) return 0;
  return 1 - Number((setup * 1_000_000n) / expectedValue) / 1_000_000;
}

/** A day's demand for a subnet of usefulness `quality`, `age` days after its launch, in wei. */
export function dailyDemand(rng: SimRng, quality: number, age: number): bigint {
  const adoption = Math.min(1, (age + 1) / MARKET.adoptionDays);
  const noise = Math.exp(MARKET.feeNoise * rng.gaussian() - (MARKET.feeNoise * MARKET.feeNoise) / 2);
  const ttd = MARKET.feePerQuality * quality * adoption * noise;
  return BigInt(Math.round(ttd * 1e6)) * (WEI / 1_000_000n);
}

/** A contributor's measured output in a round: its skill with noise, as one metric value. */
export function measuredOutput(rng: SimRng, skill: number): number {
  const x = skill * (1 + MARKET.outputNoise * rng.gaussian());
  return Math.round(Math.min(1, Math.max(0.01, x)) * MAX_METRIC_VALUE);
}

/** A gauge ballot: subnet ids and basis points (sum at most 10,000, each at least 1). */
export interface GaugeBallot {
  ids: number[];
  bps: number[];
}

/**
 * Basis points proportional to `weights` (largest remainders; sum exactly 10,000 when any weight is
 * positive); entries that would get 0 are dropped.
 */
export function toBps(ids: readonly number[], weights: readonly number[]): GaugeBallot {
  const total = weights.reduce((a, w) => a + Math.max(0, w), 0);
  if (total <= 0) return { ids: [], bps: [] };
  const raw = weights.map((w) => (Math.max(0, w) / total) * 10_000);
  const floors = raw.map(Math.floor);
  let left = 10_000 - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - floors[i] })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const o of order) {
    if (left === 0) break;
    floors[o.i]++;
    left--;
  }
  const out: GaugeBallot = { ids: [], bps: [] };
  ids.forEach((id, i) => {
    if (floors[i] > 0) {
      out.ids.push(id);
      out.bps.push(floors[i]);
    }
  });
  return out;
}

/**
 * An informed holder's ballot: it looks at the live subnets (a random sample of `attention` of them
 * when there are more) and splits its power among them in proportion to the fees each earned over the
 * last period; at most `maxVotes` subnets, the best earners first. Empty when none earned anything.
 */
export function informedBallot(
  rng: SimRng,
  observed: readonly { id: number; fees: bigint }[],
  maxVotes: number,
): GaugeBallot {
  const seen = rng.shuffle(observed).slice(0, MARKET.attention);
  const ranked = seen
    .filter((o) => o.fees > 0n)
    .sort((a, b) => (b.fees > a.fees ? 1 : b.fees < a.fees ? -1 : a.id - b.id))
    .slice(0, maxVotes);
  return toBps(
    ranked.map((o) => o.id),
    ranked.map((o) => Number(o.fees / 10n ** 12n)),
  );
}

/** A random holder's ballot: 1 to `randomPicks` live subnets with random weights. */
export function randomBallot(rng: SimRng, ids: readonly number[], maxVotes: number): GaugeBallot {
  if (ids.length === 0) return { ids: [], bps: [] };
  const n = Math.min(ids.length, maxVotes, rng.int(1, MARKET.randomPicks));
  const picked = rng.shuffle(ids).slice(0, n);
  return toBps(
    picked,
    picked.map(() => rng.uniform(0.1, 1)),
  );
}

/** The Bittensor-style launch cost (SubnetFactory.launchCost), recomputed by the owners from its inputs. */
export function launchCostModel(o: {
  minCost: bigint;
  maxCost: bigint;
  decayPeriod: bigint;
  lastCost: bigint;
  lastLaunch: bigint;
  now: bigint;
}): bigint {
  const decayed = (o.lastCost * (o.now - o.lastLaunch)) / o.decayPeriod;
  const cost = decayed >= 2n * o.lastCost ? 0n : 2n * o.lastCost - decayed;
  const floored = cost < o.minCost ? o.minCost : cost;
  return floored > o.maxCost ? o.maxCost : floored;
}
