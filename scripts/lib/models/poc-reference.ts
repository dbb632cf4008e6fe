/**
 * Exact bigint reference of one round's finalization in `contracts/contribution/Subnet.sol`
 * (`finalizeRound`, all pages together): what every contributor, validator and the owner are credited,
 * the new strikes and who is expelled. Tests hold the contract to it to the wei.
 *
 * The model, for a round whose emission is `pool` (the subnet's `pendingEmission` once finalization
 * has pulled the bucket's allocation):
 *  - each revealed sheet row j is folded with the round's metric weights into a score; rows the sheet
 *    does not have count as 0;
 *  - for each eligible contributor (registered before the round started; others score 0 and get
 *    nothing), the consensus C_j is `Consensus.consensus` of the revealers' scores with their stakes;
 *  - contributor j gets floor(contributorPool * C_j / sumC), contributorPool = floor(pool * cs / 10^4);
 *  - a revealer's agreement is floor(sum_j min(s_j, C_j) * 10^4 / sum_j max(s_j, C_j)) over eligible
 *    j (10^4 when the max-sum is 0); under `agreementThreshold` it takes a strike, else its strikes
 *    reset; at `maxStrikes` it is expelled (LowAgreement) with weight 0, otherwise its weight is
 *    mulDiv(stake, minSum, maxSum) (the stake when maxSum is 0);
 *  - a revealer gets floor(validatorPool * w / sumW), validatorPool = floor(pool * vs / 10^4), or 0
 *    when sumC or sumW is 0;
 *  - the owner gets floor(pool * (10^4 - cs - vs) / 10^4) only when sumC > 0;
 *  - validators that committed and did not reveal are expelled (NoReveal);
 *  - whatever is not credited (`carried`) stays in `pendingEmission` for the next round.
 * With no reveal at all the contract computes no consensus (the `consensusScore` view keeps the last
 * round's values), credits nothing and only expels the committers.
 */
import { BPS, consensus, fold } from "./consensus";

/** The round's settings that finalization reads (a subset of `ISubnet.Params`). */
export interface FinalizeParams {
  contributorShare: number;
  validatorShare: number;
  kappa: number;
  agreementThreshold: number;
  maxStrikes: number;
}

/** A contributor registered before the round started. */
export interface EligibleContributor {
  slot: number;
  account: string;
}

/** A validator whose sheet was revealed this round. */
export interface RevealedValidator {
  slot: number;
  account: string;
  /** Stake at finalization. */
  stake: bigint;
  /** The revealed sheet: one row of metric values (0-65,535) per contributor slot, from slot 0. */
  rows: readonly (readonly number[])[];
  /** Consecutive strikes before this round. */
  strikes: number;
}

/** A validator that committed this round and did not reveal. */
export interface SilentValidator {
  slot: number;
  account: string;
}

export interface RoundInput {
  /** The round's emission: `pendingEmission` when finalization starts, after the bucket pull. */
  pool: bigint;
  params: FinalizeParams;
  /** Metric weights in force this round (basis points summing to 10,000). */
  weights: readonly number[];
  /** The subnet owner (credited the owner share). */
  owner: string;
  contributors: readonly EligibleContributor[];
  revealed: readonly RevealedValidator[];
  unrevealed: readonly SilentValidator[];
}

/** As `ISubnet.ExpelReason`. */
export enum ExpelReason {
  NoReveal = 0,
  LowAgreement = 1,
}

export interface ContributorOutcome {
  slot: number;
  account: string;
  score: bigint;
  reward: bigint;
}

export interface ValidatorOutcome {
  slot: number;
  account: string;
  minSum: bigint;
  maxSum: bigint;
  /** Basis points, as in `ValidatorDividend`. */
  agreement: bigint;
  /** Strikes after this round. */
  strikes: number;
  expelled: boolean;
  weight: bigint;
  reward: bigint;
}

export interface Expulsion {
  slot: number;
  account: string;
  reason: ExpelReason;
}

