/**
 * The proposal guardian's term (TetradGovernor.GUARDIAN_TERM, 180 days): every appointment through
 * governance — a renewal of the same guardian or a new one — starts a full term from its execution, so
 * governance can keep a trusted guardian and a guardian appointed after a term ran out has its powers.
 * (Attacks.test.ts covers the other side: a term that runs out ends the cancel power, and unsetting the
 * guardian ends the term at once.) Found by the mutation check (test/mutants/governor-guardian-not-renewed).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ContractTransactionReceipt, ZeroAddress } from "ethers";
import { DAY } from "../../scripts/lib/chain/constants";
import { Proposal, buildProposal, propose } from "../../scripts/lib/chain/governance";
import {
  GovernedSystem,
  deployGovernedSystem,
  executeWhenDue,
  proposeAndQueue,
} from "../utils/governance-fixture";

function appoint(s: GovernedSystem, guardian: string, title: string): Proposal {
  return buildProposal(title, "The proposal guardian's term.", [
    {
      kind: "call",
      target: s.governor.target as string,
      data: s.governor.interface.encodeFunctionData("setProposalGuardian", [guardian]),
      summary: `Proposal guardian: ${guardian}`,
    },
  ]);
}

/** A harmless proposal by alice (a 1-wei grant from the protection fund) for the guardian to cancel. */
async function someProposal(s: GovernedSystem, title: string): Promise<bigint> {
  const p = buildProposal(title, "Something to cancel.", [
    {
      kind: "grant",
      fund: await s.core.protectionFund.getAddress(),
      token: await s.core.token.getAddress(),
      to: s.grantee.address,
      amount: 1n,
    },
  ]);
  return propose(s.governor, s.alice, p);
}

async function minedAt(receipt: ContractTransactionReceipt): Promise<bigint> {
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("no block");
  return BigInt(block.timestamp);
}

describe("Governor: the proposal guardian's term", () => {
  it("re-appointing the guardian through a proposal starts a new term from the execution", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, guardian } = s;
    const term = await governor.GUARDIAN_TERM();
    const firstEnd = await governor.guardianTermEnd();
    expect(await governor.proposalGuardian()).to.equal(guardian.address);

    // Late in the first term, governance renews the guardian (the round trip takes about 8 days).
    await time.increaseTo(firstEnd - 30n * DAY);
    const renew = appoint(s, guardian.address, "Renew the guardian");
    const receipt = await executeWhenDue(s, await proposeAndQueue(s, renew), renew);
    const renewedAt = await minedAt(receipt);
    expect(renewedAt).to.be.lt(firstEnd);
    expect(await governor.guardianTermEnd()).to.equal(renewedAt + term);

    // Past the first term's end the renewed guardian still cancels.
    await time.increaseTo(firstEnd + DAY);
    expect(await governor.proposalGuardian()).to.equal(guardian.address);
    const during = await someProposal(s, "During the renewed term");
    await expect(governor.connect(guardian)["cancel(uint256)"](during)).to.emit(governor, "ProposalCanceled");

    // Until the renewed term ends.
    await time.increaseTo(renewedAt + term);
    expect(await governor.proposalGuardian()).to.equal(ZeroAddress);
    const after = await someProposal(s, "After the renewed term");
    await expect(governor.connect(guardian)["cancel(uint256)"](after))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(after, guardian.address);
  });

  it("a guardian appointed after a term ran out gets a full term of its own", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, guardian, stranger: successor } = s;
    const term = await governor.GUARDIAN_TERM();
    await time.increaseTo(await governor.guardianTermEnd());
    expect(await governor.proposalGuardian()).to.equal(ZeroAddress);

    const p = appoint(s, successor.address, "A new guardian");
    const appointedAt = await minedAt(await executeWhenDue(s, await proposeAndQueue(s, p), p));
    expect(await governor.guardianTermEnd()).to.equal(appointedAt + term);
    expect(await governor.proposalGuardian()).to.equal(successor.address);

    const id = await someProposal(s, "Under the new guardian");
    await expect(governor.connect(guardian)["cancel(uint256)"](id))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(id, guardian.address);
    await expect(governor.connect(successor)["cancel(uint256)"](id)).to.emit(governor, "ProposalCanceled");
  });
});
