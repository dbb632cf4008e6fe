/**
 * Round driving and checking helpers for the Subnet tests (test/e2e/poc.test.ts and
 * test/contribution/Subnet.property.test.ts): phase moves, commit/reveal, paged finalization with its
 * events collected, and comparison with the bigint reference (scripts/lib/models/poc-reference.ts),
 * whose `SubnetState` the `tracked*` helpers keep in step with the contract. No tests here.
 */
import { expect } from "chai";
import { hexlify, randomBytes } from "ethers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Subnet } from "../../typechain-types";
import { commitment, encodeSheet } from "../../scripts/lib/chain/poc";
import { FinalizeParams, RoundOutcome, SubnetState, foldSheet } from "../../scripts/lib/models/poc-reference";
import { toPhase } from "../../scripts/lib/chain/rounds";

export { toPhase };

/** One validator's move in a round: commit `rows`, and reveal them unless `reveal` is false. */
export interface SheetPlan {
  validator: HardhatEthersSigner;
  rows: number[][];
  reveal: boolean;
}

/**
 * Commits every plan's sheet (the round must be in its commit phase), moves to the reveal phase and
 * reveals the sheets of the plans that reveal. With `track`, records the commits and the reveals (folded
 * with `track.weights`, the round's metric weights) in `track.state`.
 */
export async function commitAndReveal(
  subnet: Subnet,
  plans: readonly SheetPlan[],
  metrics: number,
  track?: { state: SubnetState; weights: readonly number[] },
): Promise<void> {
  const address = await subnet.getAddress();
  const round = await subnet.round();
  const opened: { plan: SheetPlan; sheet: string; salt: string }[] = [];
  for (const plan of plans) {
    const sheet = encodeSheet(plan.rows, metrics);
    const salt = hexlify(randomBytes(32));
    const who = plan.validator.address;
    await (await subnet.connect(plan.validator).commit(commitment(address, round, who, salt, sheet))).wait();
    track?.state.commit(Number(await subnet.validatorSlot(who)));
    opened.push({ plan, sheet, salt });
  }
  await toPhase(subnet, "reveal");
  for (const { plan, sheet, salt } of opened) {
    if (!plan.reveal) continue;
    await (await subnet.connect(plan.validator).reveal(sheet, salt)).wait();
    if (track) {
      const slot = Number(await subnet.validatorSlot(plan.validator.address));
      track.state.reveal(slot, foldSheet(plan.rows, track.weights));
    }
  }
}

/** Registers `who` and records it (and the contributor it replaced, if any) in `state`; returns its slot. */
export async function trackedRegister(
  subnet: Subnet,
  state: SubnetState,
  who: HardhatEthersSigner,
  uri = "",
): Promise<number> {
  const receipt = await (await subnet.connect(who).register(uri)).wait();
  if (receipt === null) throw new Error("register: no receipt");
  const slot = Number(await subnet.contributorSlot(who.address));
  const replaced = await subnet.queryFilter(
    subnet.filters.ContributorReplaced,
    receipt.blockNumber,
    receipt.blockNumber,
  );
  if (replaced.length > 0) state.removeContributor(slot);
  const block = await receipt.getBlock();
  state.register(slot, who.address, BigInt(block.timestamp));
  return slot;
}

/** Deregisters `who` and records it in `state`. */
export async function trackedDeregister(
  subnet: Subnet,
  state: SubnetState,
  who: HardhatEthersSigner,
): Promise<void> {
  const slot = Number(await subnet.contributorSlot(who.address));
  await (await subnet.connect(who).deregister()).wait();
  state.removeContributor(slot);
}

/** Stakes `amount` for `who` (no outbidding) and records it in `state`; returns its slot. */
export async function trackedStake(
  subnet: Subnet,
  state: SubnetState,
  who: HardhatEthersSigner,
  amount: bigint,
): Promise<number> {
  await (await subnet.connect(who).stake(amount)).wait();
  const slot = Number(await subnet.validatorSlot(who.address));
  state.stake(slot, who.address, amount);
  return slot;
}

/**
 * Finalizes the closed round in pages of `maxSteps` (see `finalizeInPages`), holds it to the reference
 * outcome of `state`'s round for `pool` (see `expectOutcome`), applies the outcome to `state` and checks
 * the permits left against it.
 */
