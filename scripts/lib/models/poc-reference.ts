/**
 * Exact bigint reference of one round's finalization in `contracts/contribution/Subnet.sol`
 * (`finalizeRound`, all pages together): what every contributor, validator and the owner are credited,
 * the new consensus lanes, strikes and who is expelled. Tests hold the contract to it to the wei.
 * `SubnetState` below tracks the contract state the rule reads from round to round.
 *
 * The model, for round `round` (started at `roundStart`) whose emission is `pool` (the subnet's
 * `pendingEmission` once finalization has pulled the bucket's allocation), all divisions floored:
 *  - active sheets A: permit holders that revealed at least once (revealRound >= 1) with
 *    round - revealRound < activityCutoff, except those that committed this round and did not
 *    reveal (they lose their standing sheet); fresh sheets F ⊆ A: revealRound == round. A stale sheet
 *    (A \ F) is the validator's last revealed sheet, folded with the weights of its own round;
 *  - with A empty: nothing is computed (the consensus lanes keep their values), nothing is credited,
 *    the whole pool is carried, and only the expulsions below happen;
 *  - otherwise the keeper tip floor(pool * keeperTipBps / 10^4) is credited to the keeper (whoever
 *    finalizes; split by pages, the whole of it in the end) and `pool` below is what is left of it
 *    (`RoundFinalized.pool`);
 *  - scored contributor of slot j: the contributor that left the slot during this round (deregistered
 *    or evicted: it is still scored and paid for the round in flight), else the occupant if registered
 *    before `roundStart`; a slot with neither scores 0, gets nothing, and its lane is set to 0;
 *  - sheet i's cell for j, s_ij: its folded score of row j if j < rows_i and contributor j registered
 *    before the sheet's round start (registeredAt < sheetStart_i), else 0;
 *  - C_j = `Consensus.consensus`(s_.j over A, stakes over A, kappa) (kappa over the active stake);
 *  - contributor j gets floor(contributorPool * C_j / sumC), contributorPool = floor(pool * cs / 10^4);
 *  - agreement a_i = floor(sum_j min(s_ij, C_j) * 10^4 / sum_j max(s_ij, C_j)) over eligible j
 *    (10^4 when the max-sum is 0), for every active sheet;
 *  - lagged L: the same formula with P_j, the lane of j before this round overwrites it (last computed
 *    consensus), in place of s_ij; P_j is 0 unless slot j's scored contributor registered before the
 *    previous round's start (`prevRoundStart`: it has a history there);
 *  - median M = `Consensus.consensus`(a over A, stakes over A, 5,000) (stake-weighted upper median);
 *  - fresh sheets only: struck when a_i < agreementThreshold or a_i * 10^4 < relativeThreshold * M
 *    (`Dividends.struck`): strikes + 1 and no dividend; else strikes = 0 and dividend
 *    mulDiv(validatorPool, stake_i * factor_i, S_A * 10^4), factor_i = `Dividends.factor`(a_i, M, L,
 *    edgeShare, edgeFloor), S_A = sum of active stakes, validatorPool = floor(pool * vs / 10^4) (0 when
 *    sumC or S_A is 0); strikes >= maxStrikes: expelled (LowAgreement), in slot order;
 *  - stale sheets earn nothing and their strikes do not change;
 *  - the owner gets floor(pool * (10^4 - cs - vs) / 10^4) only when sumC > 0;
 *  - then, in slot order over the remaining permits: committed this round without revealing:
 *    expelled (NoReveal); else round - max(revealRound, joinRound) >= activityCutoff: expelled
 *    (Inactive). This happens with A empty too;
 *  - whatever is not credited (`carried`) stays in `pendingEmission`; `RoundFinalized.reveals` = |F|.
 * When S_A is 0 (every active permit at stake 0, possible only with minValidatorStake 0) and a fresh
 * sheet is not struck, the contract's mulDiv divides by zero and finalization reverts; the model throws.
 */
import { BPS, consensus, fold } from "./consensus";
import { factor, struck } from "./dividends";
import type { SubnetRules } from "../shared/subnet-params";