export interface RoundOutcome {
  /** False when nobody revealed: no consensus is computed and nothing is credited. */
  consensusComputed: boolean;
  /** Eligible contributors in slot order. */
  contributors: ContributorOutcome[];
  sumConsensus: bigint;
  contributorPool: bigint;
  /** Revealers in slot order. */
  validators: ValidatorOutcome[];
  totalWeight: bigint;
  validatorPool: bigint;
  ownerReward: bigint;
  /** Everything credited; `RoundFinalized.paid`. */
  paid: bigint;
  /** `pool - paid`, left in `pendingEmission`. */
  carried: bigint;
  /** In the order of the `ValidatorExpelled` events (slot order). */
  expelled: Expulsion[];
  /** Total credited per account (contributors, validators and owner may coincide). */
  credits: Map<string, bigint>;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const bySlot = <T extends { slot: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.slot - b.slot);

/** The folded score of `slot` on a sheet (0 past its last row). */
export function sheetScore(
  rows: readonly (readonly number[])[],
  slot: number,
  weights: readonly number[],
): bigint {
  return slot < rows.length ? fold(rows[slot], weights) : 0n;
}

/** One round's finalization, as `Subnet.finalizeRound` computes it over all its pages. */
export function finalizeRound(input: RoundInput): RoundOutcome {
  const { pool, params, weights, owner } = input;
  const contributors = bySlot(input.contributors);
  const revealed = bySlot(input.revealed);
  const credits = new Map<string, bigint>();
  const credit = (account: string, amount: bigint): void => {
    if (amount > 0n) credits.set(account, (credits.get(account) ?? 0n) + amount);
  };
  const noReveal = input.unrevealed.map((v) => ({ ...v, reason: ExpelReason.NoReveal }));

  if (revealed.length === 0) {
    return {
      consensusComputed: false,
      contributors: contributors.map((c) => ({ ...c, score: 0n, reward: 0n })),
      sumConsensus: 0n,
      contributorPool: 0n,
      validators: [],
      totalWeight: 0n,
      validatorPool: 0n,
      ownerReward: 0n,
      paid: 0n,
      carried: pool,
      expelled: bySlot(noReveal),
      credits,
    };
  }

  // Consensus per eligible contributor, and every revealer's agreement sums.
  const stakes = revealed.map((v) => v.stake);
  const minSums = revealed.map(() => 0n);
  const maxSums = revealed.map(() => 0n);
  const scores = contributors.map((c) => {
    const s = revealed.map((v) => sheetScore(v.rows, c.slot, weights));
    const score = consensus(s, stakes, BigInt(params.kappa));
    s.forEach((x, v) => {
      minSums[v] += min(x, score);
      maxSums[v] += max(x, score);
    });
    return score;
  });
  const sumConsensus = scores.reduce((a, b) => a + b, 0n);

  const contributorPool = (pool * BigInt(params.contributorShare)) / BPS;
  const contributorOutcomes = contributors.map((c, i) => {
    const reward = sumConsensus === 0n ? 0n : (contributorPool * scores[i]) / sumConsensus;
    credit(c.account, reward);
    return { ...c, score: scores[i], reward };
  });

  // Validators: agreement, strikes, weight.
  const validatorOutcomes: ValidatorOutcome[] = revealed.map((v, i) => {
    const minSum = minSums[i];
    const maxSum = maxSums[i];
    const agreement = maxSum === 0n ? BPS : (minSum * BPS) / maxSum;
    const strikes = agreement < BigInt(params.agreementThreshold) ? v.strikes + 1 : 0;
    const expelled = strikes >= params.maxStrikes;
    const weight = expelled ? 0n : maxSum === 0n ? v.stake : (v.stake * minSum) / maxSum;
    return {
      slot: v.slot,
      account: v.account,
      minSum,
      maxSum,
      agreement,
      strikes,
      expelled,
      weight,
      reward: 0n,
    };
  });
  const totalWeight = validatorOutcomes.reduce((a, v) => a + v.weight, 0n);
  const validatorPool =
    sumConsensus === 0n || totalWeight === 0n ? 0n : (pool * BigInt(params.validatorShare)) / BPS;
  for (const v of validatorOutcomes) {
    v.reward = validatorPool === 0n ? 0n : (validatorPool * v.weight) / totalWeight;
    credit(v.account, v.reward);
  }

  const ownerReward =
    sumConsensus > 0n
      ? (pool * (BPS - BigInt(params.contributorShare) - BigInt(params.validatorShare))) / BPS
      : 0n;
  credit(owner, ownerReward);

  const paid =
    contributorOutcomes.reduce((a, c) => a + c.reward, 0n) +
    validatorOutcomes.reduce((a, v) => a + v.reward, 0n) +
    ownerReward;
  const lowAgreement = validatorOutcomes
    .filter((v) => v.expelled)
    .map((v) => ({ slot: v.slot, account: v.account, reason: ExpelReason.LowAgreement }));

  return {
    consensusComputed: true,
    contributors: contributorOutcomes,
    sumConsensus,
    contributorPool,
    validators: validatorOutcomes,
    totalWeight,
    validatorPool,
    ownerReward,
    paid,
    carried: pool - paid,
    expelled: bySlot([...noReveal, ...lowAgreement]),
    credits,
  };
}
