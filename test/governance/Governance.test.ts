/**
 * End to end governance on the whole deployed system (deployCore + deployGovernance, default settings):
 * proposals built with scripts/lib/chain/governance.ts change bucket shares, a subnet's metric weights, pay a
 * grant, slash a validator and change the governor's own settings, each only after the vote and the
 * Timelock's delay. Also: votes and delegations by signature, quorum, proposal threshold, the
 * Timelock's delay enforced to the second, ERC-165 / ERC-6372 / counting mode, Markdown descriptions and
 * late-quorum extension. Voters and their TTD: test/utils/governance-fixture.ts.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { id as keccakId } from "ethers";
import {
  EmissionController,
  IERC165__factory,
  IERC6372__factory,
  IGovernor__factory,
  Subnet,
} from "../../typechain-types";
import { BPS, DAY, DEFAULT_GOVERNANCE, DEFAULT_SHARES, Shares } from "../../scripts/lib/chain/constants";
import {
  Action,
  Proposal,
  Vote,
  buildProposal,
  propose,
  queue,
  signDelegation,
  signVote,
} from "../../scripts/lib/chain/governance";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import { cumulative, split } from "../../scripts/lib/models/schedule";
import {
  FUNDS,
  GovernedSystem,
  ProposalState,
  TIMELOCK_READY,
  TTD,
  deployGovernedSystem,
  execute,
  executeWhenDue,
  governorCall,
  lateQuorumAndReaction,
  passProposal,
  proposeAndQueue,
  stateBitmap,
  timelockOperationId,
  timelockSalt,
  toVoteEnd,
  toVoting,
} from "../utils/governance-fixture";
import { commitAndReveal, finalizeInPages, toPhase } from "../utils/subnet-rounds";
import { distributeWithEvent } from "../utils/chain";

/**
 * Calls `distribute()` and holds the Distributed event and the five recipients' balances to a split of
 * the schedule's emission since the last distribution at `shares`.
 */
async function distributeAt(s: GovernedSystem, shares: Shares): Promise<bigint[]> {
  const { controller } = s.core;
  const recipients = await recipientsOf(controller);
  const before = await balancesOf(s, recipients);
  const from = await controller.lastDistribution();
  const { receipt, log } = await distributeWithEvent(controller);
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  const to = BigInt(block!.timestamp);
  const minted = cumulative(s.core.schedule, to) - cumulative(s.core.schedule, from);
  expect(log.args.from, "Distributed.from").to.equal(from);
  expect(log.args.to, "Distributed.to").to.equal(to);
  expect(log.args.minted, "Distributed.minted").to.equal(minted);
  const expected = split(minted, shares);
  expect(Array.from(log.args.amounts), "Distributed.amounts").to.deep.equal(expected);
  const after = await balancesOf(s, recipients);
  expect(
    after.map((b, i) => b - before[i]),
    "balances received",
  ).to.deep.equal(expected);
  return expected;
}

async function recipientsOf(controller: EmissionController): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < 5; i++) out.push((await controller.recipient(i)).account);
  return out;
}

async function balancesOf(s: GovernedSystem, accounts: string[]): Promise<bigint[]> {
  return Promise.all(accounts.map((a) => s.core.token.balanceOf(a)));
}

/** Finalizes the code subnet's first round (long closed in the fixture): a new round, in its commit phase. */
async function openNewRound(subnet: Subnet): Promise<void> {
  expect(await subnet.phase(), "round 1 is closed").to.equal(2n);
  await (await subnet.finalizeRound(256)).wait();
  expect(await subnet.phase(), "a new round is open").to.equal(0n);
}

function weightsOf(x: readonly bigint[]): number[] {
  return Array.from(x, (w) => Number(w));
}