/** The round's settings that finalization reads: the rules of `ISubnet.Params` (no duration, no amount). */
export type FinalizeParams = SubnetRules;

/** A registered contributor (eligible or not). */
export interface ContributorState {
  slot: number;
  account: string;
  /** Block timestamp of its registration. */
  registeredAt: bigint;
}

/** A permit holder at finalization. */
export interface ValidatorState {
  slot: number;
  account: string;
  /** Stake at finalization. */
  stake: bigint;
  /** Consecutive strikes before this round. */
  strikes: number;
  /** Round in which it took the permit. */
  joinRound: bigint;
  /** Last round it committed in (0: never). */
  commitRound: bigint;
  /** Last round it revealed in (0: never). */
  revealRound: bigint;
  /** Start of the round of its last reveal. */
  sheetStart: bigint;
  /** Its last revealed sheet, folded with that round's weights (one score per row). */
  sheet: readonly bigint[];
}

export interface RoundInput {
  /** The round being finalized, and its start. */
  round: bigint;
  roundStart: bigint;
  /** The round's emission: `pendingEmission` when finalization starts, after the bucket pull. */
  pool: bigint;
  params: FinalizeParams;
  /** The subnet owner (credited the owner share). */
  owner: string;
  /** Each slot's scored contributor (see `SubnetState.scored`). */
  contributors: readonly ContributorState[];
  /** The previous round's start: a contributor registered since has no consensus history. */
  prevRoundStart: bigint;
  /** `keeperTipBps()` (0 when absent), and who finalizes (credited the tip). */
  keeperTipBps?: bigint;
  keeper?: string;
  /** Every permit holder. */
  validators: readonly ValidatorState[];
  /** `consensusScore(slot)` for every slot below `contributorSlotsUsed`, before finalization. */
  previousConsensus: readonly bigint[];
}

/** As `ISubnet.ExpelReason`. */
export enum ExpelReason {
  NoReveal = 0,
  LowAgreement = 1,
  Outbid = 2,
  BelowMinimum = 3,
  Inactive = 4,
}

export interface ContributorOutcome {
  slot: number;
  account: string;
  score: bigint;
  reward: bigint;
}

/** An active sheet's agreement with the consensus. */
export interface SheetAgreement {
  slot: number;
  account: string;
  stake: bigint;
  fresh: boolean;
  minSum: bigint;
  maxSum: bigint;
  /** Basis points. */
  agreement: bigint;
}

/** A fresh sheet's verdict (a `ValidatorDividend` event). */
export interface ValidatorOutcome {
  slot: number;
  account: string;
  /** Basis points, as in `ValidatorDividend`. */
  agreement: bigint;
  struck: boolean;
  /** `Dividends.factor` (basis points); 0 when struck. */
  factor: bigint;
  /** Strikes after this round. */
  strikes: number;
  expelled: boolean;
  reward: bigint;
}

export interface Expulsion {
  slot: number;
  account: string;
  reason: ExpelReason;
}

