/**
 * End to end proof of contribution on the whole system (`deployCore`): governance (the deployer, the
 * AccessManager's admin) opens a second subnet in the code bucket and splits the bucket 50/50 with the
 * genesis subnet; contributors and validators are paid TTD from the protection fund after 60 days of
 * emission; then rounds of commit / reveal / paged finalization run with emission flowing through
 * `controller.distribute()`. Every round is held to the bigint reference (scripts/lib/models/poc-reference.ts)
 * to the wei: the pool (the bucket's 50% modelled independently), every event, every claimable balance,
 * consensus lanes, strikes and expulsions. Scenario: a colluding validator inflates a friend (strikes,
 * then expelled for low agreement), one validator commits without revealing (expelled; its last sheet
 * stops counting: it may not choose between its commitment and its old sheet), a contributor leaves and a late one takes its slot
 * (ineligible for the round it joins), a short sheet, a metric-weights change, a validator that skips a
 * round (its sheet, folded with the old weights, stays in force and earns nothing), a validator that
 * stakes and never reveals (expelled as inactive after `activityCutoff` rounds), and emission arriving
 * in the middle of a paged finalization.
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
import { ExpelReason, RoundOutcome, SubnetState } from "../../scripts/lib/models/poc-reference";
import { Rng } from "../../scripts/lib/chain/random";
import {
  ClaimBook,
  SheetPlan,
  commitAndReveal,
  expectSolvent,
  toPhase,
  trackedDeregister,
  trackedFinalize,
  trackedRegister,
  trackedStake,
} from "../utils/subnet-rounds";
import { distributeWithEvent } from "../utils/chain";

const TTD = 10n ** 18n;
const PARAMS: SubnetParams = {
  ...DEFAULT_SUBNET_PARAMS,
  agreementThreshold: 9500,
  maxStrikes: 2,
  activityCutoff: 3,
};
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
    const idler = signers[14];
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
    await (await code.setFloors([genesis, subnet], [5000, 5000])).wait();
    return { core, deployer, owner, contributors, late, validators, idler, subnet };
  }

  /**
   * The whole scenario, finalizing `page` contributor steps per transaction (consensus then credit:
   * with 6 contributor slots, page 2 takes 6 transactions a round, page 256 one).
   */
  async function scenario(page: number): Promise<void> {
    const {
      core,
      deployer: keeper,
      owner,
      contributors,
      late,
      validators,
      idler,
      subnet,
    } = await loadFixture(fixture);
    const { controller, token, protectionFund } = core;
    const [code] = core.buckets;
    const subnetAddress = await subnet.getAddress();
    const rng = new Rng(2024);

    // ----- the code bucket, modelled: 24% of each distribution, split 50/50, remainders carried to the floors -----
    let unallocated = 0n;
    let allocation = 0n; // owed to our subnet by the bucket, pulled at each finalization
    const distribute = async (): Promise<void> => {
      const { log } = await distributeWithEvent(controller);
      // The bucket is not notified (no hook): it splits by balance at the subnet's next pull, or when
      // anyone calls allocate. Nothing moved yet; split now, as a keeper would.
      expect(await code.allocation(subnetAddress), "no split without a pull").to.equal(allocation);
      await (await code.allocate()).wait();
      // The new emission is split by the floors; the carried remainder goes to the floors too.
      const received = log.args.amounts[0];
      const share = (received * 5000n) / 10_000n + (unallocated * 5000n) / 10_000n;
      allocation += share;
      unallocated = unallocated + received - 2n * share;
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
      ...[...validators, idler].map((v) => [v, VALIDATOR_FUNDS] as const),
    ]) {
      await (await protectionFund.release(token, who.address, amount)).wait();
      await (await token.connect(who).approve(subnetAddress, ethers.MaxUint256)).wait();
      funded.set(who.address, amount);
    }

    // ----- the reference's state -----
    const everyone = [owner, ...contributors, late, ...validators, idler].map((s) => s.address);
    const book = new ClaimBook();
    const earned = new Map<string, bigint>();
    const state = new SubnetState(await subnet.roundStart());
    let pending = 0n;
    let totalPulled = 0n;
    let weights = [...DEFAULT_METRIC_WEIGHTS];
    const outcomes: RoundOutcome[] = [];

    /** Commits/reveals `plans`, lets emission flow, finalizes in pages and checks everything. */
    const playRound = async (plans: SheetPlan[], midFinalizationEmission = false): Promise<RoundOutcome> => {
      const round = await subnet.round();
      await commitAndReveal(subnet, plans, weights.length, { state, weights });
      await toPhase(subnet, "closed");
      await time.increase(3600);
      await distribute();
      // The first page's pull splits again: nothing new arrived, and the floors take what is carried.
      const carriedShare = (unallocated * 5000n) / 10_000n;
      allocation += carriedShare;
      unallocated -= 2n * carriedShare;
      const pool = pending + allocation;
      totalPulled += allocation;
      allocation = 0n; // pulled by the first page
      const { outcome, record } = await trackedFinalize(subnet, state, {
        pool,
        params: PARAMS,
        owner: owner.address,
        maxSteps: page,
        betweenPages: async (done) => {
          expect(await subnet.phase(), "closed while finalizing").to.equal(2n);
          if (midFinalizationEmission && done === 1) {
            await time.increase(600);
            await distribute(); // reaches the bucket, not this round's pool
          }
        },
      });
      // Consensus then credit, `page` slots a transaction across both stages; the last page also pays
      // the validators and the owner. Without reveals, one transaction.
      const slots = Number(await subnet.contributorSlotsUsed());
      const pages = outcome.consensusComputed ? Math.ceil((2 * slots) / page) : 1;
      expect(record.pages, `round ${round}: pages`).to.equal(pages);

      pending = outcome.carried;
      expect(await subnet.pendingEmission(), `round ${round}: pendingEmission`).to.equal(pending);
      book.credit(outcome);
      for (const [a, x] of outcome.credits) earned.set(a, (earned.get(a) ?? 0n) + x);
      await book.expectMatches(subnet, everyone, `round ${round}`);
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
      expect(await trackedRegister(subnet, state, c, `https://contributor-${i}.example`)).to.equal(i);
    }
    for (const [i, v] of validators.entries())
      expect(await trackedStake(subnet, state, v, STAKES[i])).to.equal(i);
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
    // v4 commits and does not reveal (its round-3 sheet no longer counts); the colluder's second
    // strike expels it; a validator stakes and will never reveal; emission arrives in the middle of the
    // finalization.
    const leaver = contributors[5];
    const before = await token.balanceOf(leaver.address);
    await trackedDeregister(subnet, state, leaver);
    expect((await token.balanceOf(leaver.address)) - before).to.equal(PARAMS.bond + book.of(leaver.address));
    book.clear(leaver.address);
    // The leaver is still scored and paid for round 4 (it registered before it started); the late
    // contributor in its slot is not, and has no history there (its lagged value is 0).
    expect(await trackedRegister(subnet, state, late, "https://late.example")).to.equal(5);
    const idlerSlot = await trackedStake(subnet, state, idler, PARAMS.minValidatorStake);
    truth = truthFor(contributors.length, weights.length);
    sheets = [honest(truth), honest(truth), honest(truth), colluding(truth), honest(truth)];
    const r4 = await playRound(
      validators.map((v, i) => plan(v, sheets[i], i !== 4)),
      true,
    );
    // Slot 5 is scored for the leaver (it worked the round), not for the late one, who waits.
    expect(r4.contributors.map((c) => [c.slot, c.account])).to.deep.equal(
      contributors.slice(0, 6).map((c, j) => [j, c.address]),
    );
    expect(r4.expelled).to.deep.equal([
      { slot: 3, account: v3.address, reason: ExpelReason.LowAgreement },
      { slot: 4, account: v4.address, reason: ExpelReason.NoReveal },
    ]);
    expect(r4.active).to.deep.equal([0, 1, 2, 3]); // v4 withheld its reveal: its round-3 sheet is out
    expect(r4.fresh).to.deep.equal([0, 1, 2, 3]);
    expect(r4.validators.map((v) => v.slot)).to.deep.equal([0, 1, 2, 3]); // v4 earns nothing
    expect(r4.lagged, "round 3's consensus, of other truths").to.be.lt(r4.median);
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

    // Rounds 6 and 7 score three metrics. In round 6, v1 skips: its round-5 sheet (four metrics) stays
    // in force and earns nothing; its strikes stay. In round 7 the idle permit is expelled.
    weights = [5000, 3000, 2000];
    truth = truthFor(contributors.length, weights.length);
    const v1Strikes = state.validator(1).strikes;
    const r6 = await playRound([plan(v0, honest(truth)), plan(v2, honest(truth))]);
    expect(r6.active).to.deep.equal([0, 1, 2]);
    expect(r6.fresh).to.deep.equal([0, 2]);
    expect(r6.sheets[1].fresh).to.equal(false);
    expect(r6.validators.map((v) => v.slot)).to.deep.equal([0, 2]);
    expect(state.validator(1).strikes).to.equal(v1Strikes);
    expect(r6.expelled).to.deep.equal([]);
    truth = truthFor(contributors.length, weights.length);
    const r7 = await playRound([plan(v0, honest(truth)), plan(v1, honest(truth)), plan(v2, honest(truth))]);
    expect(r7.expelled).to.deep.equal([
      { slot: idlerSlot, account: idler.address, reason: ExpelReason.Inactive },
    ]);

    // ----- everyone claims; the expelled withdraw their stake after the unbonding delay -----
    // (The leaver too: it was paid for round 4, the round it left in.)
    for (const a of [owner, ...contributors, late, ...validators, idler]) {
      const owed = book.of(a.address);
      const tx = subnet.connect(a).claim();
      if (owed > 0n) await expect(tx).to.emit(subnet, "Claimed").withArgs(a.address, owed);
      await expect(tx).to.changeTokenBalances(token, [a, subnet], [owed, -owed]);
      book.clear(a.address);
    }
    // The keeper (the deployer finalized every round) claims its tips.
    const tips = book.of(keeper.address);
    expect(tips, "keeper tips").to.equal(outcomes.reduce((a, o) => a + o.tip, 0n));
    await expect(subnet.connect(keeper).claim()).to.changeTokenBalance(token, keeper, tips);
    book.clear(keeper.address);
    await time.increase(PARAMS.unbondingDelay);
    for (const [v, stake] of [
      [v3, STAKES[3]],
      [v4, STAKES[4]],
      [idler, PARAMS.minValidatorStake],
    ] as const) {
      await expect(subnet.connect(v).withdrawUnbonded()).to.changeTokenBalance(token, v, stake);
    }

    // Every account holds exactly what it was given, minus what it still locks, plus what it earned.
    const locked = new Map<string, bigint>([
      ...contributors.slice(0, 5).map((c) => [c.address, PARAMS.bond] as const),
      [late.address, PARAMS.bond] as const,
      ...[v0, v1, v2].map((v, i) => [v.address, STAKES[i]] as const),
    ]);
    // Registration fees are burned (issue 15): what each contributor paid to register is gone.
    const burned = new Map<string, bigint>();
    for (const e of await subnet.queryFilter(subnet.filters.RegistrationFeeBurned())) {
      burned.set(e.args.account, (burned.get(e.args.account) ?? 0n) + e.args.fee);
    }
    for (const a of everyone) {
      const expected =
        (funded.get(a) ?? 0n) - (locked.get(a) ?? 0n) + (earned.get(a) ?? 0n) - (burned.get(a) ?? 0n);
      expect(await token.balanceOf(a), `final balance of ${a}`).to.equal(expected);
    }
    expect(await subnet.totalClaimable()).to.equal(0n);
    expect(await subnet.totalBonds()).to.equal(6n * PARAMS.bond);
    expect(await subnet.totalStake()).to.equal(STAKES[0] + STAKES[1] + STAKES[2]);
    expect(await subnet.totalUnbonding()).to.equal(0n);
    await expectSolvent(subnet, await token.balanceOf(subnetAddress), true);

    // Everything the subnet pulled from the bucket was credited (and claimed) or is still carried.
    const credited = outcomes.reduce((a, o) => a + o.paid + o.tip, 0n);
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
