import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployCore } from "../../scripts/lib/deploy";

describe("smoke", () => {
  it("deploys, distributes, stakes and claims", async () => {
    const [deployer, alice] = await ethers.getSigners();
    const core = await deployCore(deployer);
    await core.mockStakingToken!.mint(alice.address, ethers.parseEther("100"));
    await core.mockStakingToken!.connect(alice).approve(await core.pool.getAddress(), ethers.MaxUint256);
    await core.pool.connect(alice).deposit(ethers.parseEther("100"));
    await time.increase(86400);
    const tx = await core.controller.distribute();
    const r = await tx.wait();
    console.log("distribute gas", r!.gasUsed);
    await time.increase(7 * 86400);
    const c = await (await core.pool.connect(alice).claim()).wait();
    console.log("claim gas", c!.gasUsed, await core.token.balanceOf(alice.address));
    expect(await core.token.balanceOf(alice.address)).to.be.gt(0n);
  });
});
