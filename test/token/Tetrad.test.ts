import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Signature, TypedDataDomain, parseEther, verifyTypedData } from "ethers";
import { Tetrad, Tetrad__factory } from "../../typechain-types";
import { DELEGATION_TYPES, PERMIT_TYPES } from "../../scripts/lib/shared/eip712";

const CAP = parseEther("1000000");

/** Minting `amount` would take the supply to CAP + 1: it reverts ERC20ExceededCap(CAP + 1, CAP). */
async function expectOneOverCap(minterToken: Tetrad, to: string, amount: bigint): Promise<void> {
  await expect(minterToken.mint(to, amount))
    .to.be.revertedWithCustomError(minterToken, "ERC20ExceededCap")
    .withArgs(CAP + 1n, CAP);
}

interface TokenFixture {
  token: Tetrad;
  minter: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  domain: TypedDataDomain;
}

async function deployToken(): Promise<TokenFixture> {
  const [deployer, minter, alice, bob, carol] = await ethers.getSigners();
  const token = await new Tetrad__factory(deployer).deploy(minter.address, CAP);
  await token.waitForDeployment();
  const { chainId } = await ethers.provider.getNetwork();
  const domain: TypedDataDomain = {
    name: "Tetrad",
    version: "1",
    chainId,
    verifyingContract: await token.getAddress(),
  };
  return { token, minter, alice, bob, carol, domain };
}

async function deployFunded(): Promise<TokenFixture> {
  const f = await deployToken();
  await f.token.connect(f.minter).mint(f.alice.address, parseEther("1000"));
  return f;
}

async function latestTimestamp(): Promise<bigint> {
  return BigInt(await time.latest());
}

