/**
 * Issue 15's subnet guardrails: a slash that always arrives before unbonded stake can leave, evictions
 * that cost the evictor and not the evicted, registration in O(1), and exits no stalled round blocks.
 * Each GUARD- test runs a scenario of scripts/bench/subnet-guardrails.ts (the numbers merged into
 * reports/adversarial.json) and fails if the guardrail breaks. The standalone scenarios share one full
 * subnet (256 contributors past immunity, 4 honest validators), loaded from a snapshot.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY } from "../../scripts/lib/chain/constants";
import { fundedAccounts } from "../../scripts/lib/chain/accounts";
import { DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import { deployStandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import {
  EvictionOutcome,
  deployFullSubnet,
  slashEscape,
  stalledRound,
  sybilRefresh,
  tenEvictionsInOneDay,
} from "../../scripts/bench/subnet-guardrails";

const TTD = 10n ** 18n;
const UNBONDING = DEFAULT_SUBNET_PARAMS.unbondingDelay;

describe("Subnet guardrails: slashing, evictions, exits (issue 15)", function () {
  this.timeout(600_000);

  it("GUARD-11: a slash proposed the day a validator starts unbonding takes the whole stake", async () => {
    const m = await slashEscape();
    expect(m["slash.escape.unbondingDays"]).to.equal(15);
    expect(m["slash.escape.proposalDelayAfterUnbondingDays"]).to.be.lt(1);
    // Voting delay 1 day + period 5 days + timelock 2 days (the defaults), and a few seconds.
    expect(m["slash.escape.governancePathDays"]).to.be.gte(8).and.lt(8.01);
    expect(m["slash.escape.timelockDelayDays"]).to.equal(2);
    expect(m["slash.escape.earlyWithdrawalsTried"]).to.equal(6);
    expect(m["slash.escape.earlyWithdrawalsFailed"], "every early withdrawal: StillUnbonding").to.equal(6);
    expect(m["slash.escape.unbondingTtd"]).to.equal(10_000);
    expect(m["slash.escape.slashedTtd"]).to.equal(10_000);
    expect(m["slash.escape.slashedFraction"]).to.equal(1);
    expect(m["slash.escape.leftUnbondingTtd"]).to.equal(0);
    expect(m["slash.escape.withdrawalAtReleaseFailed"]).to.equal(1);
  });

  it("GUARD-12: an outbid validator's earlier unbonding keeps its release time", async () => {
    const [deployer] = await ethers.getSigners();
    const { token, subnet } = await deployStandaloneSubnet(deployer);
    const address = await subnet.getAddress();
    const accounts = await fundedAccounts("subnet-guardrails/outbid", 65);
    const [alice, outsider, ...others] = accounts;
    for (const a of accounts) {
      await (await token.mint(a.address, 1_000n * TTD)).wait();
      await (await token.connect(a).approve(address, ethers.MaxUint256)).wait();
    }
    await (await subnet.connect(alice).stake(300n * TTD)).wait();
    for (const o of others) await (await subnet.connect(o).stake(200n * TTD)).wait();
    expect(await subnet.validatorCount()).to.equal(64);

    // Alice unbonds half; six hours later (still the commit phase) a larger stake takes her permit.
    const first = await (await subnet.connect(alice).unstake(150n * TTD)).wait();
    const firstRelease = BigInt((await first!.getBlock()).timestamp) + UNBONDING;
    await time.increase(6n * 3600n);
    const outbid = await (await subnet.connect(outsider).stake(151n * TTD)).wait();
    const secondRelease = BigInt((await outbid!.getBlock()).timestamp) + UNBONDING;
    await expect(outbid).to.emit(subnet, "ValidatorExpelled").withArgs(alice.address, 0n, 2n); // Outbid
    const parts = await subnet.unbondings(alice.address);
    expect(parts.map((p) => [p.amount, p.releaseAt])).to.deep.equal([
      [150n * TTD, firstRelease],
      [150n * TTD, secondRelease],
    ]);
    const [total, last] = await subnet.unbonding(alice.address);
    expect([total, last]).to.deep.equal([300n * TTD, secondRelease]);

    // The first part leaves at its own time, not the outbid's.
    await time.setNextBlockTimestamp(firstRelease - 1n);
    await expect(subnet.connect(alice).withdrawUnbonded())
      .to.be.revertedWithCustomError(subnet, "StillUnbonding")
      .withArgs(firstRelease);
    await time.setNextBlockTimestamp(firstRelease);
    await expect(subnet.connect(alice).withdrawUnbonded())
      .to.emit(subnet, "UnbondedWithdrawn")
      .withArgs(alice.address, 150n * TTD);
    const left = await subnet.unbondings(alice.address);
    expect(left.map((p) => [p.amount, p.releaseAt])).to.deep.equal([[150n * TTD, secondRelease]]);
    await time.setNextBlockTimestamp(secondRelease - 1n);
    await expect(subnet.connect(alice).withdrawUnbonded())
      .to.be.revertedWithCustomError(subnet, "StillUnbonding")
      .withArgs(secondRelease);
    await time.setNextBlockTimestamp(secondRelease);
    await expect(subnet.connect(alice).withdrawUnbonded()).to.changeTokenBalance(token, alice, 150n * TTD);
    expect(await subnet.unbondings(alice.address)).to.have.length(0);
  });

  describe("a full subnet (256 contributors past immunity)", () => {
    let eviction: EvictionOutcome | undefined;
    async function evicted(): Promise<EvictionOutcome> {
      const f = await loadFixture(deployFullSubnet);
      eviction ??= await tenEvictionsInOneDay(f);
      return eviction;
    }

    it("GUARD-21: ten evictions in a day burn more than ten days of a median contributor's reward", async () => {
      const { metrics: m, registrations } = await evicted();
      expect(m["eviction.tenInOneDay.phase"], "in the reveal phase").to.equal(1);
      expect(m["eviction.tenInOneDay.seconds"]).to.be.lt(Number(DAY));
      expect(registrations).to.have.length(10);
      // Every eviction burns the floor: 2x the last round's mean contributor reward.
      const mean = m["eviction.meanDailyRewardTtd"];
      for (const r of registrations) expect(Number(ethers.formatEther(r.fee))).to.be.closeTo(2 * mean, 1e-9);
      expect(m["eviction.tenInOneDay.burnedTtd"]).to.be.closeTo(20 * mean, 1e-9);
      expect(m["eviction.medianDailyRewardTtd"]).to.be.gt(0);
      expect(m["eviction.tenInOneDay.burnedTtd"]).to.be.gte(10 * m["eviction.medianDailyRewardTtd"]);
      expect(m["eviction.burnedOverTenMedianDays"]).to.be.gte(1);
    });

    it("GUARD-22: an evicted contributor is paid for the round in flight (victim loss 0)", async () => {
      const { metrics: m, victims } = await evicted();
      expect(victims).to.have.length(10);
      for (const v of victims) {
        expect(v.counterfactual, "the victim had a share of the round").to.be.gt(0n);
        expect(v.credited).to.equal(v.counterfactual);
        expect(v.bondKept).to.equal(0n);
      }
      expect(m["eviction.victimLossTtd"]).to.equal(0);
      expect(m["eviction.victimCreditedTtd"]).to.equal(m["eviction.victimCounterfactualTtd"]);
    });

    it("GUARD-23: registration in a full subnet costs at most 300,000 gas and evicts from the list (O(1))", async () => {
      const { metrics: m, registrations } = await evicted();
      expect(m["eviction.tenInOneDay.fromListInOrder"], "the listed slots, lowest score first").to.equal(1);
      for (const r of registrations) {
        expect(r.slot).to.equal(r.listed);
        expect(r.gas).to.be.lte(300_000);
      }
      expect(m["eviction.register.maxGas"]).to.be.lte(300_000);
      // O(1): the tenth eviction (skipping nine used entries) costs about the first.
      expect(Math.abs(m["eviction.register.lastGas"] - m["eviction.register.firstGas"])).to.be.lt(25_000);
      // The list of a finalized round is the 16 lowest-scored.
      const f = await loadFixture(deployFullSubnet);
      const listed = await f.subnet.evictionCandidates();
      expect(listed).to.have.length(16);
      const scores = await Promise.all(listed.map(async (s) => (await f.subnet.contributorAt(s)).lastScore));
      const all = await Promise.all(
        Array.from({ length: 256 }, async (_, j) => (await f.subnet.contributorAt(j)).lastScore),
      );
      const sixteenth = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[15];
      for (const s of scores) expect(s).to.be.lte(sixteenth);
    });

    let sybil: Record<string, number> | undefined;
    async function refreshed(): Promise<Record<string, number>> {
      const f = await loadFixture(deployFullSubnet);
      sybil ??= await sybilRefresh(f);
      return sybil;
    }

    it("GUARD-24: re-registering does not restart immunity for free: a sybil that deregisters and registers again burns the fee each time", async () => {
      const m = await refreshed();
      expect(m["sybil.refresh.count"]).to.equal(256);
      expect(m["sybil.refresh.immunityRestarted"]).to.equal(256);
      expect(m["sybil.refresh.minFeeTtd"]).to.equal(1);
      expect(m["sybil.refresh.leastFeeTtd"]).to.be.gte(m["sybil.refresh.minFeeTtd"]);
      expect(m["sybil.refresh.burnedTtd"]).to.be.gte(256 * m["sybil.refresh.minFeeTtd"]);
    });

    // A refresh frees the slot for an instant: it pays the eviction floor all the same (2x the mean
    // reward), so keeping a full subnet's 256 slots immune costs 256 floors per immunity period.
    it("GUARD-25: a sybil refresh in a full subnet burns the eviction floor, not the demand price", async () => {
      const m = await refreshed();
      expect(m["sybil.refresh.leastFeeTtd"], "a refresh in a full subnet burns the eviction floor").to.be.gte(
        m["sybil.refresh.evictionFloorTtd"],
      );
      expect(m["sybil.refresh.burnedTtd"]).to.be.gte(256 * m["sybil.refresh.evictionFloorTtd"]);
    });

    it("GUARD-31: exits are never blocked by a stalled round (deregister and unstake succeed while the closed round waits)", async () => {
      const f = await loadFixture(deployFullSubnet);
      const m = await stalledRound(f);
      expect(m["stalledRound.deregisterBlockedSeconds"]).to.equal(0);
      expect(m["stalledRound.unstakeBlockedSeconds"]).to.equal(0);
      expect(m["stalledRound.exitBlockedSeconds"]).to.equal(0);
      expect(m["stalledRound.midFinalizationStage"], "mid-finalization (consensus pages)").to.equal(1);
      expect(m["stalledRound.midFinalizationExitBlockedSeconds"]).to.equal(0);
      expect(m["stalledRound.departedPaidTtd"], "the two leavers are paid for the round").to.be.gt(0);
    });

    it("GUARD-32: whoever finalizes is tipped, within 1% of the round's pool", async () => {
      const f = await loadFixture(deployFullSubnet);
      const m = await stalledRound(f);
      expect(
        m["stalledRound.keeperTipIsBpsOfEmission"],
        "tip = keeperTipBps of the round's emission",
      ).to.equal(1);
      expect(m["stalledRound.keeperTipTtd"]).to.be.gt(0);
      expect(m["stalledRound.keeperTipBpsOfPool"]).to.be.closeTo(10, 0.01);
      expect(m["stalledRound.keeperTipBpsOfPool"]).to.be.lte(100);
      expect(m["stalledRound.keeperClaimableTtd"]).to.equal(m["stalledRound.keeperTipTtd"]);
      expect(await f.subnet.keeperTipBps()).to.equal(10n);
    });
  });
});
