/**
 * The subnet's part in the market, on a stand-alone subnet (scripts/lib/deploy/subnet-fixture.ts: its
 * bucket gives it a 100% floor; the token is a burnable, permit-capable stand-in for TTD):
 * - fees: `payFee` burns the bucket's `feeBurnBps` share (the supply drops) and keeps the rest as
 *   emission of the next finalized round; `payFeeWithPermit` pays with an EIP-2612 signature, and still
 *   pays when the permit was front-run;
 * - retirement: only the bucket retires a subnet; the round in flight is played and finalized, then the
 *   subnet is Retired (leftover emission to the protection fund, `finalizeRound` refused); no stake,
 *   registration or fee once retiring; every stake, bond and claimable stays withdrawable, a year later.
 * The keeper tip and the registration fee are off (their own tests are in Subnet.test.ts), so the
 * books are exact to the wei.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MaxUint256, id } from "ethers";
import { ContributionBucket, MockStakeToken, Subnet, Treasury } from "../../typechain-types";
import { DAY, YEAR } from "../../scripts/lib/chain/constants";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import { deployStandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import { finalizeRound, toPhase } from "../../scripts/lib/chain/rounds";
import { signPermit } from "../../scripts/lib/chain/permit";
import { commitAndReveal, owedBy } from "../utils/subnet-rounds";
import { underCoverage } from "../utils/coverage";
import { DEFAULT_GAUGE as GAUGE } from "../utils/market-defaults";
import { impersonate } from "../utils/chain";

const E = 10n ** 18n;
const BPS = 10_000n;
const P = DEFAULT_SUBNET_PARAMS;
const W = DEFAULT_METRIC_WEIGHTS;
const FUNDS = 100_000n * E;
const NO_FEE = { minFee: 0n, maxFee: 0n, interval: DAY, target: 4, evictionFloorBps: 0 };

enum Lifecycle {
  Live,
  Retiring,
  Retired,
}

interface Ctx {
  token: MockStakeToken;
  bucket: ContributionBucket;
  fund: Treasury;
  subnet: Subnet;
  address: string;
  admin: HardhatEthersSigner;
  owner: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  payer: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  contributors: HardhatEthersSigner[];
  validators: HardhatEthersSigner[];
}

async function base(): Promise<Ctx> {
  const signers = await ethers.getSigners();
  const [admin, owner, stranger, payer, keeper] = signers;
  const contributors = signers.slice(5, 9);
  const validators = signers.slice(9, 13);
  const { token, bucket, fund, subnet } = await deployStandaloneSubnet(admin, P, W, owner.address);
  const address = await subnet.getAddress();
  for (const a of [payer, ...contributors, ...validators]) {
    await token.mint(a.address, FUNDS);
    await token.connect(a).approve(address, MaxUint256);
  }
  await subnet.connect(admin).setKeeperTip(0);
  await subnet.connect(admin).setRegistrationPricing(NO_FEE);
  return {
    token,
    bucket,
    fund,
    subnet,
    address,
    admin,
    owner,
    stranger,
    payer,
    keeper,
    contributors,
    validators,
  };
}

/** Three contributors registered and three validators staked (100, 200, 300 TTD) in round 1, which is
 *  finalized without reveals: round 2 is open and everyone is eligible. */
async function ready(): Promise<Ctx> {
  const c = await base();
  for (const [i, a] of c.contributors.slice(0, 3).entries()) await c.subnet.connect(a).register(`c${i}`);
  for (const [i, v] of c.validators.slice(0, 3).entries())
    await c.subnet.connect(v).stake(BigInt(i + 1) * P.minValidatorStake);
  await toPhase(c.subnet, "closed");
  await finalizeRound(c.subnet.connect(c.keeper));
  return c;
}

/** Every validator of `ready` reveals the same sheet (all three contributors scored). */
function sheets(c: Ctx) {
  return c.validators.slice(0, 3).map((validator) => ({
    validator,
    rows: [
      [10, 10, 10, 10],
      [20, 20, 20, 20],
      [30, 30, 30, 30],
    ],
    reveal: true,
  }));
}