describe("Tetrad", () => {
  describe("metadata and clock", () => {
    it("is Tetrad (TTD) with 18 decimals and the given cap", async () => {
      const { token } = await loadFixture(deployToken);
      expect(await token.name()).to.equal("Tetrad");
      expect(await token.symbol()).to.equal("TTD");
      expect(await token.decimals()).to.equal(18n);
      expect(await token.cap()).to.equal(CAP);
      expect(await token.totalSupply()).to.equal(0n);
    });

    it("uses a timestamp clock (ERC-6372)", async () => {
      const { token } = await loadFixture(deployToken);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.clock()).to.equal(await latestTimestamp());
      await time.increase(12_345);
      expect(await token.clock()).to.equal(await latestTimestamp());
    });
  });

  describe("minter", () => {
    it("is fixed at deployment: stored as an immutable and no function can change it", async () => {
      const { token, minter } = await loadFixture(deployToken);
      expect(await token.minter()).to.equal(minter.address);
      // An immutable lives in the runtime bytecode.
      const code = await ethers.provider.getCode(await token.getAddress());
      expect(code.toLowerCase()).to.contain(minter.address.slice(2).toLowerCase());
      // No function in the ABI other than the `minter()` getter mentions the minter.
      const names: string[] = [];
      token.interface.forEachFunction((f) => names.push(f.name));
      expect(names.filter((n) => /minter/i.test(n))).to.deep.equal(["minter"]);
    });

    it("constructor reverts TetradZeroMinter for the zero address", async () => {
      const [deployer] = await ethers.getSigners();
      const factory = new Tetrad__factory(deployer);
      await expect(factory.deploy(ethers.ZeroAddress, CAP)).to.be.revertedWithCustomError(
        factory,
        "TetradZeroMinter",
      );
    });

    it("constructor reverts ERC20InvalidCap(0) for a zero cap", async () => {
      const [deployer, minter] = await ethers.getSigners();
      const factory = new Tetrad__factory(deployer);
      await expect(factory.deploy(minter.address, 0n))
        .to.be.revertedWithCustomError(factory, "ERC20InvalidCap")
        .withArgs(0n);
    });

    it("mints from the minter", async () => {
      const { token, minter, alice } = await loadFixture(deployToken);
      await expect(token.connect(minter).mint(alice.address, 123n))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, alice.address, 123n);
      expect(await token.balanceOf(alice.address)).to.equal(123n);
      expect(await token.totalSupply()).to.equal(123n);
    });

    it("reverts TetradUnauthorizedMinter(caller) for anyone else", async () => {
      const { token, alice, bob } = await loadFixture(deployToken);
      for (const caller of [alice, bob]) {
        await expect(token.connect(caller).mint(alice.address, 1n))
          .to.be.revertedWithCustomError(token, "TetradUnauthorizedMinter")
          .withArgs(caller.address);
      }
    });

    it("mints exactly up to the cap and reverts ERC20ExceededCap above it", async () => {
      const { token, minter, alice } = await loadFixture(deployToken);
      await expectOneOverCap(token.connect(minter), alice.address, CAP + 1n);
      await token.connect(minter).mint(alice.address, CAP - 10n);
      await expectOneOverCap(token.connect(minter), alice.address, 11n);
      await token.connect(minter).mint(alice.address, 10n);
      expect(await token.totalSupply()).to.equal(CAP);
      await expectOneOverCap(token.connect(minter), alice.address, 1n);
    });
  });

  describe("burn", () => {
    it("burn destroys the caller's tokens and lowers the supply", async () => {
      const { token, alice } = await loadFixture(deployFunded);
      await expect(token.connect(alice).burn(parseEther("400")))
        .to.emit(token, "Transfer")
        .withArgs(alice.address, ethers.ZeroAddress, parseEther("400"));
      expect(await token.balanceOf(alice.address)).to.equal(parseEther("600"));
      expect(await token.totalSupply()).to.equal(parseEther("600"));
    });

    it("burn above the balance reverts ERC20InsufficientBalance", async () => {
      const { token, alice } = await loadFixture(deployFunded);
      await expect(token.connect(alice).burn(parseEther("1000") + 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, parseEther("1000"), parseEther("1000") + 1n);
    });

    it("burnFrom spends the allowance", async () => {
      const { token, alice, bob } = await loadFixture(deployFunded);
      await token.connect(alice).approve(bob.address, parseEther("300"));
      await token.connect(bob).burnFrom(alice.address, parseEther("100"));
      expect(await token.balanceOf(alice.address)).to.equal(parseEther("900"));
      expect(await token.allowance(alice.address, bob.address)).to.equal(parseEther("200"));
      expect(await token.totalSupply()).to.equal(parseEther("900"));
    });

    it("burnFrom without enough allowance reverts ERC20InsufficientAllowance", async () => {
      const { token, alice, bob } = await loadFixture(deployFunded);
      await token.connect(alice).approve(bob.address, 5n);
      await expect(token.connect(bob).burnFrom(alice.address, 6n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(bob.address, 5n, 6n);
    });

    it("after a burn the minter can mint the freed room again, still never above the cap", async () => {
      const { token, minter, alice } = await loadFixture(deployToken);
      await token.connect(minter).mint(alice.address, CAP);
      await token.connect(alice).burn(7n);
      await token.connect(minter).mint(alice.address, 7n);
      expect(await token.totalSupply()).to.equal(CAP);
      await expectOneOverCap(token.connect(minter), alice.address, 1n);
    });
  });

  describe("permit (EIP-2612)", () => {
    async function signPermit(
      f: TokenFixture,
      owner: HardhatEthersSigner,
      spender: string,
      value: bigint,
      nonce: bigint,
      deadline: bigint,
    ): Promise<Signature> {
      const sig = await owner.signTypedData(f.domain, PERMIT_TYPES, {
        owner: owner.address,
        spender,
        value,
        nonce,
        deadline,
      });
      return Signature.from(sig);
    }

    it("has the expected EIP-712 domain", async () => {
      const f = await loadFixture(deployToken);
      const d = await f.token.eip712Domain();
      expect(d.name).to.equal("Tetrad");
      expect(d.version).to.equal("1");
      expect(d.chainId).to.equal(f.domain.chainId);
      expect(d.verifyingContract).to.equal(f.domain.verifyingContract);
    });

    it("sets the allowance from a signature and bumps the nonce", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob, carol } = f;
      const deadline = (await latestTimestamp()) + 3600n;
      const value = parseEther("250");
      const sig = await signPermit(f, alice, bob.address, value, 0n, deadline);
      // Anyone may submit the permit.
      await expect(
        token.connect(carol).permit(alice.address, bob.address, value, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(token, "Approval")
        .withArgs(alice.address, bob.address, value);
      expect(await token.allowance(alice.address, bob.address)).to.equal(value);
      expect(await token.nonces(alice.address)).to.equal(1n);
      await token.connect(bob).transferFrom(alice.address, carol.address, value);
      expect(await token.balanceOf(carol.address)).to.equal(value);
    });

    it("cannot be replayed", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob } = f;
      const deadline = (await latestTimestamp()) + 3600n;
      const value = parseEther("1");
      const sig = await signPermit(f, alice, bob.address, value, 0n, deadline);
      await token.permit(alice.address, bob.address, value, deadline, sig.v, sig.r, sig.s);
      // The nonce is now 1, so the same signature recovers to some other address.
      const recovered = verifyTypedData(
        f.domain,
        PERMIT_TYPES,
        { owner: alice.address, spender: bob.address, value, nonce: 1n, deadline },
        sig,
      );
      expect(recovered).to.not.equal(alice.address);
      await expect(token.permit(alice.address, bob.address, value, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(recovered, alice.address);
    });

    it("rejects a signature by someone other than the owner", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob } = f;
      const deadline = (await latestTimestamp()) + 3600n;
      // Bob signs a permit that claims to be from Alice.
      const raw = await bob.signTypedData(f.domain, PERMIT_TYPES, {
        owner: alice.address,
        spender: bob.address,
        value: 1n,
        nonce: 0n,
        deadline,
      });
      const sig = Signature.from(raw);
      await expect(token.permit(alice.address, bob.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(bob.address, alice.address);
    });

    it("rejects an expired permit with ERC2612ExpiredSignature(deadline)", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob } = f;
      const deadline = (await latestTimestamp()) + 60n;
      const sig = await signPermit(f, alice, bob.address, 1n, 0n, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(token.permit(alice.address, bob.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
      expect(await token.allowance(alice.address, bob.address)).to.equal(0n);
      expect(await token.nonces(alice.address)).to.equal(0n);
    });
  });

  describe("votes (ERC20Votes on timestamps)", () => {
    it("balances carry no votes until delegated", async () => {
      const { token, alice } = await loadFixture(deployFunded);
      expect(await token.getVotes(alice.address)).to.equal(0n);
      expect(await token.delegates(alice.address)).to.equal(ethers.ZeroAddress);
    });

    it("delegate gives votes, which follow transfers, mints and burns", async () => {
      const { token, minter, alice, bob, carol } = await loadFixture(deployFunded);
      await expect(token.connect(alice).delegate(bob.address))
        .to.emit(token, "DelegateChanged")
        .withArgs(alice.address, ethers.ZeroAddress, bob.address);
      expect(await token.delegates(alice.address)).to.equal(bob.address);
      expect(await token.getVotes(bob.address)).to.equal(parseEther("1000"));
      expect(await token.getVotes(alice.address)).to.equal(0n);

      await token.connect(alice).transfer(carol.address, parseEther("300"));
      expect(await token.getVotes(bob.address)).to.equal(parseEther("700"));
      await token.connect(carol).delegate(carol.address);
      expect(await token.getVotes(carol.address)).to.equal(parseEther("300"));

      await token.connect(minter).mint(alice.address, parseEther("50"));
      expect(await token.getVotes(bob.address)).to.equal(parseEther("750"));
      await token.connect(alice).burn(parseEther("150"));
      expect(await token.getVotes(bob.address)).to.equal(parseEther("600"));
      expect(await token.getPastTotalSupply((await latestTimestamp()) - 1n)).to.equal(parseEther("1050"));
      await mine(1);
      expect(await token.getPastTotalSupply((await latestTimestamp()) - 1n)).to.equal(parseEther("900"));
    });

    it("getPastVotes and getPastTotalSupply read checkpoints by timestamp", async () => {
      const { token, minter, alice, bob } = await loadFixture(deployFunded);
      await token.connect(alice).delegate(bob.address);
      const t1 = await latestTimestamp();
      await time.increase(1000);
      await token.connect(alice).transfer(minter.address, parseEther("400"));
      const t2 = await latestTimestamp();
      await time.increase(1000);
      await token.connect(minter).mint(alice.address, parseEther("10"));
      const t3 = await latestTimestamp();
      await mine(1);

      expect(await token.getPastVotes(bob.address, t1 - 1n)).to.equal(0n);
      expect(await token.getPastVotes(bob.address, t1)).to.equal(parseEther("1000"));
      expect(await token.getPastVotes(bob.address, t1 + 500n)).to.equal(parseEther("1000"));
      expect(await token.getPastVotes(bob.address, t2 - 1n)).to.equal(parseEther("1000"));
      expect(await token.getPastVotes(bob.address, t2)).to.equal(parseEther("600"));
      expect(await token.getPastVotes(bob.address, t3 - 1n)).to.equal(parseEther("600"));
      expect(await token.getPastVotes(bob.address, t3)).to.equal(parseEther("610"));
      expect(await token.getPastTotalSupply(t2)).to.equal(parseEther("1000"));
      expect(await token.getPastTotalSupply(t3)).to.equal(parseEther("1010"));
    });

    it("getPastVotes reverts ERC5805FutureLookup(timepoint, clock) for the present or the future", async () => {
      const { token, bob } = await loadFixture(deployFunded);
      const now = await latestTimestamp();
      const future = now + 1_000_000n;
      await time.setNextBlockTimestamp(now + 10n);
      await mine(1);
      // Calls run on the latest block, whose clock the token reports.
      const clock = await token.clock();
      expect(clock).to.equal(now + 10n);
      await expect(token.getPastVotes(bob.address, future))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(future, clock);
      await expect(token.getPastVotes(bob.address, clock))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(clock, clock);
      await expect(token.getPastTotalSupply(clock))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(clock, clock);
      expect(await token.getPastVotes(bob.address, clock - 1n)).to.equal(0n);
    });

    it("delegateBySig delegates from a signature and cannot be replayed", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob, carol } = f;
      const expiry = (await latestTimestamp()) + 3600n;
      const nonce = await token.nonces(alice.address);
      const sig = Signature.from(
        await alice.signTypedData(f.domain, DELEGATION_TYPES, { delegatee: carol.address, nonce, expiry }),
      );
      await expect(token.connect(bob).delegateBySig(carol.address, nonce, expiry, sig.v, sig.r, sig.s))
        .to.emit(token, "DelegateChanged")
        .withArgs(alice.address, ethers.ZeroAddress, carol.address);
      expect(await token.delegates(alice.address)).to.equal(carol.address);
      expect(await token.getVotes(carol.address)).to.equal(parseEther("1000"));
      expect(await token.nonces(alice.address)).to.equal(nonce + 1n);

      await expect(token.connect(bob).delegateBySig(carol.address, nonce, expiry, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "InvalidAccountNonce")
        .withArgs(alice.address, nonce + 1n);
    });

    it("delegateBySig rejects an expired signature with VotesExpiredSignature(expiry)", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, carol } = f;
      const expiry = (await latestTimestamp()) + 60n;
      const sig = Signature.from(
        await alice.signTypedData(f.domain, DELEGATION_TYPES, {
          delegatee: carol.address,
          nonce: 0n,
          expiry,
        }),
      );
      await time.increaseTo(expiry + 1n);
      await expect(token.delegateBySig(carol.address, 0n, expiry, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "VotesExpiredSignature")
        .withArgs(expiry);
    });

    it("permits and delegations share one nonce sequence", async () => {
      const f = await loadFixture(deployFunded);
      const { token, alice, bob, carol } = f;
      const deadline = (await latestTimestamp()) + 3600n;
      const permitSig = Signature.from(
        await alice.signTypedData(f.domain, PERMIT_TYPES, {
          owner: alice.address,
          spender: bob.address,
          value: 1n,
          nonce: 0n,
          deadline,
        }),
      );
      const delegSig = Signature.from(
        await alice.signTypedData(f.domain, DELEGATION_TYPES, {
          delegatee: carol.address,
          nonce: 0n,
          expiry: deadline,
        }),
      );
      await token.permit(alice.address, bob.address, 1n, deadline, permitSig.v, permitSig.r, permitSig.s);
      // The delegation signed for nonce 0 is now stale.
      await expect(token.delegateBySig(carol.address, 0n, deadline, delegSig.v, delegSig.r, delegSig.s))
        .to.be.revertedWithCustomError(token, "InvalidAccountNonce")
        .withArgs(alice.address, 1n);
    });
  });
});
