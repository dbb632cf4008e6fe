import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Bucket, DAY, DEFAULT_SHARES, Shares } from "../../scripts/lib/chain/constants";
import { deployCore } from "../utils/deploy";
import { signPermit } from "../../scripts/lib/chain/permit";
import { cumulative, split } from "../../scripts/lib/models/schedule";

/** End to end: deploy -> time passes -> distribute -> stake -> claim, with a share change and a treasury payout. */
describe("e2e: core economy lifecycle", () => {
  async function fixture() {
    const [deployer, alice, bob, grantee, stranger] = await ethers.getSigners();
    const core = await deployCore(deployer);
    const stake = core.mockStakingToken!;
    const poolAddress = await core.pool.getAddress();
    for (const u of [alice, bob]) {
      await stake.mint(u.address, ethers.parseEther("10000"));
      await stake.connect(u).approve(poolAddress, ethers.MaxUint256);
    }
    return { core, deployer, alice, bob, grantee, stranger, poolAddress };
  }

  it("mints the schedule exactly, pays buckets by shares over time and capital stakers pro rata", async () => {
    const { core, alice, bob, grantee, stranger, poolAddress } = await loadFixture(fixture);
    const { controller, pool, token } = core;
    const expectedBuckets = [0n, 0n, 0n, 0n, 0n];
    let shares: Shares = [...DEFAULT_SHARES];

    const distribute = async () => {
      const before = await controller.lastDistribution();
      await controller.distribute();
      const after = await controller.lastDistribution();
      const minted = cumulative(core.schedule, after) - cumulative(core.schedule, before);
      split(minted, shares).forEach((a, i) => (expectedBuckets[i] += a));
    };

    // Time passes before anyone stakes: the capital share is not lost, it waits in a frozen stream.
    await time.increase(3n * DAY);
    await distribute();
    await pool.connect(alice).deposit(ethers.parseEther("1000"));
    const sig = await signPermit(
      core.mockStakingToken!,
      bob,
      poolAddress,
      ethers.parseEther("3000"),
      BigInt(await time.latest()) + DAY,
    );
    await pool
      .connect(bob)
      .depositWithPermit(ethers.parseEther("3000"), BigInt(await time.latest()) + DAY, sig.v, sig.r, sig.s);

    for (let d = 0; d < 10; d++) {
      await time.increase(DAY);
      await distribute();
    }

    // Governance (the deployer until the DAO exists) moves 10% from code to capital: not retroactive.
    const newShares: Shares = [1400, 2400, 2400, 3400, 400];
    await time.increase(DAY / 2n);
    const before = await controller.lastDistribution();
    await expect(controller.setShares(newShares)).to.emit(controller, "Distributed");
    const settled =
      cumulative(core.schedule, await controller.lastDistribution()) - cumulative(core.schedule, before);
    split(settled, shares).forEach((a, i) => (expectedBuckets[i] += a));
    shares = newShares;
    await expect(controller.connect(stranger).setShares(DEFAULT_SHARES))
      .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
      .withArgs(stranger.address);

    for (let d = 0; d < 10; d++) {
      await time.increase(DAY);
      await distribute();
    }
    await time.increase(8n * DAY); // the last stream runs out
    await distribute();

    // Supply equals the schedule to the wei, and each bucket received exactly its shares' amounts.
    const supply = await token.totalSupply();
    expect(supply).to.equal(cumulative(core.schedule, await controller.lastDistribution()));
    expect(supply).to.equal(await controller.totalEmitted());
    expect(expectedBuckets.reduce((a, b) => a + b, 0n)).to.equal(supply);
    for (const [i, bucket] of core.buckets.entries()) {
      expect(await token.balanceOf(await bucket.getAddress())).to.equal(expectedBuckets[i]);
    }
    expect(await token.balanceOf(await core.protectionFund.getAddress())).to.equal(
      expectedBuckets[Bucket.Protection],
    );

    // Capital: alice (1,000) and bob (3,000) joined in the same second, so bob earns 3x alice, all of it.
    await pool.connect(alice).exit();
    await pool.connect(bob).claim();
    const a = await token.balanceOf(alice.address);
    const b = await token.balanceOf(bob.address);
    const capital = expectedBuckets[Bucket.Capital];
    const { rate, finish } = await core.pool.rewardStream();
    const unstreamed =
      BigInt(await time.latest()) < finish ? rate * (finish - BigInt(await time.latest())) : 0n;
    // What is not paid is either still unstreamed, or the accumulator's carry (credited to the next
    // stakers), or the per-account floors: under 1 wei for each of the 4 settlements.
    const carried = (await core.pool.rewardCarry()) / 10n ** 18n;
    const dust = capital - unstreamed - carried - a - b;
    expect(dust).to.be.gte(0n);
    expect(dust).to.be.lte(4n + 1n);
    // bob's 1-second later start costs him one second of a 1,000/4,000 world: allow that and the floors.
    const perSecond = capital / (30n * DAY);
    expect(b - 3n * a).to.be.lte(perSecond);
    expect(3n * a - b).to.be.lte(perSecond * 4n);
    expect(await core.mockStakingToken!.balanceOf(alice.address)).to.equal(ethers.parseEther("10000"));

    // The protection fund pays only on governance's word.
    const fund = core.protectionFund;
    await expect(fund.connect(stranger).release(await token.getAddress(), grantee.address, 1n))
      .to.be.revertedWithCustomError(fund, "AccessManagedUnauthorized")
      .withArgs(stranger.address);
    await expect(fund.release(await token.getAddress(), grantee.address, ethers.parseEther("100")))
      .to.emit(fund, "Released")
      .withArgs(await token.getAddress(), grantee.address, ethers.parseEther("100"));
    expect(await token.balanceOf(grantee.address)).to.equal(ethers.parseEther("100"));
  });

  it("keeps distributing to the end of the schedule and then mints nothing, supply equal to the cap", async () => {
    const { core } = await loadFixture(fixture);
    await time.increaseTo((await core.controller.scheduleEnd()) + 1n);
    await core.controller.distribute();
    expect(await core.token.totalSupply()).to.equal(await core.token.cap());
    await time.increase(DAY);
    await expect(core.controller.distribute()).not.to.emit(core.controller, "Distributed");
    expect(await core.token.totalSupply()).to.equal(await core.token.cap());
  });
});