/** Plays the current round (commit, reveal, close) and finalizes it; returns RoundFinalized's args. */
async function playRound(c: Ctx): Promise<{ round: bigint; pool: bigint; paid: bigint }> {
  await commitAndReveal(c.subnet, sheets(c), W.length);
  await toPhase(c.subnet, "closed");
  const txs = await finalizeRound(c.subnet.connect(c.keeper));
  const last = (await txs[txs.length - 1].wait())!;
  const [e] = await c.subnet.queryFilter(c.subnet.filters.RoundFinalized, last.blockNumber, last.blockNumber);
  return { round: e.args.round, pool: e.args.pool, paid: e.args.paid };
}

/** The subnet holds exactly what it owes (and, before a finalization, the fees and emission not booked). */
async function expectSolvent(c: Ctx, unbooked = 0n): Promise<void> {
  const owed = await owedBy(c.subnet);
  expect(await c.token.balanceOf(c.address), "subnet balance == what it owes").to.equal(owed + unbooked);
}

describe("Subnet in the market: fees and retirement", () => {
  describe("payFee", () => {
    it("sets the bucket's burn share aside and burns it as the next finalization starts, keeps the rest unbooked, emits FeePaid, counts fees()", async () => {
      const c = await loadFixture(base);
      const supply = await c.token.totalSupply();
      const ref = id("invoice-1");
      const tx = c.subnet.connect(c.payer).payFee(100n * E, ref);
      await expect(tx)
        .to.emit(c.subnet, "FeePaid")
        .withArgs(c.payer.address, 100n * E, 50n * E, ref);
      await expect(tx).to.changeTokenBalances(c.token, [c.payer, c.subnet], [-100n * E, 100n * E]);
      // The burn share waits in the subnet: one supply checkpoint a round, not one a payment.
      expect(await c.token.totalSupply()).to.equal(supply);
      expect(await c.subnet.fees()).to.deep.equal([100n * E, 50n * E]);
      // Not emission yet: the next finalization books it.
      expect(await c.subnet.pendingEmission()).to.equal(0n);
      await expectSolvent(c, 100n * E);
      await c.subnet.connect(c.payer).payFee(3n, id("dust")); // 3 x 5,000 / 10,000 = 1 burned
      expect(await c.subnet.fees()).to.deep.equal([100n * E + 3n, 50n * E + 1n]);
      await toPhase(c.subnet, "closed");
      const round = await c.subnet.round();
      await expect(c.subnet.connect(c.keeper).finalizeRound(1_000n))
        .to.emit(c.subnet, "FeesBurned")
        .withArgs(round, 50n * E + 1n);
      expect(await c.token.totalSupply()).to.equal(supply - 50n * E - 1n);
      expect(await c.subnet.fees()).to.deep.equal([100n * E + 3n, 50n * E + 1n]);
      expect(await c.subnet.pendingEmission()).to.equal(50n * E + 2n);
      await expectSolvent(c);
    });

    it("the rest is the next finalized round's emission: contributors, validators and owner share it", async () => {
      const c = await loadFixture(ready);
      await c.subnet.connect(c.payer).payFee(1_000n * E, id("job-7"));
      const { pool, paid } = await playRound(c);
      expect(pool).to.equal(500n * E); // no bucket emission, no keeper tip: the fees' unburned half
      expect(await c.subnet.claimable(c.owner.address)).to.equal((pool * 500n) / BPS);
      let credited = await c.subnet.claimable(c.owner.address);
      for (const a of [...c.contributors, ...c.validators]) credited += await c.subnet.claimable(a.address);
      expect(credited).to.equal(paid);
      expect(paid).to.be.lte(pool);
      await expectSolvent(c);
    });

    it("follows the bucket's feeBurnBps: 0 burns nothing, 10,000 burns everything, 2,000 a fifth", async () => {
      const c = await loadFixture(base);
      for (const [bps, burned] of [
        [0n, 0n],
        [10_000n, 100n * E],
        [2_000n, 20n * E],
      ] as const) {
        await c.bucket.setGaugeParams({ ...GAUGE, feeBurnBps: bps });
        const supply = await c.token.totalSupply();
        await expect(c.subnet.connect(c.payer).payFee(100n * E, id(`fee-${bps}`)))
          .to.emit(c.subnet, "FeePaid")
          .withArgs(c.payer.address, 100n * E, burned, id(`fee-${bps}`));
        expect(await c.token.totalSupply(), `burn ${bps} waits for the round`).to.equal(supply);
      }
      expect(await c.subnet.fees()).to.deep.equal([300n * E, 120n * E]);
      await expectSolvent(c, 300n * E);
      const supply = await c.token.totalSupply();
      await toPhase(c.subnet, "closed");
      await finalizeRound(c.subnet.connect(c.keeper));
      expect(await c.token.totalSupply()).to.equal(supply - 120n * E);
      expect(await c.subnet.pendingEmission()).to.equal(180n * E);
      await expectSolvent(c);
    });

    it("reverts ZeroAmount for 0, and without the allowance or the balance", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.connect(c.payer).payFee(0n, id("x"))).to.be.revertedWithCustomError(
        c.subnet,
        "ZeroAmount",
      );
      await expect(c.subnet.connect(c.stranger).payFee(1n, id("x")))
        .to.be.revertedWithCustomError(c.token, "ERC20InsufficientAllowance")
        .withArgs(c.address, 0n, 1n);
      await c.token.connect(c.stranger).approve(c.address, MaxUint256);
      await expect(c.subnet.connect(c.stranger).payFee(1n, id("x")))
        .to.be.revertedWithCustomError(c.token, "ERC20InsufficientBalance")
        .withArgs(c.stranger.address, 0n, 1n);
    });

    it("gas of a fee payment (issue 16's budget for subnet.payFee: 90,000)", async function () {
      if (underCoverage()) this.skip(); // gas is measured on plain bytecode (tools/test.js PLAIN_ONLY)
      const c = await loadFixture(base);
      await c.subnet.connect(c.payer).payFee(1n * E, id("warm"));
      const gas = (await (await c.subnet.connect(c.payer).payFee(10n * E, id("measured"))).wait())!.gasUsed;
      console.log(`      payFee (second payment of the payer): ${gas} gas`);
      expect(gas).to.be.lte(90_000n);
    });
  });

  describe("payFeeWithPermit", () => {
    it("pays with an EIP-2612 signature and no prior approval", async () => {
      const c = await loadFixture(base);
      await c.token.mint(c.stranger.address, 10n * E);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signPermit(c.token, c.stranger, c.address, 10n * E, deadline);
      const tx = c.subnet
        .connect(c.stranger)
        .payFeeWithPermit(10n * E, id("p"), deadline, sig.v, sig.r, sig.s);
      await expect(tx)
        .to.emit(c.subnet, "FeePaid")
        .withArgs(c.stranger.address, 10n * E, 5n * E, id("p"));
      await expect(tx).to.changeTokenBalances(c.token, [c.stranger, c.subnet], [-10n * E, 10n * E]);
      expect(await c.token.nonces(c.stranger.address)).to.equal(1n);
      expect(await c.token.allowance(c.stranger.address, c.address)).to.equal(0n);
    });

    it("still pays when someone submitted the permit first (front-run): the allowance is there", async () => {
      const c = await loadFixture(base);
      await c.token.mint(c.stranger.address, 10n * E);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signPermit(c.token, c.stranger, c.address, 10n * E, deadline);
      await c.token
        .connect(c.keeper)
        .permit(c.stranger.address, c.address, 10n * E, deadline, sig.v, sig.r, sig.s);
      await expect(
        c.subnet.connect(c.stranger).payFeeWithPermit(10n * E, id("p"), deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(c.subnet, "FeePaid")
        .withArgs(c.stranger.address, 10n * E, 5n * E, id("p"));
      expect(await c.token.nonces(c.stranger.address)).to.equal(1n);
    });

    it("a permit signed by someone else (or for another amount) pays nothing: PermitFailed, with the token's reason", async () => {
      const c = await loadFixture(base);
      await c.token.mint(c.stranger.address, 10n * E);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const wrong = await signPermit(c.token, c.keeper, c.address, 10n * E, deadline);
      await expect(
        c.subnet.connect(c.stranger).payFeeWithPermit(10n * E, id("p"), deadline, wrong.v, wrong.r, wrong.s),
      )
        .to.be.revertedWithCustomError(c.subnet, "PermitFailed")
        .withArgs(c.stranger.address, 10n * E, 0n, anyValue);
      // A standing allowance short of the amount is named too.
      await c.token.connect(c.stranger).approve(c.address, 3n * E);
      const small = await signPermit(c.token, c.stranger, c.address, 1n * E, deadline);
      await expect(
        c.subnet.connect(c.stranger).payFeeWithPermit(10n * E, id("p"), deadline, small.v, small.r, small.s),
      )
        .to.be.revertedWithCustomError(c.subnet, "PermitFailed")
        .withArgs(c.stranger.address, 10n * E, 3n * E, anyValue);
      expect(await c.subnet.fees()).to.deep.equal([0n, 0n]);
    });
  });

  describe("retirement", () => {
    it("only the bucket may retire the subnet (NotBucket), and only once (SubnetRetired)", async () => {
      const c = await loadFixture(base);
      for (const who of [c.stranger, c.admin, c.owner])
        await expect(c.subnet.connect(who).retire())
          .to.be.revertedWithCustomError(c.subnet, "NotBucket")
          .withArgs(who.address);
      const bucket = await impersonate(await c.bucket.getAddress());
      await expect(c.subnet.connect(bucket).retire()).to.emit(c.subnet, "RetirementStarted").withArgs(1n);
      await expect(c.subnet.connect(bucket).retire()).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetRetired",
      );
    });

    it("kill: the round in flight is played and finalized (Retired, leftover to the fund), then no round starts and finalizeRound reverts SubnetRetired", async () => {
      const c = await loadFixture(ready);
      const round = await c.subnet.round();
      await c.token.mint(await c.bucket.getAddress(), 1_000n * E);
      await c.subnet.connect(c.payer).payFee(200n * E, id("before"));
      const tx = c.bucket.kill(c.address);
      await expect(tx).to.emit(c.bucket, "SubnetRetired").withArgs(c.address, 1n, true);
      await expect(tx).to.emit(c.subnet, "RetirementStarted").withArgs(round);
      expect(await c.subnet.lifecycle()).to.equal(Lifecycle.Retiring);
      // What arrived before the kill is the subnet's (split at the old list).
      expect(await c.bucket.allocation(c.address)).to.equal(1_000n * E);
      // While retiring: no new stake, registration or fee (the round is still in its commit phase).
      const [v0, , , v3] = c.validators;
      await expect(c.subnet.connect(v3).stake(P.minValidatorStake)).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetRetired",
      );
      await expect(c.subnet.connect(v0).stake(1n)).to.be.revertedWithCustomError(c.subnet, "SubnetRetired");
      await expect(c.subnet.connect(c.contributors[3]).register("late")).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetRetired",
      );
      await expect(c.subnet.connect(c.payer).payFee(1n * E, id("late"))).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetRetired",
      );
      // The round in flight is played: commitments, reveals, finalization as usual.
      const fundBefore = await c.token.balanceOf(await c.fund.getAddress());
      await commitAndReveal(c.subnet, sheets(c), W.length);
      await toPhase(c.subnet, "closed");
      const txs = await finalizeRound(c.subnet.connect(c.keeper));
      const receipt = (await txs[txs.length - 1].wait())!;
      const [finalized] = await c.subnet.queryFilter(c.subnet.filters.RoundFinalized, receipt.blockNumber);
      const [retired] = await c.subnet.queryFilter(c.subnet.filters.Retired, receipt.blockNumber);
      expect(finalized.args.round).to.equal(round);
      expect(finalized.args.pool).to.equal(1_100n * E); // the allocation and the fee's unburned half
      const leftover = finalized.args.pool - finalized.args.paid;
      expect(retired.args.round).to.equal(round);
      expect(retired.args.leftover).to.equal(leftover);
      expect(await c.subnet.queryFilter(c.subnet.filters.RoundStarted, receipt.blockNumber)).to.deep.equal(
        [],
      );
      expect(await c.token.balanceOf(await c.fund.getAddress())).to.equal(fundBefore + leftover);
      expect(await c.subnet.pendingEmission()).to.equal(0n);
      expect(await c.subnet.lifecycle()).to.equal(Lifecycle.Retired);
      expect(await c.subnet.round()).to.equal(round);
      await expectSolvent(c);
      // Wound down: the round never restarts, nothing is finalized again.
      await time.increase(30n * DAY);
      expect(await c.subnet.phase()).to.equal(2n); // Closed
      await expect(c.subnet.finalizeRound(100)).to.be.revertedWithCustomError(c.subnet, "SubnetRetired");
      await expect(c.subnet.connect(c.payer).payFee(1n * E, id("after"))).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetRetired",
      );
      // Stake and registration need the commit phase, which never comes back.
      await expect(c.subnet.connect(v3).stake(P.minValidatorStake)).to.be.reverted;
      await expect(c.subnet.connect(c.contributors[3]).register("late")).to.be.reverted;
      await expect(c.subnet.connect(v0).commit(id("x"))).to.be.revertedWithCustomError(
        c.subnet,
        "WrongPhase",
      );
    });

    it("a retiring round without sheets sends all its pending emission (allocation and fees) to the protection fund", async () => {
      const c = await loadFixture(base);
      await c.token.mint(await c.bucket.getAddress(), 400n * E);
      await c.subnet.connect(c.payer).payFee(100n * E, id("f"));
      await c.bucket.kill(c.address);
      const fund = await c.fund.getAddress();
      await toPhase(c.subnet, "closed");
      const tx = c.subnet.connect(c.keeper).finalizeRound(10);
      await expect(tx)
        .to.emit(c.subnet, "Retired")
        .withArgs(1n, 450n * E);
      // In: the allocation (400); out: the fee's burn share (50) and the leftover (450).
      await expect(tx).to.changeTokenBalances(c.token, [c.subnet, fund], [-100n * E, 450n * E]);
      expect(await c.subnet.pendingEmission()).to.equal(0n);
      expect(await c.token.balanceOf(c.address)).to.equal(0n);
    });

    it("killed while closed, not yet finalized: the next finalization is the last", async () => {
      const c = await loadFixture(ready);
      await toPhase(c.subnet, "closed");
      await c.bucket.kill(c.address);
      await expect(c.subnet.connect(c.keeper).finalizeRound(100)).to.emit(c.subnet, "Retired");
      expect(await c.subnet.lifecycle()).to.equal(Lifecycle.Retired);
    });

    it("a retired subnet's stakes, bonds and claimables stay withdrawable, a year later too", async () => {
      const c = await loadFixture(ready);
      await c.token.mint(await c.bucket.getAddress(), 1_000n * E);
      await c.bucket.kill(c.address);
      await playRound(c);
      expect(await c.subnet.lifecycle()).to.equal(Lifecycle.Retired);
      const owedTo = async (a: HardhatEthersSigner) => c.subnet.claimable(a.address);
      const ownerClaim = await owedTo(c.owner);
      expect(ownerClaim).to.equal((1_000n * E * 500n) / BPS);
      await time.increase(YEAR);
      // Validators: unstake everything (expelled below the minimum), wait the delay, withdraw; claim.
      for (const [i, v] of c.validators.slice(0, 3).entries()) {
        const stake = BigInt(i + 1) * P.minValidatorStake;
        await expect(c.subnet.connect(v).unstake(stake)).to.emit(c.subnet, "Unbonded");
        await expect(c.subnet.connect(v).withdrawUnbonded()).to.be.revertedWithCustomError(
          c.subnet,
          "StillUnbonding",
        );
        const dividend = await owedTo(v);
        await expect(c.subnet.connect(v).claim()).to.changeTokenBalance(c.token, v, dividend);
      }
      await time.increase(P.unbondingDelay);
      for (const [i, v] of c.validators.slice(0, 3).entries())
        await expect(c.subnet.connect(v).withdrawUnbonded()).to.changeTokenBalance(
          c.token,
          v,
          BigInt(i + 1) * P.minValidatorStake,
        );
      // Contributors: deregister, with the bond and the rewards.
      for (const a of c.contributors.slice(0, 3)) {
        const owed = P.bond + (await owedTo(a));
        await expect(c.subnet.connect(a).deregister()).to.changeTokenBalance(c.token, a, owed);
      }
      // The owner, a year and more later.
      await time.increase(YEAR);
      await expect(c.subnet.connect(c.owner).claim()).to.changeTokenBalance(c.token, c.owner, ownerClaim);
      // Everything went out: the subnet holds nothing and owes nothing.
      for (const n of [
        "totalBonds",
        "totalStake",
        "totalUnbonding",
        "totalClaimable",
        "pendingEmission",
      ] as const)
        expect(await c.subnet[n](), n).to.equal(0n);
      expect(await c.token.balanceOf(c.address)).to.equal(0n);
      expect(await c.subnet.contributorCount()).to.equal(0n);
      expect(await c.subnet.validatorCount()).to.equal(0n);
    });
  });
});