export async function trackedFinalize(
  subnet: Subnet,
  state: SubnetState,
  args: {
    pool: bigint;
    params: FinalizeParams;
    owner: string;
    maxSteps: number;
    betweenPages?: (page: number) => Promise<void>;
  },
): Promise<{ outcome: RoundOutcome; record: FinalizeRecord }> {
  expect(await subnet.round(), "tracked round").to.equal(state.round);
  expect(await subnet.roundStart(), "tracked round start").to.equal(state.roundStart);
  const runner = subnet.runner as { getAddress?: () => Promise<string> } | null;
  const keeper = runner?.getAddress ? await runner.getAddress() : undefined;
  const outcome = state.preview(args.pool, args.params, args.owner, keeper);
  const record = await finalizeInPages(subnet, args.maxSteps, args.betweenPages);
  await expectOutcome(subnet, record, outcome, args.pool);
  state.apply(outcome, await subnet.roundStart());
  await expectPermits(subnet, state);
  return { outcome, record };
}

/** The contract's permits are `state`'s: holders, stakes, strikes, join and reveal rounds. */
export async function expectPermits(subnet: Subnet, state: SubnetState): Promise<void> {
  expect(await subnet.validatorCount(), "validatorCount").to.equal(BigInt(state.validators.size));
  for (const v of state.validators.values()) {
    const onChain = await subnet.validatorAt(v.slot);
    const label = `validator slot ${v.slot}`;
    expect(onChain.account, label).to.equal(v.account);
    expect(onChain.stake, `${label}: stake`).to.equal(v.stake);
    expect(onChain.strikes, `${label}: strikes`).to.equal(BigInt(v.strikes));
    expect(onChain.joinRound, `${label}: joinRound`).to.equal(v.joinRound);
    expect(onChain.revealRound, `${label}: revealRound`).to.equal(v.revealRound);
    expect(onChain.sheetStart, `${label}: sheetStart`).to.equal(v.sheetStart);
    expect(onChain.rows, `${label}: rows`).to.equal(BigInt(v.sheet.length));
  }
}

/** What one round's finalization emitted, over all its pages. */
export interface FinalizeRecord {
  round: bigint;
  /** Transactions it took. */
  pages: number;
  finalized: { round: bigint; pool: bigint; paid: bigint; reveals: bigint };
  /** `RoundAgreement` (null when none was emitted: no active sheet). */
  agreement: { median: bigint; lagged: bigint } | null;
  scores: { contributor: string; score: bigint; reward: bigint }[];
  dividends: { validator: string; agreement: bigint; reward: bigint }[];
  expelled: { validator: string; slot: bigint; reason: bigint }[];
}

/**
 * Finalizes the closed round with `finalizeRound(maxSteps)` until the next round starts, calling
 * `betweenPages` after every page but the last, and collects the round's events.
 */
export async function finalizeInPages(
  subnet: Subnet,
  maxSteps: number,
  betweenPages?: (page: number) => Promise<void>,
): Promise<FinalizeRecord> {
  const round = await subnet.round();
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let pages = 0;
  for (;;) {
    const receipt = await (await subnet.finalizeRound(maxSteps)).wait();
    if (receipt === null) throw new Error("finalizeRound: no receipt");
    first = Math.min(first, receipt.blockNumber);
    last = Math.max(last, receipt.blockNumber);
    pages++;
    if ((await subnet.round()) !== round) break;
    if (pages > 2 * 256 + 2) throw new Error("finalizeRound: does not finish");
    const [stage] = await subnet.finalization();
    expect(stage, "a paused finalization is in stage 1 or 2").to.be.oneOf([1n, 2n]);
    if (betweenPages) await betweenPages(pages);
  }
  const finalizedEvents = await subnet.queryFilter(subnet.filters.RoundFinalized, first, last);
  expect(finalizedEvents.length, "one RoundFinalized").to.equal(1);
  const e = finalizedEvents[0].args;
  const scores = await subnet.queryFilter(subnet.filters.ConsensusScore, first, last);
  const dividends = await subnet.queryFilter(subnet.filters.ValidatorDividend, first, last);
  const expelled = await subnet.queryFilter(subnet.filters.ValidatorExpelled, first, last);
  const agreements = await subnet.queryFilter(subnet.filters.RoundAgreement, first, last);
  expect(agreements.length, "at most one RoundAgreement").to.be.lte(1);
  return {
    round,
    pages,
    finalized: { round: e.round, pool: e.pool, paid: e.paid, reveals: e.reveals },
    agreement:
      agreements.length === 0
        ? null
        : { median: agreements[0].args.medianBps, lagged: agreements[0].args.laggedBps },
    scores: scores.map((l) => ({
      contributor: l.args.contributor,
      score: l.args.score,
      reward: l.args.reward,
    })),
    dividends: dividends.map((l) => ({
      validator: l.args.validator,
      agreement: l.args.agreementBps,
      reward: l.args.reward,
    })),
    expelled: expelled.map((l) => ({
      validator: l.args.validator,
      slot: l.args.slot,
      reason: l.args.reason,
    })),
  };
}

