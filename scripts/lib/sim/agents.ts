/**
 * The simulation's agents and their decisions, as pure functions of a seeded PRNG: contributors of
 * varied quality (their daily metrics), validators (honest, lazy, colluding: the scoresheets they
 * submit), capital stakers (when they enter, claim and leave) and voters. `scenario.ts` carries the
 * decisions out on the contracts.
 */
import { hexlify } from "ethers";
import { MAX_METRIC_VALUE } from "../models/consensus";
import { Rng } from "../chain/random";

/** Rng plus the draws the agents need. Same seed, same sequence. */
export class SimRng extends Rng {
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller). */
  gaussian(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A Fisher-Yates shuffled copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** 32 pseudo-random bytes as hex (commitment salts). */
  bytes32(): string {
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = this.int(0, 255);
    return hexlify(bytes);
  }
}

/** Every behavioural constant of the agents, in one place. */
export const BEHAVIOUR = {
  metrics: 4,
  /** Day-to-day spread of a contributor's true metrics (relative). */
  truthNoise: 0.12,
  /** An honest validator's measurement error (relative). */
  observationNoise: 0.04,
  /** Share of validators per subnet that collude, and that are lazy (rounded down each). */
  colludingShare: 0.25,
  lazyShare: 0.25,
  /** Share of a subnet's contributors the coalition scores up (at least one when there is a coalition). */
  friendShare: 0.1,
  /** Honest validators miss a round (do not commit) this often. */
  honestMiss: 0.02,
  /** Lazy validators: skip the round (no commit), or commit and forget to reveal (expelled). */
  lazySkip: 0.25,
  lazyForget: 0.08,
  /** Extra stake over the minimum, in whole TTD, drawn uniformly. */
  extraStake: 50,
  /** Daily probability that a contributor / validator claims what it earned. */
  contributorClaim: 0.1,
  validatorClaim: 0.1,
  /** Staker mix. */
  whaleShare: 0.1,
  mercenaryShare: 0.3,
  /** Holders who claim their rewards the day before a proposal, to vote with them. */
  claimToVote: 0.5,
  /** Daily voting turnout of holders who have not voted yet, while the vote is open. */
  turnout: 0.5,
  abstain: 0.05,
} as const;

/*//////////////////////////////////////////////////////////////
                           CONTRIBUTORS
//////////////////////////////////////////////////////////////*/