export interface RoundOutcome {
  round: bigint;
  /** False when no sheet is active: no consensus is computed and nothing is credited. */
  consensusComputed: boolean;
  /** Slots of the active sheets, and of the fresh ones (`RoundFinalized.reveals` = fresh.length). */
  active: number[];
  fresh: number[];
  /** Eligible contributors in slot order (the `ConsensusScore` events when computed). */
  contributors: ContributorOutcome[];
  /** `consensusScore(slot)` after finalization, for every slot of `previousConsensus`. */
  consensus: bigint[];
  sumConsensus: bigint;
  contributorPool: bigint;
  /** Active sheets in slot order. */
  sheets: SheetAgreement[];
  /** `RoundAgreement` (0 when not computed). */
  median: bigint;
  lagged: bigint;
  activeStake: bigint;
  validatorPool: bigint;
  /** Fresh sheets in slot order. */
  validators: ValidatorOutcome[];
  ownerReward: bigint;
  /** The round's pool after the keeper tip (`RoundFinalized.pool`), and the tip. */
  pool: bigint;
  tip: bigint;
  /** Everything credited but the tip; `RoundFinalized.paid`. */
  paid: bigint;
  /** `pool - paid`, left in `pendingEmission`. */
  carried: bigint;
  /** In the order of the `ValidatorExpelled` events. */
  expelled: Expulsion[];
  /** Total credited per account (contributors, validators and owner may coincide). */
  credits: Map<string, bigint>;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const bySlot = <T extends { slot: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.slot - b.slot);
const agreementOf = (minSum: bigint, maxSum: bigint): bigint =>
  maxSum === 0n ? BPS : (minSum * BPS) / maxSum;

/** A sheet of metric rows folded with `weights`, as `reveal` stores it. */
export function foldSheet(rows: readonly (readonly number[])[], weights: readonly number[]): bigint[] {
  return rows.map((row) => fold(row, weights));
}

/** Sheet `v`'s cell for contributor `c`: 0 past its rows, or when `c` is not older than the sheet. */
export function cell(v: ValidatorState, c: ContributorState): bigint {
  return c.slot < v.sheet.length && c.registeredAt < v.sheetStart ? v.sheet[c.slot] : 0n;
}

/** One round's finalization, as `Subnet.finalizeRound` computes it over all its pages. */
export function finalizeRound(input: RoundInput): RoundOutcome {
  const { round, roundStart, params, owner } = input;
  let pool = input.pool;
  const cutoff = BigInt(params.activityCutoff);
  const validators = bySlot(input.validators);
  // A committer that withheld its reveal this round loses its standing sheet too.
  const withheld = (v: (typeof validators)[number]) => v.commitRound === round && v.revealRound !== round;
  const active = validators.filter(
    (v) => v.revealRound >= 1n && round - v.revealRound < cutoff && !withheld(v),
  );
  const isFresh = (v: ValidatorState): boolean => v.revealRound === round;
  const eligible = bySlot(input.contributors).filter((c) => c.registeredAt < roundStart);
  const credits = new Map<string, bigint>();
  const credit = (account: string, amount: bigint): void => {
    if (amount > 0n) credits.set(account, (credits.get(account) ?? 0n) + amount);
  };
  const outcome: RoundOutcome = {
    round,
    consensusComputed: active.length > 0,
    active: active.map((v) => v.slot),
    fresh: active.filter(isFresh).map((v) => v.slot),
    contributors: eligible.map((c) => ({ slot: c.slot, account: c.account, score: 0n, reward: 0n })),
    consensus: [...input.previousConsensus],
    sumConsensus: 0n,
    contributorPool: 0n,
    sheets: [],
    median: 0n,
    lagged: 0n,
    activeStake: 0n,
    validatorPool: 0n,
    validators: [],
    ownerReward: 0n,
    paid: 0n,
    carried: pool,
    pool,
    tip: 0n,
    expelled: [],
    credits,
  };
  const expelled = new Set<number>();

  if (active.length > 0) {
    const tipBps = input.keeperTipBps ?? 0n;
    if (tipBps > 0n) {
      outcome.tip = (pool * tipBps) / BPS;
      pool -= outcome.tip;
      outcome.pool = pool;
      outcome.carried = pool;
      if (input.keeper === undefined) throw new Error("finalizeRound: a keeper tip needs the keeper");
      credit(input.keeper, outcome.tip);
    }
    // Consensus per eligible contributor; agreement sums of every active sheet and of the lag.
    const stakes = active.map((v) => v.stake);
    const minSums = active.map(() => 0n);
    const maxSums = active.map(() => 0n);
    let lagMin = 0n;
    let lagMax = 0n;
    outcome.consensus = input.previousConsensus.map(() => 0n);
    for (const c of outcome.contributors) {
      const contributor = eligible.find((e) => e.slot === c.slot)!;
      const cells = active.map((v) => cell(v, contributor));
      c.score = consensus(cells, stakes, BigInt(params.kappa));
      cells.forEach((x, v) => {
        minSums[v] += min(x, c.score);
        maxSums[v] += max(x, c.score);
      });
      const previous =
        contributor.registeredAt < input.prevRoundStart ? (input.previousConsensus[c.slot] ?? 0n) : 0n;
      lagMin += min(previous, c.score);
      lagMax += max(previous, c.score);
      outcome.consensus[c.slot] = c.score;
      outcome.sumConsensus += c.score;
    }

    outcome.contributorPool = (pool * BigInt(params.contributorShare)) / BPS;
    for (const c of outcome.contributors) {
      c.reward =
        outcome.sumConsensus === 0n ? 0n : (outcome.contributorPool * c.score) / outcome.sumConsensus;
      credit(c.account, c.reward);
    }

    outcome.sheets = active.map((v, i) => ({
      slot: v.slot,
      account: v.account,
      stake: v.stake,
      fresh: isFresh(v),
      minSum: minSums[i],
      maxSum: maxSums[i],
      agreement: agreementOf(minSums[i], maxSums[i]),
    }));
    outcome.activeStake = stakes.reduce((a, b) => a + b, 0n);
    outcome.median = consensus(
      outcome.sheets.map((s) => s.agreement),
      stakes,
      BPS / 2n,
    );
    outcome.lagged = agreementOf(lagMin, lagMax);
    outcome.validatorPool =
      outcome.sumConsensus > 0n && outcome.activeStake > 0n
        ? (pool * BigInt(params.validatorShare)) / BPS
        : 0n;

    for (const [i, s] of outcome.sheets.entries()) {
      if (!s.fresh) continue;
      const v = active[i];
      const isStruck = struck(
        s.agreement,
        outcome.median,
        BigInt(params.agreementThreshold),
        BigInt(params.relativeThreshold),
      );
      const share = isStruck
        ? 0n
        : factor(
            s.agreement,
            outcome.median,
            outcome.lagged,
            BigInt(params.edgeShare),
            BigInt(params.edgeFloor),
          );
      const reward = isStruck ? 0n : (outcome.validatorPool * v.stake * share) / (outcome.activeStake * BPS);
      const strikes = isStruck ? v.strikes + 1 : 0;
      const out = strikes >= params.maxStrikes;
      outcome.validators.push({
        slot: v.slot,
        account: v.account,
        agreement: s.agreement,
        struck: isStruck,
        factor: share,
        strikes,
        expelled: out,
        reward,
      });
      credit(v.account, reward);
      if (out) {
        outcome.expelled.push({ slot: v.slot, account: v.account, reason: ExpelReason.LowAgreement });
        expelled.add(v.slot);
      }
    }

    if (outcome.sumConsensus > 0n) {
      outcome.ownerReward =
        (pool * (BPS - BigInt(params.contributorShare) - BigInt(params.validatorShare))) / BPS;
      credit(owner, outcome.ownerReward);
    }
    outcome.paid =
      outcome.contributors.reduce((a, c) => a + c.reward, 0n) +
      outcome.validators.reduce((a, v) => a + v.reward, 0n) +
      outcome.ownerReward;
    outcome.carried = pool - outcome.paid;
  }

  // `_closeRound`: silent committers, then idle permits, in slot order.
  for (const v of validators) {
    if (expelled.has(v.slot)) continue;
    if (v.commitRound === round && v.revealRound !== round) {
      outcome.expelled.push({ slot: v.slot, account: v.account, reason: ExpelReason.NoReveal });
    } else if (round - max(v.revealRound, v.joinRound) >= cutoff) {
      outcome.expelled.push({ slot: v.slot, account: v.account, reason: ExpelReason.Inactive });
    }
  }
  return outcome;
}

/**
 * The state of a subnet that finalization reads, kept from round to round as the contract keeps it
 * (the caller reports slots, timestamps and stakes; this applies the rule). Start it at round 1.
 */
export class SubnetState {
  round = 1n;
  /** The previous round's start (0 before the second round, as the contract's `_prevRoundStart`). */
  prevRoundStart = 0n;
  /** The subnet's `keeperTipBps()` (the contract's default, 10, unless set). */
  keeperTipBps = 10n;
  readonly contributors = new Map<number, ContributorState>();
  /** Per slot, the contributor that left it during round `round` (still scored and paid for it). */
  readonly departed = new Map<number, ContributorState & { round: bigint }>();
  readonly validators = new Map<number, ValidatorState>();
  /** `consensusScore(slot)` for every slot below `contributorSlotsUsed`. */
  readonly lanes: bigint[] = [];

