/**
 * Governance scenarios for `npm run bench:gas` (imported by scripts/bench/gas.ts): delegation, a
 * delegated transfer, and one proposal through propose, votes, queue and execute.
 */
import hre, { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, DEFAULT_GOVERNANCE } from "../lib/chain/constants";
import { deployCore, deployGovernance } from "../../deploy/stages";
import { GasRecorder } from "../lib/chain/gas";
import { Vote, buildProposal, signVote } from "../lib/chain/governance";

export async function benchGovernance(gas: GasRecorder): Promise<void> {
  const [deployer, alice, bob, carol] = await ethers.getSigners();
  const core = await deployCore(hre, deployer);
  // Voting power comes from emission: alice earns the capital bucket, bob and carol get grants.
  const stake = core.mockStakingToken!;
  await stake.mint(alice.address, ethers.parseEther("1000"));
  await stake.connect(alice).approve(await core.pool.getAddress(), ethers.MaxUint256);
  await core.pool.connect(alice).deposit(ethers.parseEther("1000"));
  await time.increase(30n * DAY);
  await core.controller.distribute();
  await time.increase(8n * DAY);
  await core.pool.connect(alice).claim();
  const tokenAddress = await core.token.getAddress();
  await core.protectionFund.release(tokenAddress, bob.address, ethers.parseEther("5000"));
  await core.protectionFund.release(tokenAddress, carol.address, ethers.parseEther("100"));
  const { governor } = await deployGovernance(hre, core);

  await gas.record("token.delegate", core.token.connect(alice).delegate(alice.address));
  await core.token.connect(bob).delegate(bob.address);
  await core.token.connect(carol).delegate(carol.address);
  // A transfer between two delegated holders moves both vote checkpoints.
  await gas.record(
    "token.transfer.delegated",
    core.token.connect(alice).transfer(bob.address, ethers.parseEther("1")),
  );
  // Votes count once held for the Governor's lookback (a day).
  await time.increase(DEFAULT_GOVERNANCE.voteLookback);
  await mine(1);

  const p = buildProposal("Capital to 28%", "Benchmark proposal.", [
    {
      kind: "setShares",
      controller: await core.controller.getAddress(),
      shares: [2000, 2400, 2400, 2800, 400],
    },
  ]);
  await gas.record(
    "gov.propose",
    governor.connect(alice).propose(p.targets, p.values, p.calldatas, p.description),
  );
  const id = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
  await time.increase(DEFAULT_GOVERNANCE.votingDelay + 1n);
  await governor.connect(carol).castVote(id, Vote.Against); // the first vote initialises the tallies
  await gas.record("gov.castVote", governor.connect(alice).castVote(id, Vote.For));
  const sig = await signVote(governor, bob, id, Vote.For);
  await gas.record("gov.castVoteBySig", governor.castVoteBySig(id, Vote.For, bob.address, sig));
  await time.increase(DEFAULT_GOVERNANCE.votingPeriod + 1n);
  const byHash = [p.targets, p.values, p.calldatas, p.descriptionHash] as const;
  await gas.record("gov.queue", governor["queue(address[],uint256[],bytes[],bytes32)"](...byHash));
  await time.increase(DEFAULT_GOVERNANCE.timelockDelay + 1n);
  await gas.record(
    "gov.execute.setShares",
    governor["execute(address[],uint256[],bytes[],bytes32)"](...byHash),
  );
}