describe("Governance: the DAO over the whole system (default settings)", () => {
  it("is deployed with the default settings, the guardian and the token's clock", async () => {
    const { governor, timelock, core, guardian } = await loadFixture(deployGovernedSystem);
    expect(await governor.name()).to.equal("Tetrad Governor");
    expect(await governor.token()).to.equal(await core.token.getAddress());
    expect(await governor.timelock()).to.equal(await timelock.getAddress());
    expect(await governor.votingDelay()).to.equal(DEFAULT_GOVERNANCE.votingDelay);
    expect(await governor.votingPeriod()).to.equal(DEFAULT_GOVERNANCE.votingPeriod);
    expect(await governor.proposalThresholdBps()).to.equal(DEFAULT_GOVERNANCE.proposalThresholdBps);
    expect(await governor["quorumNumerator()"]()).to.equal(DEFAULT_GOVERNANCE.quorumPercent);
    expect(await governor.quorumDenominator()).to.equal(100n);
    expect(await governor.lateQuorumVoteExtension()).to.equal(DEFAULT_GOVERNANCE.lateQuorumExtension);
    expect(await timelock.getMinDelay()).to.equal(DEFAULT_GOVERNANCE.timelockDelay);
    expect(await governor.proposalGuardian()).to.equal(guardian.address);

    // 0.1% of the supply to propose, 4% of the supply to pass.
    const supply = await core.token.totalSupply();
    const now = BigInt(await time.latest());
    expect(await governor.proposalThreshold()).to.equal((supply * 10n) / BPS);
    expect(await governor.quorum(now - 1n)).to.equal((supply * 4n) / 100n);
    expect(FUNDS.alice).to.be.gt((supply * 4n) / 100n);
    expect(FUNDS.bob).to.be.gt((supply * 10n) / BPS);
    expect(FUNDS.bob).to.be.lt((supply * 4n) / 100n);
    expect(FUNDS.dave).to.be.lt((supply * 10n) / BPS);
  });

  it("exposes IGovernor via ERC-165, the bravo counting mode and the timestamp clock (ERC-6372)", async () => {
    const { governor, core } = await loadFixture(deployGovernedSystem);
    // type(IGovernor).interfaceId: the XOR of the selectors IGovernor declares itself (not IERC165's or
    // IERC6372's, which it inherits and which its ABI lists too).
    const inherited = new Set<string>();
    IERC165__factory.createInterface().forEachFunction((f) => inherited.add(f.selector));
    IERC6372__factory.createInterface().forEachFunction((f) => inherited.add(f.selector));
    let id = 0n;
    let declared = 0;
    IGovernor__factory.createInterface().forEachFunction((f) => {
      if (inherited.has(f.selector)) return;
      id ^= BigInt(f.selector);
      declared++;
    });
    expect(declared, "functions IGovernor declares").to.equal(27);
    const iGovernor = ethers.toBeHex(id, 4);
    expect(iGovernor, "IGovernor interface id (OpenZeppelin >= 5.3)").to.equal("0xcdbdfcee");
    expect(await governor.supportsInterface(iGovernor)).to.equal(true);
    // The id before `getProposalId` joined IGovernor (OpenZeppelin 5.0-5.2), still answered.
    const getProposalId = governor.interface.getFunction("getProposalId").selector;
    expect(ethers.toBeHex(id ^ BigInt(getProposalId), 4)).to.equal("0x65455a86");
    expect(await governor.supportsInterface("0x65455a86")).to.equal(true);
    expect(await governor.supportsInterface("0x01ffc9a7"), "IERC165").to.equal(true);
    expect(await governor.supportsInterface("0x4e2312e0"), "IERC1155Receiver").to.equal(true);
    expect(await governor.supportsInterface("0xffffffff")).to.equal(false);
    expect(await governor.supportsInterface("0x12345678")).to.equal(false);

    expect(await governor.COUNTING_MODE()).to.equal("support=bravo&quorum=for,abstain");
    expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await core.token.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await governor.clock()).to.equal(BigInt(await time.latest()));
    await time.increase(12345);
    expect(await governor.clock()).to.equal(BigInt(await time.latest()));
    expect(await core.token.clock()).to.equal(await governor.clock());
  });

  it("changes bucket shares only after the vote and the Timelock, from the next distribution on", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, alice } = s;
    const { controller } = s.core;
    const NEW: Shares = [3000, 2000, 2000, 2000, 1000];
    const p = buildProposal("Rebalance the buckets", "Double the protection fund's share.", [
      { kind: "setShares", controller: await controller.getAddress(), shares: NEW },
    ]);
    const id = await propose(governor, alice, p);
    const snapshot = await governor.proposalSnapshot(id);
    expect(await governor.proposalDeadline(id)).to.equal(snapshot + DEFAULT_GOVERNANCE.votingPeriod);

    // Pending, Active, Succeeded, Queued: every distribution uses the old shares.
    expect(await governor.state(id)).to.equal(ProposalState.Pending);
    await distributeAt(s, DEFAULT_SHARES);
    await toVoting(governor, id);
    // Quorum reached early: no extension.
    await expect(governor.connect(alice).castVote(id, Vote.For)).not.to.emit(governor, "ProposalExtended");
    expect(await governor.state(id)).to.equal(ProposalState.Active);
    await time.increase(DAY);
    await distributeAt(s, DEFAULT_SHARES);
    await toVoteEnd(governor, id);
    expect(await governor.state(id)).to.equal(ProposalState.Succeeded);
    await distributeAt(s, DEFAULT_SHARES);
    await queue(governor, p);
    expect(await governor.state(id)).to.equal(ProposalState.Queued);
    await time.increase(DAY);
    await distributeAt(s, DEFAULT_SHARES);
    expect(Array.from(await controller.shares())).to.deep.equal(DEFAULT_SHARES.map(BigInt));

    // The execution settles the past at the old shares, then sets the new ones.
    const recipients = await recipientsOf(controller);
    const before = await balancesOf(s, recipients);
    const from = await controller.lastDistribution();
    const receipt = await executeWhenDue(s, id, p);
    expect(await governor.state(id)).to.equal(ProposalState.Executed);
    const [dist] = await controller.queryFilter(
      controller.filters.Distributed,
      receipt.blockNumber,
      receipt.blockNumber,
    );
    const [updated] = await controller.queryFilter(
      controller.filters.SharesUpdated,
      receipt.blockNumber,
      receipt.blockNumber,
    );
    expect(dist, "the execution distributes").to.not.equal(undefined);
    expect(updated, "the execution sets the shares").to.not.equal(undefined);
    expect(dist.index, "Distributed before SharesUpdated").to.be.lessThan(updated.index);
    const to = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    const minted = cumulative(s.core.schedule, to) - cumulative(s.core.schedule, from);
    expect(dist.args.from).to.equal(from);
    expect(dist.args.to).to.equal(to);
    expect(dist.args.minted).to.equal(minted);
    const settled = split(minted, DEFAULT_SHARES);
    expect(Array.from(dist.args.amounts), "settled at the old shares").to.deep.equal(settled);
    const after = await balancesOf(s, recipients);
    expect(after.map((b, i) => b - before[i])).to.deep.equal(settled);
    expect(Array.from(updated.args.oldShares)).to.deep.equal(DEFAULT_SHARES.map(BigInt));
    expect(Array.from(updated.args.newShares)).to.deep.equal(NEW.map(BigInt));
    expect(Array.from(await controller.shares())).to.deep.equal(NEW.map(BigInt));

    // From the next distribution on, the new shares.
    await time.increase(DAY);
    const amounts = await distributeAt(s, NEW);
    // 10% of what was minted, plus the rounding dust of the four buckets (at most 4 wei); the old
    // check, protection > half of capital's 20%, failed whenever the minted amount was a multiple of 10.
    const total = amounts.reduce((a, b) => a + b, 0n);
    expect(amounts[4], "protection now gets 10%").to.be.gte(total / 10n);
    expect(amounts[4], "protection now gets 10% (+ dust)").to.be.lte(total / 10n + 4n);
  });

  it("queues new metric weights for a subnet's next round, where they fold the revealed sheets", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, bob, validator } = s;
    const subnet = s.core.subnets[0];
    const subnetAddress = await subnet.getAddress();
    const NEW = [1000, 2000, 3000, 4000];

    // A contributor (bob) and a validator join a new round.
    await openNewRound(subnet);
    for (const who of [bob, validator])
      await (await s.core.token.connect(who).approve(subnet, ethers.MaxUint256)).wait();
    await (await subnet.connect(bob).register("ipfs://bob")).wait();
    await (await subnet.connect(validator).stake(FUNDS.validator)).wait();
    const roundBefore = await subnet.round();

    const p = buildProposal("Weigh usage more", "Usage is what users value.", [
      { kind: "setMetricWeights", subnet: subnetAddress, weights: NEW },
    ]);
    const id = await proposeAndQueue(s, p);
    let [current, next] = await subnet.metricWeights();
    expect(weightsOf(current), "nothing changes before execution").to.deep.equal(DEFAULT_METRIC_WEIGHTS);
    expect(weightsOf(next)).to.deep.equal(DEFAULT_METRIC_WEIGHTS);

    const receipt = await executeWhenDue(s, id, p);
    const [queued] = await subnet.queryFilter(subnet.filters.MetricWeightsQueued, receipt.blockNumber);
    expect(weightsOf(queued.args.weights)).to.deep.equal(NEW);
    [current, next] = await subnet.metricWeights();
    expect(weightsOf(current), "the round under way keeps its weights").to.deep.equal(DEFAULT_METRIC_WEIGHTS);
    expect(weightsOf(next), "queued for the next round").to.deep.equal(NEW);
    expect(await subnet.round()).to.equal(roundBefore);

    // The round under way (long closed) is finalized: the next one runs on the new weights.
    await toPhase(subnet, "closed");
    await (await subnet.finalizeRound(256)).wait();
    expect(await subnet.round()).to.equal(roundBefore + 1n);
    [current, next] = await subnet.metricWeights();
    expect(weightsOf(current)).to.deep.equal(NEW);
    expect(weightsOf(next)).to.deep.equal(NEW);

    // A sheet revealed in that round is folded with the new weights.
    const row = [40_000, 30_000, 20_000, 10_000];
    await commitAndReveal(subnet, [{ validator, rows: [row], reveal: true }], NEW.length);
    await toPhase(subnet, "closed");
    const record = await finalizeInPages(subnet, 256);
    const folded = BigInt(row.reduce((acc, v, m) => acc + v * NEW[m], 0));
    const oldFold = BigInt(row.reduce((acc, v, m) => acc + v * DEFAULT_METRIC_WEIGHTS[m], 0));
    expect(folded).to.not.equal(oldFold);
    expect(record.scores.map((x) => [x.contributor, x.score])).to.deep.equal([[bob.address, folded]]);
    expect(await subnet.consensusScore(0)).to.equal(folded);
  });

  it("pays a grant from the protection fund only through a proposal", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { deployer, grantee } = s;
    const { token, protectionFund } = s.core;
    const amount = 1_000n * TTD;
    const tokenAddress = await token.getAddress();
    // Nobody else can: the deployer renounced its admin role.
    await expect(protectionFund.connect(deployer).release(tokenAddress, grantee.address, amount))
      .to.be.revertedWithCustomError(protectionFund, "AccessManagedUnauthorized")
      .withArgs(deployer.address);

    const fundAddress = await protectionFund.getAddress();
    const p = buildProposal("Grant: validator client audit", "Pays the auditors.", [
      { kind: "grant", fund: fundAddress, token: tokenAddress, to: grantee.address, amount },
    ]);
    const id = await proposeAndQueue(s, p);
    expect(await token.balanceOf(grantee.address), "not before execution").to.equal(0n);
    const fundBefore = await token.balanceOf(fundAddress);
    const receipt = await executeWhenDue(s, id, p);
    const [released] = await protectionFund.queryFilter(protectionFund.filters.Released, receipt.blockNumber);
    expect([released.args.token, released.args.to, released.args.amount]).to.deep.equal([
      tokenAddress,
      grantee.address,
      amount,
    ]);
    expect(await token.balanceOf(grantee.address)).to.equal(amount);
    expect(await token.balanceOf(fundAddress)).to.equal(fundBefore - amount);
  });

  it("slashes a validator's stake to the protection fund through a proposal", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { validator } = s;
    const { token, protectionFund } = s.core;
    const subnet = s.core.subnets[0];
    await openNewRound(subnet);
    await (await token.connect(validator).approve(subnet, ethers.MaxUint256)).wait();
    expect(FUNDS.validator).to.be.gte(DEFAULT_SUBNET_PARAMS.minValidatorStake);
    await (await subnet.connect(validator).stake(FUNDS.validator)).wait();
    const slot = await subnet.validatorSlot(validator.address);

    const amount = 120n * TTD;
    const p = buildProposal("Slash a validator", "It revealed copied sheets.", [
      { kind: "slash", subnet: await subnet.getAddress(), validator: validator.address, amount },
    ]);
    const id = await proposeAndQueue(s, p);
    expect((await subnet.validatorAt(slot)).stake, "not before execution").to.equal(FUNDS.validator);

    const fundAddress = await protectionFund.getAddress();
    const fundBefore = await token.balanceOf(fundAddress);
    const receipt = await executeWhenDue(s, id, p);
    const [slashed] = await subnet.queryFilter(subnet.filters.Slashed, receipt.blockNumber);
    expect([slashed.args.validator, slashed.args.amount, slashed.args.to]).to.deep.equal([
      validator.address,
      amount,
      fundAddress,
    ]);
    // 180 TTD left, above the 100 TTD minimum: the validator keeps its permit.
    expect((await subnet.validatorAt(slot)).stake).to.equal(FUNDS.validator - amount);
    expect(await subnet.totalStake()).to.equal(FUNDS.validator - amount);
    expect(await token.balanceOf(fundAddress)).to.equal(fundBefore + amount);
    expect(await token.balanceOf(await subnet.getAddress())).to.be.gte(await subnet.totalStake());
  });

  it("counts a vote cast by signature and a delegation made by signature", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, alice, carol, eve, relayer } = s;
    const { token } = s.core;

    // eve never sent a transaction: a relayer brings her delegation to herself.
    expect(await token.getVotes(eve.address)).to.equal(0n);
    const expiry = BigInt(await time.latest()) + DAY;
    const dsig = await signDelegation(token, eve, eve.address, expiry);
    await expect(token.connect(relayer).delegateBySig(eve.address, 0n, expiry, dsig.v, dsig.r, dsig.s))
      .to.emit(token, "DelegateChanged")
      .withArgs(eve.address, ethers.ZeroAddress, eve.address);
    expect(await token.delegates(eve.address)).to.equal(eve.address);
    expect(await token.getVotes(eve.address)).to.equal(FUNDS.eve);
    expect(await token.getVotes(relayer.address)).to.equal(0n);
    // The signature is spent.
    await expect(token.connect(relayer).delegateBySig(eve.address, 0n, expiry, dsig.v, dsig.r, dsig.s))
      .to.be.revertedWithCustomError(token, "InvalidAccountNonce")
      .withArgs(eve.address, 1n);
    await mine(1);

    const p = buildProposal("Grant", "Paid by a vote by signature.", [
      {
        kind: "grant",
        fund: await s.core.protectionFund.getAddress(),
        token: await token.getAddress(),
        to: s.grantee.address,
        amount: 10n * TTD,
      },
    ]);
    const id = await propose(governor, alice, p);
    await toVoting(governor, id);

    // carol signs a ballot; a relayer submits it.
    const vsig = await signVote(governor, carol, id, Vote.For);
    // Not valid for anyone else.
    await expect(governor.connect(relayer).castVoteBySig(id, Vote.For, alice.address, vsig))
      .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
      .withArgs(alice.address);
    await expect(governor.connect(relayer).castVoteBySig(id, Vote.For, carol.address, vsig))
      .to.emit(governor, "VoteCast")
      .withArgs(carol.address, id, Vote.For, FUNDS.carol, "");
    expect(await governor.hasVoted(id, carol.address)).to.equal(true);
    expect(await governor.hasVoted(id, relayer.address)).to.equal(false);
    expect(await governor.nonces(carol.address)).to.equal(1n);
    await expect(governor.connect(relayer).castVoteBySig(id, Vote.For, carol.address, vsig))
      .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
      .withArgs(carol.address);

    // eve's power, delegated by signature before the snapshot, counts.
    await expect(governor.connect(eve).castVote(id, Vote.Against))
      .to.emit(governor, "VoteCast")
      .withArgs(eve.address, id, Vote.Against, FUNDS.eve, "");
    const [against, forVotes, abstain] = await governor.proposalVotes(id);
    expect([against, forVotes, abstain]).to.deep.equal([FUNDS.eve, FUNDS.carol, 0n]);
    await toVoteEnd(governor, id);
    expect(await governor.state(id), "carol alone reached the quorum").to.equal(ProposalState.Succeeded);
  });

  it("defeats a proposal that misses the quorum; it cannot be queued or executed", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, bob, dave } = s;
    const p = buildProposal("Grant to bob", "Few care.", [
      {
        kind: "grant",
        fund: await s.core.protectionFund.getAddress(),
        token: await s.core.token.getAddress(),
        to: bob.address,
        amount: 1_000n * TTD,
      },
    ]);
    const id = await propose(governor, bob, p);
    await toVoting(governor, id);
    await (await governor.connect(bob).castVote(id, Vote.For)).wait();
    await (await governor.connect(dave).castVote(id, Vote.Abstain)).wait();
    const [against, forVotes, abstain] = await governor.proposalVotes(id);
    expect(against).to.equal(0n);
    expect(forVotes + abstain).to.equal(FUNDS.bob + FUNDS.dave);
    expect(forVotes + abstain).to.be.lt(await governor.quorum(await governor.proposalSnapshot(id)));
    await toVoteEnd(governor, id);
    expect(await governor.state(id)).to.equal(ProposalState.Defeated);

    await expect(
      governor["queue(address[],uint256[],bytes[],bytes32)"](
        p.targets,
        p.values,
        p.calldatas,
        p.descriptionHash,
      ),
    )
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    await expect(execute(governor, p))
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Defeated, stateBitmap(ProposalState.Queued));
    expect(await s.core.token.balanceOf(bob.address)).to.equal(FUNDS.bob);
  });

  it("refuses to execute a passed proposal before the Timelock's delay, to the second", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, timelock, grantee } = s;
    const amount = 50n * TTD;
    const p = buildProposal("Grant", "Must wait two days.", [
      {
        kind: "grant",
        fund: await s.core.protectionFund.getAddress(),
        token: await s.core.token.getAddress(),
        to: grantee.address,
        amount,
      },
    ]);
    const id = await proposeAndQueue(s, p);
    const governorAddress = await governor.getAddress();
    const opId = await timelockOperationId(timelock, governorAddress, p);
    // The Governor scheduled exactly that operation, due two days after queueing.
    const [scheduled] = await timelock.queryFilter(timelock.filters.CallScheduled);
    expect(scheduled.args.id).to.equal(opId);
    expect(scheduled.args.delay).to.equal(DEFAULT_GOVERNANCE.timelockDelay);
    const queuedAt = BigInt((await ethers.provider.getBlock(scheduled.blockNumber))!.timestamp);
    const eta = await governor.proposalEta(id);
    expect(eta).to.equal(queuedAt + DEFAULT_GOVERNANCE.timelockDelay);
    expect(await timelock.getTimestamp(opId)).to.equal(eta);

    await expect(execute(governor, p))
      .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
      .withArgs(opId, TIMELOCK_READY);
    // Nor straight on the Timelock, whose executor role is open to anyone.
    await expect(
      timelock
        .connect(grantee)
        .executeBatch(p.targets, p.values, p.calldatas, ethers.ZeroHash, timelockSalt(governorAddress, p)),
    )
      .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
      .withArgs(opId, TIMELOCK_READY);
    // One second before the delay is over: still refused.
    await time.increaseTo(eta - 1n);
    await expect(
      governor["execute(address[],uint256[],bytes[],bytes32)"].staticCall(
        p.targets,
        p.values,
        p.calldatas,
        p.descriptionHash,
      ),
    )
      .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
      .withArgs(opId, TIMELOCK_READY);
    expect(await s.core.token.balanceOf(grantee.address)).to.equal(0n);
    expect(await governor.state(id)).to.equal(ProposalState.Queued);
    // Due: executes.
    await time.setNextBlockTimestamp(eta);
    await expect(execute(governor, p)).to.emit(governor, "ProposalExecuted").withArgs(id);
    expect(await s.core.token.balanceOf(grantee.address)).to.equal(amount);
    expect(await timelock.isOperationDone(opId)).to.equal(true);
  });

  it("rejects a proposal from an account below the proposal threshold", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, bob, dave, stranger, whale } = s;
    const p = buildProposal("Anything", "From small holders.", [
      { kind: "setMetricWeights", subnet: await s.core.subnets[1].getAddress(), weights: [10_000] },
    ]);
    const threshold = await governor.proposalThreshold();
    expect(threshold).to.equal(((await s.core.token.totalSupply()) * 10n) / BPS);
    const tryPropose = (who: HardhatEthersSigner) =>
      governor.connect(who).propose(p.targets, p.values, p.calldatas, p.description);
    await expect(tryPropose(dave))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(dave.address, FUNDS.dave, threshold);
    await expect(tryPropose(stranger))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(stranger.address, 0n, threshold);
    // Balance is not power: the whale holds 100,000+ TTD, undelegated.
    expect(await s.core.token.balanceOf(whale.address)).to.be.gt(threshold);
    await expect(tryPropose(whale))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(whale.address, 0n, threshold);
    // bob is above it.
    await expect(tryPropose(bob)).to.emit(governor, "ProposalCreated");
  });

  it("records the Markdown description built by buildProposal", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, alice, grantee } = s;
    const fund = await s.core.protectionFund.getAddress();
    const token = await s.core.token.getAddress();
    const subnet = await s.core.subnets[2].getAddress();
    const actions: Action[] = [
      { kind: "grant", fund, token, to: grantee.address, amount: 1_000n * TTD },
      { kind: "setMetricWeights", subnet, weights: [4000, 2000, 2000, 2000] },
    ];
    const p = buildProposal("Fund the compute audit", "Pays the auditors and reweighs compute.", actions);
    const expected = [
      "# Fund the compute audit",
      "",
      "Pays the auditors and reweighs compute.",
      "",
      "## Actions",
      "",
      `1. Pay 1,000 (1000000000000000000000 wei) of token ${token} from the protection fund to ${grantee.address}`,
      `2. Set metric weights of subnet ${subnet} to 4000/2000/2000/2000 bps (from its next round)`,
    ].join("\n");
    expect(p.description).to.equal(expected);
    expect(p.descriptionHash).to.equal(keccakId(expected));

    const tx = governor.connect(alice).propose(p.targets, p.values, p.calldatas, p.description);
    const id = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
    const receipt = await (await tx).wait();
    const [created] = await governor.queryFilter(governor.filters.ProposalCreated, receipt!.blockNumber);
    expect(created.args.proposalId).to.equal(id);
    expect(created.args.proposer).to.equal(alice.address);
    expect(created.args.description).to.equal(expected);
    expect(Array.from(created.args.targets)).to.deep.equal([fund, subnet]);
    expect(Array.from(created.args.calldatas)).to.deep.equal(p.calldatas);
    // GovernorStorage keeps the calls and the description's hash.
    const [targets, values, calldatas, descriptionHash] = await governor.proposalDetails(id);
    expect(Array.from(targets)).to.deep.equal(p.targets);
    expect(Array.from(values)).to.deep.equal(p.values);
    expect(Array.from(calldatas)).to.deep.equal(p.calldatas);
    expect(descriptionHash).to.equal(keccakId(expected));
    expect(await governor.proposalProposer(id)).to.equal(alice.address);
  });

  it("changes its own settings (and the Timelock's delay) through a proposal", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, timelock, alice, bob } = s;
    const governorAddress = await governor.getAddress();
    const timelockAddress = await timelock.getAddress();
    const call = governorCall(governor, governorAddress);
    const p = buildProposal("Slower, stricter governance", "More time to read, more to propose.", [
      call("setVotingDelay", [2n * DAY], "Voting delay: 2 days"),
      call("setVotingPeriod", [3n * DAY], "Voting period: 3 days"),
      call("setProposalThreshold", [1_000n * TTD], "Proposal threshold: at least 1,000 TTD"),
      call("setProposalThresholdBps", [100n], "Proposal threshold: 1% of the supply"),
      call("updateQuorumNumerator", [5n], "Quorum: 5% of the supply"),
      call("setLateQuorumVoteExtension", [DAY / 2n], "Late-quorum extension: 12 hours"),
      {
        kind: "call",
        target: timelockAddress,
        data: timelock.interface.encodeFunctionData("updateDelay", [3n * DAY]),
        summary: "Timelock delay: 3 days",
      },
    ]);
    // Not directly.
    await expect(governor.connect(alice).setVotingDelay(2n * DAY))
      .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
      .withArgs(alice.address);

    const id = await proposeAndQueue(s, p);
    const receipt = await executeWhenDue(s, id, p);
    const b = receipt.blockNumber;
    const [vd] = await governor.queryFilter(governor.filters.VotingDelaySet, b, b);
    const [vp] = await governor.queryFilter(governor.filters.VotingPeriodSet, b, b);
    const [pt] = await governor.queryFilter(governor.filters.ProposalThresholdSet, b, b);
    const [ptb] = await governor.queryFilter(governor.filters.ProposalThresholdBpsSet, b, b);
    const [q] = await governor.queryFilter(governor.filters.QuorumNumeratorUpdated, b, b);
    const [lq] = await governor.queryFilter(governor.filters.LateQuorumVoteExtensionSet, b, b);
    const [md] = await timelock.queryFilter(timelock.filters.MinDelayChange, b, b);
    expect([vd.args.oldVotingDelay, vd.args.newVotingDelay]).to.deep.equal([DAY, 2n * DAY]);
    expect([vp.args.oldVotingPeriod, vp.args.newVotingPeriod]).to.deep.equal([5n * DAY, 3n * DAY]);
    expect([pt.args.oldProposalThreshold, pt.args.newProposalThreshold]).to.deep.equal([0n, 1_000n * TTD]);
    expect([ptb.args.oldBps, ptb.args.newBps]).to.deep.equal([10n, 100n]);
    expect([q.args.oldQuorumNumerator, q.args.newQuorumNumerator]).to.deep.equal([4n, 5n]);
    expect([lq.args.oldVoteExtension, lq.args.newVoteExtension]).to.deep.equal([DAY, DAY / 2n]);
    expect([md.args.oldDuration, md.args.newDuration]).to.deep.equal([2n * DAY, 3n * DAY]);

    expect(await governor.votingDelay()).to.equal(2n * DAY);
    expect(await governor.votingPeriod()).to.equal(3n * DAY);
    expect(await governor.proposalThresholdBps()).to.equal(100n);
    expect(await governor["quorumNumerator()"]()).to.equal(5n);
    expect(await governor.lateQuorumVoteExtension()).to.equal(DAY / 2n);
    expect(await timelock.getMinDelay()).to.equal(3n * DAY);

    // The new settings apply: 1% of the supply to propose (bob's 5,000 TTD no longer suffices)...
    const supply = await s.core.token.totalSupply();
    const threshold = await governor.proposalThreshold();
    expect(threshold).to.equal(supply / 100n);
    const q2 = buildProposal("Next", "Under the new rules.", [
      { kind: "setMetricWeights", subnet: await s.core.subnets[1].getAddress(), weights: [10_000] },
    ]);
    await expect(governor.connect(bob).propose(q2.targets, q2.values, q2.calldatas, q2.description))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(bob.address, FUNDS.bob, threshold);
    // ... a 2-day delay, a 3-day vote, a 5% quorum and a 3-day Timelock.
    const id2 = await propose(governor, alice, q2);
    const created = BigInt(await time.latest());
    const snapshot = await governor.proposalSnapshot(id2);
    expect(snapshot).to.equal(created + 2n * DAY);
    expect(await governor.proposalDeadline(id2)).to.equal(snapshot + 3n * DAY);
    expect(await governor.quorum(created - 1n)).to.equal((supply * 5n) / 100n);
    await toVoting(governor, id2);
    await (await governor.connect(alice).castVote(id2, Vote.For)).wait();
    await toVoteEnd(governor, id2);
    await (
      await governor["queue(address[],uint256[],bytes[],bytes32)"](
        q2.targets,
        q2.values,
        q2.calldatas,
        q2.descriptionHash,
      )
    ).wait();
    expect(await governor.proposalEta(id2)).to.equal(BigInt(await time.latest()) + 3n * DAY);
  });

  it("extends the deadline when a vote reaches the quorum near the end (GovernorPreventLateQuorum)", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, alice, bob, carol } = s;
    const p = buildProposal("Late", "Quorum at the last hour.", [
      { kind: "setMetricWeights", subnet: await s.core.subnets[0].getAddress(), weights: [5000, 5000] },
    ]);
    const id = await propose(governor, bob, p);
    const deadline = await governor.proposalDeadline(id);
    await toVoting(governor, id);
    // bob alone is far from the quorum: no extension.
    await expect(governor.connect(bob).castVote(id, Vote.For)).not.to.emit(governor, "ProposalExtended");
    expect(await governor.proposalDeadline(id)).to.equal(deadline);

    // An hour before the end, alice's vote reaches the quorum: one more day from now. Past the original
    // deadline the vote is still open, and others can react: carol's Against does not outweigh alice.
    await lateQuorumAndReaction(governor, id, {
      late: alice,
      before: 3600n,
      reactor: carol,
      weight: FUNDS.carol,
      final: ProposalState.Succeeded,
    });
  });

  it("executes a passed proposal's calls once; executing it again reverts", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, grantee } = s;
    const p = buildProposal("Twice", "Two grants in one proposal.", [
      {
        kind: "grant",
        fund: await s.core.protectionFund.getAddress(),
        token: await s.core.token.getAddress(),
        to: grantee.address,
        amount: 1n * TTD,
      },
      {
        kind: "grant",
        fund: await s.core.protectionFund.getAddress(),
        token: await s.core.token.getAddress(),
        to: grantee.address,
        amount: 2n * TTD,
      },
    ]);
    await passProposal(s, p);
    expect(await s.core.token.balanceOf(grantee.address)).to.equal(3n * TTD);
    const id = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
    await expect(execute(governor, p))
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
  });

  it("sets the vote lookback and the quorum floor through proposals, only within their bounds", async () => {
    const s = await loadFixture(deployGovernedSystem);
    const { governor, alice } = s;
    const { token } = s.core;
    const governorAddress = await governor.getAddress();
    const call = governorCall(governor, governorAddress);
    const MIN_LOOKBACK = await governor.MIN_VOTE_LOOKBACK();
    const MAX_LOOKBACK = await governor.MAX_VOTE_LOOKBACK();
    expect([MIN_LOOKBACK, MAX_LOOKBACK]).to.deep.equal([DAY, 30n * DAY]);
    // Nobody mints while the proposals run: the supply the floor is checked against is today's.
    const supply = await token.totalSupply();
    const halfSupply = (supply * 50n) / 100n; // MAX_QUORUM_PERCENT of the supply
    // Alice delegated a day before `t`: the default one-day lookback counts her votes there.
    const t = BigInt(await time.latest()) - 1n;
    expect(await governor.getVotes(alice.address, t)).to.equal(FUNDS.alice);

    // Not directly, not even the quorum floor.
    await expect(governor.connect(alice).setQuorumFloor(0n))
      .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
      .withArgs(alice.address);

    const refused: [string, bigint, Proposal][] = [
      [
        "InvalidVoteLookback",
        MIN_LOOKBACK - 1n,
        buildProposal("Short lookback", "a second under a day", [
          call("setVoteLookback", [MIN_LOOKBACK - 1n], "Vote lookback: 1 day - 1 s"),
        ]),
      ],
      [
        "InvalidVoteLookback",
        MAX_LOOKBACK + 1n,
        buildProposal("Long lookback", "a second over 30 days", [
          call("setVoteLookback", [MAX_LOOKBACK + 1n], "Vote lookback: 30 days + 1 s"),
        ]),
      ],
      [
        "InvalidQuorumFloor",
        halfSupply + 1n,
        buildProposal("Floor over half", "a wei over half the supply", [
          call("setQuorumFloor", [halfSupply + 1n], "Quorum floor: half the supply + 1 wei"),
        ]),
      ],
    ];
    const atBounds = buildProposal("Lookback and floor at their bounds", "30 days, half the supply", [
      call("setVoteLookback", [MAX_LOOKBACK], "Vote lookback: 30 days"),
      call("setQuorumFloor", [halfSupply], "Quorum floor: half the supply"),
    ]);
    for (const [, , p] of refused) await proposeAndQueue(s, p);
    const id = await proposeAndQueue(s, atBounds);
    await time.increaseTo(await governor.proposalEta(id));
    const now = BigInt(await time.latest());
    expect(await token.getPastTotalSupply(now - 1n), "the supply did not move").to.equal(supply);
    for (const [error, arg, p] of refused) {
      await expect(execute(governor, p), `${error}(${arg})`)
        .to.be.revertedWithCustomError(governor, error)
        .withArgs(arg);
    }
    expect(await governor.voteLookback()).to.equal(DEFAULT_GOVERNANCE.voteLookback);
    expect(await governor.quorumFloor()).to.equal(DEFAULT_GOVERNANCE.quorumFloor);

    await expect(execute(governor, atBounds))
      .to.emit(governor, "VoteLookbackSet")
      .withArgs(DEFAULT_GOVERNANCE.voteLookback, MAX_LOOKBACK)
      .and.to.emit(governor, "QuorumFloorSet")
      .withArgs(DEFAULT_GOVERNANCE.quorumFloor, halfSupply);
    expect(await governor.voteLookback()).to.equal(MAX_LOOKBACK);
    expect(await governor.quorumFloor()).to.equal(halfSupply);
    // The floor now outweighs the 4% fraction; the 30-day lookback reaches back before alice delegated.
    expect(await governor.quorum(BigInt(await time.latest()) - 1n)).to.equal(halfSupply);
    expect(await token.getPastVotes(alice.address, t)).to.equal(FUNDS.alice);
    expect(await governor.getVotes(alice.address, t)).to.equal(0n);
  });

  it("counts no votes at a timepoint earlier than the vote lookback, instead of underflowing", async () => {
    const { governor, alice } = await loadFixture(deployGovernedSystem);
    const lookback = await governor.voteLookback();
    expect(lookback).to.equal(DAY);
    // Before the clock's origin plus the lookback there is no `timepoint - lookback` to read.
    expect(await governor.getVotes(alice.address, 0n)).to.equal(0n);
    expect(await governor.getVotes(alice.address, lookback - 1n)).to.equal(0n);
    expect(await governor.getVotes(alice.address, lookback)).to.equal(0n);
    // Today, alice's delegated votes count in full.
    expect(await governor.getVotes(alice.address, BigInt(await time.latest()) - 1n)).to.equal(FUNDS.alice);
  });
});