  constructor(public roundStart: bigint) {}

  register(slot: number, account: string, registeredAt: bigint): void {
    if (this.contributors.has(slot)) throw new Error(`register: contributor slot ${slot} is taken`);
    this.contributors.set(slot, { slot, account, registeredAt });
    while (this.lanes.length <= slot) this.lanes.push(0n);
  }

  /** Deregistration or replacement: a contributor registered before the round started is still scored
   *  and paid for it. */
  removeContributor(slot: number): void {
    const c = this.contributors.get(slot);
    if (c === undefined) throw new Error(`removeContributor: slot ${slot} is vacant`);
    if (c.registeredAt < this.roundStart) this.departed.set(slot, { ...c, round: this.round });
    this.contributors.delete(slot);
  }

  /** Each slot's scored contributor this round: the one that left it during the round, else its
   *  occupant (eligible or not: `finalizeRound` filters by registration time). */
  scored(): ContributorState[] {
    const out = new Map<number, ContributorState>(this.contributors);
    for (const [slot, d] of this.departed) {
      if (d.round === this.round)
        out.set(slot, { slot: d.slot, account: d.account, registeredAt: d.registeredAt });
    }
    return [...out.values()];
  }

  /** A stake (a new permit in `slot`, or a top-up). */
  stake(slot: number, account: string, amount: bigint): void {
    const v = this.validators.get(slot);
    if (v !== undefined) {
      if (v.account !== account) throw new Error(`stake: validator slot ${slot} is held by ${v.account}`);
      v.stake += amount;
      return;
    }
    this.validators.set(slot, {
      slot,
      account,
      stake: amount,
      strikes: 0,
      joinRound: this.round,
      commitRound: 0n,
      revealRound: 0n,
      sheetStart: 0n,
      sheet: [],
    });
  }

