import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { parseEther } from "ethers";
import {
  MockStakeToken,
  MockStakeToken__factory,
  TetradAccessManager,
  TetradAccessManager__factory,
  Treasury,
  Treasury__factory,
} from "../../typechain-types";

const FUNDS = parseEther("1000");

interface TreasuryFixture {
  manager: TetradAccessManager;
  treasury: Treasury;
  token: MockStakeToken;
  admin: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

async function deployTreasury(): Promise<TreasuryFixture> {
  const [admin, alice, stranger] = await ethers.getSigners();
  const manager = await new TetradAccessManager__factory(admin).deploy(admin.address);
  const treasury = await new Treasury__factory(admin).deploy(await manager.getAddress());
  const token = await new MockStakeToken__factory(admin).deploy("Mock", "MCK");
  await token.mint(await treasury.getAddress(), FUNDS);
  return { manager, treasury, token, admin, alice, stranger };
}

describe("Treasury", () => {
  it("is governed by the AccessManager", async () => {
    const { manager, treasury } = await loadFixture(deployTreasury);
    expect(await treasury.authority()).to.equal(await manager.getAddress());
  });

  it("release by the admin pays the recipient and emits Released", async () => {
    const { treasury, token, admin, alice } = await loadFixture(deployTreasury);
    const amount = parseEther("123.45");
    const tokenAddress = await token.getAddress();
    const treasuryAddress = await treasury.getAddress();
    const tx = treasury.connect(admin).release(tokenAddress, alice.address, amount);
    await expect(tx).to.emit(treasury, "Released").withArgs(tokenAddress, alice.address, amount);
    await expect(tx).to.changeTokenBalances(token, [treasuryAddress, alice.address], [-amount, amount]);
  });

  it("can release its whole balance, and not a wei more", async () => {
    const { treasury, token, admin, alice } = await loadFixture(deployTreasury);
    const tokenAddress = await token.getAddress();
    const treasuryAddress = await treasury.getAddress();
    // Without a limit (a new Treasury's default) everything is releasable, and not a wei more.
    expect(await treasury.releasable(tokenAddress)).to.equal(FUNDS);
    await expect(treasury.connect(admin).release(tokenAddress, alice.address, FUNDS + 1n))
      .to.be.revertedWithCustomError(treasury, "ReleaseLimitExceeded")
      .withArgs(FUNDS + 1n, FUNDS);
    await treasury.connect(admin).release(tokenAddress, alice.address, FUNDS);
    expect(await token.balanceOf(alice.address)).to.equal(FUNDS);
    expect(await token.balanceOf(treasuryAddress)).to.equal(0n);
  });

  it("release by a stranger reverts AccessManagedUnauthorized(caller)", async () => {
    const { treasury, token, stranger } = await loadFixture(deployTreasury);
    await expect(treasury.connect(stranger).release(await token.getAddress(), stranger.address, 1n))
      .to.be.revertedWithCustomError(treasury, "AccessManagedUnauthorized")
      .withArgs(stranger.address);
    expect(await token.balanceOf(stranger.address)).to.equal(0n);
  });

  it("a role granted release rights by the admin can release; revoking it takes them away", async () => {
    const { manager, treasury, token, admin, alice } = await loadFixture(deployTreasury);
    const ROLE = 42n;
    const treasuryAddress = await treasury.getAddress();
    const tokenAddress = await token.getAddress();
    await manager
      .connect(admin)
      .setTargetFunctionRole(treasuryAddress, [treasury.interface.getFunction("release").selector], ROLE);
    await manager.connect(admin).grantRole(ROLE, alice.address, 0);
    await expect(treasury.connect(alice).release(tokenAddress, alice.address, 5n))
      .to.emit(treasury, "Released")
      .withArgs(tokenAddress, alice.address, 5n);
    await manager.connect(admin).revokeRole(ROLE, alice.address);
    await expect(treasury.connect(alice).release(tokenAddress, alice.address, 5n))
      .to.be.revertedWithCustomError(treasury, "AccessManagedUnauthorized")
      .withArgs(alice.address);
  });

  it("reverts ZeroRecipient for the zero address", async () => {
    const { treasury, token, admin } = await loadFixture(deployTreasury);
    await expect(
      treasury.connect(admin).release(await token.getAddress(), ethers.ZeroAddress, 1n),
    ).to.be.revertedWithCustomError(treasury, "ZeroRecipient");
  });

  it("reverts ZeroAmount for a zero amount", async () => {
    const { treasury, token, admin, alice } = await loadFixture(deployTreasury);
    await expect(
      treasury.connect(admin).release(await token.getAddress(), alice.address, 0n),
    ).to.be.revertedWithCustomError(treasury, "ZeroAmount");
  });

  it("setMaxReleaseBps refuses more than 10,000 bps and a loosening over 500 bps; only the admin sets it", async () => {
    const { treasury, stranger } = await loadFixture(deployTreasury);
    const BPS = await treasury.BPS();
    expect(await treasury.MAX_LOOSENING_BPS()).to.equal(500n);
    await expect(treasury.connect(stranger).setMaxReleaseBps(1_000n))
      .to.be.revertedWithCustomError(treasury, "AccessManagedUnauthorized")
      .withArgs(stranger.address);
    // A new Treasury is unlimited (10,000 bps): one more is within the loosening step, but over a whole.
    expect(await treasury.maxReleaseBps()).to.equal(BPS);
    await expect(treasury.setMaxReleaseBps(BPS + 1n))
      .to.be.revertedWithCustomError(treasury, "InvalidMaxReleaseBps")
      .withArgs(BPS + 1n);
    expect(await treasury.maxReleaseBps()).to.equal(BPS);
    expect(await treasury.pendingMaxReleaseBps()).to.deep.equal([0n, 0n]);
    // Tightened to 1,000 bps, it loosens by at most 500 bps at a time, however far under a whole.
    await expect(treasury.setMaxReleaseBps(1_000n))
      .to.emit(treasury, "MaxReleaseBpsSet")
      .withArgs(BPS, 1_000n);
    await expect(treasury.setMaxReleaseBps(1_501n))
      .to.be.revertedWithCustomError(treasury, "InvalidMaxReleaseBps")
      .withArgs(1_501n);
    expect(await treasury.maxReleaseBps()).to.equal(1_000n);
    expect(await treasury.pendingMaxReleaseBps()).to.deep.equal([0n, 0n]);
  });
});