/** A contributor's latent quality; its daily metrics are drawn around `base`. */
export interface ContributorProfile {
  /** Overall quality in (0, 1]: most are weak, a few strong. */
  quality: number;
  /** Expected value of each metric, as a fraction of the maximum. */
  base: number[];
  /** Probability of being active on a given day (an idle day scores zero). */
  reliability: number;
  /** Scored up by the colluding coalition. */
  friend: boolean;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const toMetric = (x: number): number => Math.round(clamp01(x) * MAX_METRIC_VALUE);

/**
 * `n` contributor profiles; `friends` of them (drawn from the weaker half) are the coalition's.
 */
export function makeContributors(rng: SimRng, n: number, friends: number): ContributorProfile[] {
  const profiles = Array.from({ length: n }, () => {
    const quality = 0.1 + 0.9 * rng.next() ** 2;
    const base = Array.from({ length: BEHAVIOUR.metrics }, () => clamp01(quality * rng.uniform(0.7, 1.3)));
    return { quality, base, reliability: rng.uniform(0.75, 1), friend: false };
  });
  const weaker = [...profiles.keys()].sort((a, b) => profiles[a].quality - profiles[b].quality);
  const pool = weaker.slice(0, Math.max(friends, Math.ceil(n / 2)));
  for (const i of rng.shuffle(pool).slice(0, friends)) profiles[i].friend = true;
  return profiles;
}

/** How many friends a subnet's coalition has. */
export function friendCount(contributors: number, colluders: number): number {
  if (colluders === 0 || contributors < 2) return 0;
  return Math.max(1, Math.round(contributors * BEHAVIOUR.friendShare));
}

/** A contributor's true metric values for one day (all zero on an idle day). */
export function dailyTruth(rng: SimRng, p: ContributorProfile): number[] {
  const active = rng.chance(p.reliability);
  return p.base.map((b) => (active ? toMetric(b * (1 + BEHAVIOUR.truthNoise * rng.gaussian())) : 0));
}

/*//////////////////////////////////////////////////////////////
                            VALIDATORS
//////////////////////////////////////////////////////////////*/

export type ValidatorKind = "honest" | "lazy" | "colluding";
export const VALIDATOR_KINDS: readonly ValidatorKind[] = ["honest", "lazy", "colluding"];

/** The kinds of a subnet's `n` validators, in a seeded order. */
export function validatorKinds(rng: SimRng, n: number): ValidatorKind[] {
  const colluding = Math.floor(n * BEHAVIOUR.colludingShare);
  const lazy = Math.floor(n * BEHAVIOUR.lazyShare);
  const kinds: ValidatorKind[] = [
    ...Array<ValidatorKind>(colluding).fill("colluding"),
    ...Array<ValidatorKind>(lazy).fill("lazy"),
    ...Array<ValidatorKind>(n - colluding - lazy).fill("honest"),
  ];
  return rng.shuffle(kinds);
}

/** What a validator does in a round. */
export type RoundPlan = "skip" | "forget" | "reveal";

/** Whether a validator of `kind` takes part in the round, and whether it reveals. */
export function roundPlan(rng: SimRng, kind: ValidatorKind): RoundPlan {
  if (kind === "honest") return rng.chance(BEHAVIOUR.honestMiss) ? "skip" : "reveal";
  if (kind === "colluding") return "reveal";
  const r = rng.next();
  if (r < BEHAVIOUR.lazySkip) return "skip";
  if (r < BEHAVIOUR.lazySkip + BEHAVIOUR.lazyForget) return "forget";
  return "reveal";
}

/** An honest measurement of the day's truth: every value with a small relative error. */
export function observe(rng: SimRng, truth: readonly (readonly number[])[]): number[][] {
  return truth.map((row) =>
    row.map((v) =>
      v === 0 ? 0 : toMetric((v / MAX_METRIC_VALUE) * (1 + BEHAVIOUR.observationNoise * rng.gaussian())),
    ),
  );
}

/** The coalition's sheet: an honest measurement with every friend scored at the maximum. */
export function colludedSheet(
  honest: readonly (readonly number[])[],
  friends: ReadonlySet<number>,
): number[][] {
  return honest.map((row, slot) => (friends.has(slot) ? row.map(() => MAX_METRIC_VALUE) : [...row]));
}

/** A flat sheet (every value at half scale): what a lazy validator sends with nothing to copy. */
export function flatSheet(rows: number): number[][] {
  return Array.from({ length: rows }, () => Array<number>(BEHAVIOUR.metrics).fill(MAX_METRIC_VALUE >> 1));
}

/** Extra stake over the minimum, in whole TTD. */
export function extraStake(rng: SimRng): bigint {
  return BigInt(rng.int(0, BEHAVIOUR.extraStake));
}

/*//////////////////////////////////////////////////////////////
                              STAKERS
//////////////////////////////////////////////////////////////*/

export type StakerKind = "holder" | "mercenary" | "whale";

/** A capital staker: a long-term holder, a mercenary who comes and goes, or a whale. */
export interface StakerPlan {
  kind: StakerKind;
  /** Staking tokens taken from the faucet, in wei. */
  budget: bigint;
  /** First day it may deposit. */
  entryDay: number;
}

const WEI = 10n ** 18n;
const lp = (x: number): bigint => BigInt(Math.round(x * 1000)) * (WEI / 1000n);

/** `n` stakers over a run of `days`: kinds, budgets, entry days. */
export function makeStakers(rng: SimRng, n: number, days: number): StakerPlan[] {
  const whales = Math.round(n * BEHAVIOUR.whaleShare);
  const mercenaries = Math.round(n * BEHAVIOUR.mercenaryShare);
  const kinds = rng.shuffle<StakerKind>([
    ...Array<StakerKind>(whales).fill("whale"),
    ...Array<StakerKind>(mercenaries).fill("mercenary"),
    ...Array<StakerKind>(n - whales - mercenaries).fill("holder"),
  ]);
  return kinds.map((kind) => {
    switch (kind) {
      case "whale":
        return {
          kind,
          budget: lp(rng.uniform(5_000, 20_000)),
          entryDay: Math.floor(days * rng.uniform(0.25, 0.6)),
        };
      case "mercenary":
        return { kind, budget: lp(10 ** rng.uniform(1, 2.5)), entryDay: rng.int(0, Math.max(0, days - 1)) };
      case "holder":
        return {
          kind,
          budget: lp(10 ** rng.uniform(1, 3)),
          entryDay: rng.chance(0.25) ? 0 : Math.floor(days * 0.4 * rng.next()),
        };
    }
  });
}

/** What a staker does on the capital pool on a day. */
export type StakerAction =
  | { kind: "deposit"; amount: bigint }
  | { kind: "withdraw"; amount: bigint }
  | { kind: "claim" }
  | { kind: "exit" };

/** A staker's position as the decision sees it. */
export interface StakerState {
  /** Staked in the pool. */
  staked: bigint;
  /** Staking tokens in its wallet. */
  wallet: bigint;
  /** First day it may (re-)enter. */
  nextEntry: number;
}

/**
 * The day's actions of a staker, and the day it may re-enter when it leaves. Holders stay and claim
 * about weekly; mercenaries come and go; whales arrive mid-run with a large stake and rarely claim.
 */
export function stakerActions(
  rng: SimRng,
  plan: StakerPlan,
  s: StakerState,
  day: number,
): { actions: StakerAction[]; nextEntry: number } {
  let nextEntry = s.nextEntry;
  const actions: StakerAction[] = [];
  if (s.staked === 0n) {
    if (day < s.nextEntry || s.wallet === 0n) return { actions, nextEntry };
    const enter = plan.kind === "mercenary" ? rng.chance(0.3) : true;
    if (enter) {
      const fraction = plan.kind === "holder" ? rng.uniform(0.5, 1) : 1;
      const amount = (s.wallet * BigInt(Math.round(fraction * 1000))) / 1000n;
      if (amount > 0n) actions.push({ kind: "deposit", amount });
    }
    return { actions, nextEntry };
  }
  const p = {
    holder: { claim: 1 / 7, exit: 0.004, withdraw: 0.01, top: 0.02 },
    mercenary: { claim: 0.2, exit: 0.15, withdraw: 0.05, top: 0.05 },
    whale: { claim: 0.05, exit: 0.002, withdraw: 0.005, top: 0 },
  }[plan.kind];
  const r = rng.next();
  if (r < p.exit) {
    actions.push({ kind: "exit" });
    nextEntry = day + (plan.kind === "mercenary" ? rng.int(1, 10) : rng.int(14, 90));
    return { actions, nextEntry };
  }
  if (r < p.exit + p.withdraw) {
    const amount = (s.staked * BigInt(rng.int(10, 50))) / 100n;
    if (amount > 0n && amount < s.staked) actions.push({ kind: "withdraw", amount });
  } else if (r < p.exit + p.withdraw + p.top && s.wallet > 0n) {
    actions.push({ kind: "deposit", amount: s.wallet });
  }
  if (rng.chance(p.claim)) actions.push({ kind: "claim" });
  return { actions, nextEntry };
}

/*//////////////////////////////////////////////////////////////
                               VOTERS
//////////////////////////////////////////////////////////////*/

/** OpenZeppelin's vote types: 0 against, 1 for, 2 abstain. */
export type Support = 0 | 1 | 2;

/**
 * A voter's ballot on a share change, given how the change moves its own bucket (`delta`, basis
 * points): those who gain mostly vote for, those who lose lean against, the rest are split.
 */
export function ballot(rng: SimRng, delta: number): Support {
  if (rng.chance(BEHAVIOUR.abstain)) return 2;
  const pFor = delta > 0 ? 0.95 : delta < 0 ? 0.4 : 0.6;
  return rng.chance(pFor) ? 1 : 0;
}
