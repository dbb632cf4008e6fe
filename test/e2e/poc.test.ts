/**
 * End to end proof of contribution on the whole system (`deployCore`): governance (the deployer, the
 * AccessManager's admin) opens a second subnet in the code bucket and splits the bucket 50/50 with the
 * genesis subnet; contributors and validators are paid TTD from the protection fund after 60 days of
 * emission; then rounds of commit / reveal / paged finalization run with emission flowing through
 * `controller.distribute()`. Every round is held to the bigint reference (scripts/lib/models/poc-reference.ts)
 * to the wei: the pool (the bucket's 50% modelled independently), every event, every claimable balance,
 * strikes and expulsions. Scenario: a colluding validator inflates a friend (strikes, then expelled for
 * low agreement), one validator commits without revealing (expelled), a contributor leaves and a late
 * one takes its slot (ineligible for the round it joins), a short sheet, a metric-weights change, and
 * emission arriving in the middle of a paged finalization.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Subnet__factory } from "../../typechain-types";
import { DAY } from "../../scripts/lib/chain/constants";
import { deployCore } from "../utils/deploy";
import { MAX_METRIC_VALUE, fold } from "../../scripts/lib/models/consensus";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, SubnetParams } from "../../scripts/lib/chain/poc";
import { ExpelReason, RoundOutcome, finalizeRound } from "../../scripts/lib/models/poc-reference";
import { Rng } from "../../scripts/lib/chain/random";
import {
  ClaimBook,
  SheetPlan,
  commitAndReveal,
  expectOutcome,
  expectSolvent,
  finalizeInPages,
  toPhase,
} from "../utils/subnet-rounds";

const TTD = 10n ** 18n;
const PARAMS: SubnetParams = { ...DEFAULT_SUBNET_PARAMS, agreementThreshold: 9500, maxStrikes: 2 };
const CONTRIBUTOR_FUNDS = 100n * TTD;
const VALIDATOR_FUNDS = 1000n * TTD;
/** Honest v0-v2 (and v4 while it reveals) hold 950 of 1,700 TTD: more than half. v3 colludes. */
const STAKES = [400n * TTD, 300n * TTD, 250n * TTD, 600n * TTD, 150n * TTD];
const FRIEND = 0; // the contributor slot the colluder inflates