  /** Outbid, unstaking or slashing under the minimum. */
  expel(slot: number): void {
    if (!this.validators.delete(slot)) throw new Error(`expel: validator slot ${slot} is vacant`);
  }

  commit(slot: number): void {
    this.validator(slot).commitRound = this.round;
  }

  /** A reveal of `sheet`, folded with the round's weights. */
  reveal(slot: number, sheet: readonly bigint[]): void {
    const v = this.validator(slot);
    v.revealRound = this.round;
    v.sheetStart = this.roundStart;
    v.sheet = [...sheet];
  }

  validator(slot: number): ValidatorState {
    const v = this.validators.get(slot);
    if (v === undefined) throw new Error(`validator slot ${slot} is vacant`);
    return v;
  }

  /** The reference finalization of the current round, without applying it. */
  preview(pool: bigint, params: FinalizeParams, owner: string, keeper?: string): RoundOutcome {
    return finalizeRound({
      keeperTipBps: this.keeperTipBps,
      keeper,
      round: this.round,
      roundStart: this.roundStart,
      pool,
      params,
      owner,
      contributors: this.scored(),
      prevRoundStart: this.prevRoundStart,
      validators: [...this.validators.values()].map((v) => ({ ...v })),
      previousConsensus: this.lanes,
    });
  }

  /** Applies `outcome` (from `preview`) and starts the next round at `nextRoundStart`. */
  apply(outcome: RoundOutcome, nextRoundStart: bigint): void {
    if (outcome.round !== this.round) throw new Error(`apply: outcome of round ${outcome.round}`);
    outcome.consensus.forEach((x, j) => (this.lanes[j] = x));
    for (const v of outcome.validators) this.validator(v.slot).strikes = v.strikes;
    for (const x of outcome.expelled) this.expel(x.slot);
    this.round += 1n;
    this.prevRoundStart = this.roundStart;
    this.roundStart = nextRoundStart;
  }
}