/**
 * Holds the contract's events and views to the reference outcome of the round: RoundFinalized (its
 * `reveals` is the number of fresh sheets, and `reveals` when given), RoundAgreement, every
 * ConsensusScore and ValidatorDividend, the expulsions, every consensus lane and the strikes.
 */
export async function expectOutcome(
  subnet: Subnet,
  record: FinalizeRecord,
  outcome: RoundOutcome,
  pool: bigint,
  reveals: number = outcome.fresh.length,
): Promise<void> {
  const r = `round ${record.round}`;
  expect(record.finalized.round, r).to.equal(record.round);
  expect(outcome.pool + outcome.tip, `${r}: pool`).to.equal(pool);
  expect(record.finalized.pool, `${r}: RoundFinalized.pool (after the keeper tip)`).to.equal(outcome.pool);
  expect(record.finalized.paid, `${r} (${record.pages} transactions): RoundFinalized.paid`).to.equal(
    outcome.paid,
  );
  expect(record.finalized.reveals, `${r}: RoundFinalized.reveals`).to.equal(BigInt(reveals));
  expect(outcome.fresh.length, `${r}: fresh sheets`).to.equal(reveals);
  expect(record.agreement, `${r}: RoundAgreement`).to.deep.equal(
    outcome.consensusComputed ? { median: outcome.median, lagged: outcome.lagged } : null,
  );
  const expectedScores = outcome.consensusComputed
    ? outcome.contributors.map((c) => ({ contributor: c.account, score: c.score, reward: c.reward }))
    : [];
  expect(record.scores, `${r}: ConsensusScore events`).to.deep.equal(expectedScores);
  expect(record.dividends, `${r}: ValidatorDividend events`).to.deep.equal(
    outcome.validators.map((v) => ({ validator: v.account, agreement: v.agreement, reward: v.reward })),
  );
  expect(record.expelled, `${r}: ValidatorExpelled events`).to.deep.equal(
    outcome.expelled.map((x) => ({ validator: x.account, slot: BigInt(x.slot), reason: BigInt(x.reason) })),
  );
  for (const [slot, score] of outcome.consensus.entries()) {
    expect(await subnet.consensusScore(slot), `${r}: consensusScore(${slot})`).to.equal(score);
  }
  for (const v of outcome.validators) {
    if (v.expelled) continue;
    expect((await subnet.validatorAt(v.slot)).strikes, `${r}: strikes of validator ${v.slot}`).to.equal(
      BigInt(v.strikes),
    );
  }
}

/** The claimable balances the reference says every account should have. */
export class ClaimBook {
  private readonly owed = new Map<string, bigint>();

  credit(outcome: RoundOutcome): void {
    for (const [account, amount] of outcome.credits) this.owed.set(account, this.of(account) + amount);
  }

  /** The account was paid out (claim, deregistration). */
  clear(account: string): void {
    this.owed.set(account, 0n);
  }

  of(account: string): bigint {
    return this.owed.get(account) ?? 0n;
  }

  total(): bigint {
    return [...this.owed.values()].reduce((a, b) => a + b, 0n);
  }

  async expectMatches(subnet: Subnet, accounts: readonly string[], label: string): Promise<void> {
    for (const a of new Set([...accounts, ...this.owed.keys()])) {
      expect(await subnet.claimable(a), `${label}: claimable(${a})`).to.equal(this.of(a));
    }
    expect(await subnet.totalClaimable(), `${label}: totalClaimable`).to.equal(this.total());
  }
}

/** What the subnet owes and holds for the next round: bonds + stake + unbonding + claimable + pending emission. */
export async function owedBy(subnet: Subnet): Promise<bigint> {
  return (
    (await subnet.totalBonds()) +
    (await subnet.totalStake()) +
    (await subnet.totalUnbonding()) +
    (await subnet.totalClaimable()) +
    (await subnet.pendingEmission())
  );
}

/** The subnet's token ledger: its balance covers everything it owes and holds for the next round. */
export async function expectSolvent(subnet: Subnet, balance: bigint, exact: boolean): Promise<void> {
  const owed = await owedBy(subnet);
  expect(balance, "subnet balance >= bonds + stake + unbonding + claimable + pending").to.be.gte(owed);
  if (exact) expect(balance, "subnet balance (no stray transfers)").to.equal(owed);
}