describe("e2e: proof of contribution on the core system", () => {
  async function fixture() {
    const signers = await ethers.getSigners();
    const [deployer, owner] = signers;
    const contributors = signers.slice(2, 8);
    const late = signers[8];
    const validators = signers.slice(9, 14);
    const core = await deployCore(deployer);
    const [code] = core.buckets;
    const [genesis] = core.subnets;
    // Governance opens a second subnet in the code bucket and gives it half of the bucket.
    const subnet = await new Subnet__factory(deployer).deploy(
      core.manager,
      core.token,
      code,
      core.protectionFund,
      owner.address,
      "ipfs://tetrad/code/poc-e2e",
      PARAMS,
      DEFAULT_METRIC_WEIGHTS,
    );
    await (await code.setWeights([genesis, subnet], [5000, 5000])).wait();
    return { core, deployer, owner, contributors, late, validators, subnet };
  }

  /**
   * The whole scenario, finalizing `page` contributor steps per transaction (consensus then credit:
   * with 6 contributor slots, page 2 takes 6 transactions a round, page 256 one).
   */
  async function scenario(page: number): Promise<void> {
    const { core, owner, contributors, late, validators, subnet } = await loadFixture(fixture);
    const { controller, token, protectionFund } = core;
    const [code] = core.buckets;
    const subnetAddress = await subnet.getAddress();
    const rng = new Rng(2024);

    // ----- the code bucket, modelled: 24% of each distribution, split 50/50, remainders carried -----
    let unallocated = 0n;
    let allocation = 0n; // owed to our subnet by the bucket, pulled at each finalization
    const distribute = async (): Promise<void> => {
      const receipt = await (await controller.distribute()).wait();
      if (receipt === null) throw new Error("distribute: no receipt");
      const [log] = await controller.queryFilter(
        controller.filters.Distributed,
        receipt.blockNumber,
        receipt.blockNumber,
      );
      const amount = unallocated + log.args.amounts[0];
      const share = (amount * 5000n) / 10_000n;
      allocation += share;
      unallocated = amount - 2n * share;
      expect(await code.allocation(subnetAddress), "bucket allocation").to.equal(allocation);
      expect(await code.unallocated(), "bucket remainder").to.equal(unallocated);
    };

    // ----- 60 days of emission; governance pays everyone from the protection fund -----
    await time.increase(60n * DAY);
    await distribute();
    const funded = new Map<string, bigint>();
    for (const [who, amount] of [
      ...contributors.map((c) => [c, CONTRIBUTOR_FUNDS] as const),
      [late, CONTRIBUTOR_FUNDS] as const,
      ...validators.map((v) => [v, VALIDATOR_FUNDS] as const),
    ]) {
      await (await protectionFund.release(token, who.address, amount)).wait();
      await (await token.connect(who).approve(subnetAddress, ethers.MaxUint256)).wait();
      funded.set(who.address, amount);
    }

    // ----- the reference's state -----
    const everyone = [owner, ...contributors, late, ...validators].map((s) => s.address);
    const book = new ClaimBook();
    const earned = new Map<string, bigint>();
    const members = new Map<number, { signer: HardhatEthersSigner; joined: bigint }>(); // contributor slots
    const permits = new Map<number, { signer: HardhatEthersSigner; stake: bigint; strikes: number }>();
    let pending = 0n;
    let totalPulled = 0n;
    let weights = [...DEFAULT_METRIC_WEIGHTS];
    const outcomes: RoundOutcome[] = [];

    const slotOf = (v: HardhatEthersSigner): number => {
      for (const [slot, p] of permits) if (p.signer.address === v.address) return slot;
      throw new Error(`${v.address} holds no permit`);
    };

    /** Commits/reveals `plans`, lets emission flow, finalizes in pages and checks everything. */
    const playRound = async (plans: SheetPlan[], midFinalizationEmission = false): Promise<RoundOutcome> => {
      const round = await subnet.round();
      await commitAndReveal(subnet, plans, weights.length);
      await toPhase(subnet, "closed");
      await time.increase(3600);
      await distribute();
      const pool = pending + allocation;
      const outcome = finalizeRound({
        pool,
        params: PARAMS,
        weights,
        owner: owner.address,
        contributors: [...members]
          .filter(([, m]) => m.joined < round)
          .map(([slot, m]) => ({ slot, account: m.signer.address })),
        revealed: plans
          .filter((p) => p.reveal)
          .map((p) => {
            const slot = slotOf(p.validator);
            const { stake, strikes } = permits.get(slot)!;
            return { slot, account: p.validator.address, stake, rows: p.rows, strikes };
          }),
        unrevealed: plans
          .filter((p) => !p.reveal)
          .map((p) => ({ slot: slotOf(p.validator), account: p.validator.address })),
      });
      totalPulled += allocation;
      allocation = 0n; // pulled by the first page
      const record = await finalizeInPages(subnet, page, async (done) => {
        expect(await subnet.phase(), "closed while finalizing").to.equal(2n);
        if (midFinalizationEmission && done === 1) {
          await time.increase(600);
          await distribute(); // reaches the bucket, not this round's pool
        }
      });
      // Consensus then credit, `page` slots a transaction across both stages; the last page also pays
      // the validators and the owner. Without reveals, one transaction.
      const slots = Number(await subnet.contributorSlotsUsed());
      const pages = outcome.consensusComputed ? Math.ceil((2 * slots) / page) : 1;
      expect(record.pages, `round ${round}: pages`).to.equal(pages);
      await expectOutcome(subnet, record, outcome, pool, plans.filter((p) => p.reveal).length);

      pending = outcome.carried;
      expect(await subnet.pendingEmission(), `round ${round}: pendingEmission`).to.equal(pending);
      book.credit(outcome);
      for (const [a, x] of outcome.credits) earned.set(a, (earned.get(a) ?? 0n) + x);
      await book.expectMatches(subnet, everyone, `round ${round}`);
      for (const v of outcome.validators) permits.get(v.slot)!.strikes = v.strikes;
      for (const x of outcome.expelled) permits.delete(x.slot);
      expect(await subnet.validatorCount()).to.equal(BigInt(permits.size));
      await expectSolvent(subnet, await token.balanceOf(subnetAddress), true);
      outcomes.push(outcome);
      return outcome;
    };

    // ----- sheets -----
    const clamp = (x: number): number => Math.min(MAX_METRIC_VALUE, Math.max(0, x));
    const truthFor = (rows: number, metrics: number): number[][] =>
      Array.from({ length: rows }, () => Array.from({ length: metrics }, () => rng.int(5_000, 60_000)));
    const honest = (truth: number[][]): number[][] =>
      truth.map((row) => row.map((x) => clamp(x + rng.int(-150, 150))));
    const colluding = (truth: number[][]): number[][] =>
      honest(truth).map((row, j) => (j === FRIEND ? row.map(() => MAX_METRIC_VALUE) : row));
    const plan = (validator: HardhatEthersSigner, rows: number[][], reveal = true): SheetPlan => ({
      validator,
      rows,
      reveal,
    });
    const [v0, v1, v2, v3, v4] = validators;
    /** The friend's consensus stays within what the honest revealers scored. */
    const expectFriendHonest = (outcome: RoundOutcome, honestSheets: number[][][]): void => {
      const folds = honestSheets.map((rows) => fold(rows[FRIEND], weights));
      const friend = outcome.contributors.find((c) => c.slot === FRIEND)!;
      expect(friend.score).to.be.lte(folds.reduce((a, b) => (a > b ? a : b)));
      expect(friend.score).to.be.gte(folds.reduce((a, b) => (a < b ? a : b)));
    };

    // Round 1 ran for 60 days with nobody: its whole emission is carried.
    expect(await subnet.round()).to.equal(1n);
    const r1 = await playRound([]);
    expect(r1.consensusComputed).to.equal(false);
    expect(r1.carried).to.be.gt(0n);

    // Round 2: contributors register and validators stake; nobody is eligible yet (registered during
    // the round), so the sheets enter a consensus over no contributor and nothing is paid.
    for (const [i, c] of contributors.entries()) {
      await (await subnet.connect(c).register(`https://contributor-${i}.example`)).wait();
      expect(await subnet.contributorSlot(c.address)).to.equal(BigInt(i));
      members.set(i, { signer: c, joined: await subnet.round() });
    }
    for (const [i, v] of validators.entries()) {
      await (await subnet.connect(v).stake(STAKES[i])).wait();
      permits.set(Number(await subnet.validatorSlot(v.address)), { signer: v, stake: STAKES[i], strikes: 0 });
    }
    let truth = truthFor(contributors.length, weights.length);
    const r2 = await playRound([
      plan(v0, honest(truth)),
      plan(v1, honest(truth)),
      plan(v2, honest(truth)),
      plan(v3, colluding(truth)),
      plan(v4, honest(truth)),
    ]);
    expect(r2.contributors).to.have.length(0);
    expect(r2.paid).to.equal(0n);

    // Round 3: the first paying round; the colluder gets a strike.
    truth = truthFor(contributors.length, weights.length);
    let sheets = [honest(truth), honest(truth), honest(truth), colluding(truth), honest(truth)];
    const r3 = await playRound(validators.map((v, i) => plan(v, sheets[i])));
    expect(r3.paid).to.be.gt(0n);
    expectFriendHonest(r3, [sheets[0], sheets[1], sheets[2], sheets[4]]);
    expect(r3.validators.find((v) => v.account === v3.address)!.strikes).to.equal(1);
    expect(r3.validators.filter((v) => v.strikes > 0)).to.have.length(1);

    // Round 4: contributor 5 leaves (bond and rewards paid back) and a late contributor takes slot 5;
    // v4 commits and does not reveal; the colluder's second strike expels it; emission arrives in the
    // middle of the finalization.
    const leaver = contributors[5];
    const before = await token.balanceOf(leaver.address);
    await (await subnet.connect(leaver).deregister()).wait();
    expect((await token.balanceOf(leaver.address)) - before).to.equal(PARAMS.bond + book.of(leaver.address));
    book.clear(leaver.address);
    members.delete(5);
    await (await subnet.connect(late).register("https://late.example")).wait();
    expect(await subnet.contributorSlot(late.address)).to.equal(5n);
    members.set(5, { signer: late, joined: await subnet.round() });
    truth = truthFor(contributors.length, weights.length);
    sheets = [honest(truth), honest(truth), honest(truth), colluding(truth), honest(truth)];
    const r4 = await playRound(
      validators.map((v, i) => plan(v, sheets[i], i !== 4)),
      true,
    );
    expect(r4.contributors.map((c) => c.slot)).to.deep.equal([0, 1, 2, 3, 4]); // the late one waits
    expect(r4.expelled).to.deep.equal([
      { slot: 3, account: v3.address, reason: ExpelReason.LowAgreement },
      { slot: 4, account: v4.address, reason: ExpelReason.NoReveal },
    ]);
    expectFriendHonest(r4, [sheets[0], sheets[1], sheets[2]]);
    for (const v of [v3, v4]) {
      await expect(subnet.validatorSlot(v.address)).to.be.revertedWithCustomError(subnet, "NotValidator");
    }

    // Round 5: the late contributor is eligible; v2 reveals a short sheet (rows 4-5 count as zero);
    // governance queues three metrics for the next round.
    await (await subnet.setMetricWeights([5000, 3000, 2000])).wait();
    truth = truthFor(contributors.length, weights.length);
    const r5 = await playRound([
      plan(v0, honest(truth)),
      plan(v1, honest(truth)),
      plan(v2, honest(truth).slice(0, 4)),
    ]);
    expect(r5.contributors.map((c) => c.account)).to.include(late.address);
    expect(r5.validators.find((v) => v.account === v2.address)!.agreement).to.be.lt(10_000n);

    // Rounds 6 and 7 score three metrics.
    weights = [5000, 3000, 2000];
    for (let r = 0; r < 2; r++) {
      truth = truthFor(contributors.length, weights.length);
      await playRound([plan(v0, honest(truth)), plan(v1, honest(truth)), plan(v2, honest(truth))]);
    }

    // ----- everyone claims; the expelled withdraw their stake after the unbonding delay -----
    for (const a of [owner, ...contributors.slice(0, 5), late, ...validators]) {
      const owed = book.of(a.address);
      const tx = subnet.connect(a).claim();
      if (owed > 0n) await expect(tx).to.emit(subnet, "Claimed").withArgs(a.address, owed);
      await expect(tx).to.changeTokenBalances(token, [a, subnet], [owed, -owed]);
      book.clear(a.address);
    }
    await time.increase(PARAMS.unbondingDelay);
    for (const [v, stake] of [
      [v3, STAKES[3]],
      [v4, STAKES[4]],
    ] as const) {
      await expect(subnet.connect(v).withdrawUnbonded()).to.changeTokenBalance(token, v, stake);
    }

    // Every account holds exactly what it was given, minus what it still locks, plus what it earned.
    const locked = new Map<string, bigint>([
      ...contributors.slice(0, 5).map((c) => [c.address, PARAMS.bond] as const),
      [late.address, PARAMS.bond] as const,
      ...[v0, v1, v2].map((v, i) => [v.address, STAKES[i]] as const),
    ]);
    for (const a of everyone) {
      const expected = (funded.get(a) ?? 0n) - (locked.get(a) ?? 0n) + (earned.get(a) ?? 0n);
      expect(await token.balanceOf(a), `final balance of ${a}`).to.equal(expected);
    }
    expect(await subnet.totalClaimable()).to.equal(0n);
    expect(await subnet.totalBonds()).to.equal(6n * PARAMS.bond);
    expect(await subnet.totalStake()).to.equal(STAKES[0] + STAKES[1] + STAKES[2]);
    expect(await subnet.totalUnbonding()).to.equal(0n);
    await expectSolvent(subnet, await token.balanceOf(subnetAddress), true);

    // Everything the subnet pulled from the bucket was credited (and claimed) or is still carried.
    const credited = outcomes.reduce((a, o) => a + o.paid, 0n);
    expect(credited + pending).to.equal(totalPulled);
    expect(outcomes.filter((o) => o.consensusComputed)).to.have.length(6);
  }

  it("credits every round exactly as the reference, finalizing in one transaction per round", async () => {
    await scenario(256);
  });

  it("credits every round exactly as the reference, finalizing in pages of 2 contributors", async () => {
    await scenario(2);
  });
});
