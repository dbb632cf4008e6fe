/**
 * The whole system under the DAO, for test/governance/Governance.test.ts and Attacks.test.ts, plus the
 * proposal round trip. No tests here.
 *
 * Voters' TTD comes from the emission only. The protection bucket is 4% of the supply, exactly the
 * default quorum, so it cannot fund a quorum on its own (plus grants): the capital bucket does most of
 * it. A capital staker (`whale`) is alone in the pool for the first distribution (day 60) and claims the
 * whole 7-day stream; it pays the large voters and keeps the rest undelegated. The deployer, still the
 * AccessManager's admin, pays the smaller accounts from the protection fund. Then the DAO is deployed
 * (the deployer renounces everything) and the voters delegate to themselves.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionReceipt, ContractTransactionResponse, Interface, parseEther } from "ethers";
import { TetradGovernor, TetradTimelock } from "../../typechain-types";
import { DAY, DEFAULT_GOVERNANCE } from "../../scripts/lib/chain/constants";
import { Core, deployCore } from "./deploy";
import { deployGovernance } from "./deploy";
import { Action, Proposal, Vote, propose, queue } from "../../scripts/lib/chain/governance";
import { PROPOSAL_STATES } from "../../scripts/lib/shared/governance";

export const TTD = 10n ** 18n;

/** Delegated voting power of each voter (the whale holds the rest of the pool's stream, undelegated). */
export const FUNDS = {
  alice: 60_000n * TTD, // more than the 4% quorum on her own (~34,400 TTD)
  carol: 40_000n * TTD, // also more than the quorum: votes by signature
  bob: 5_000n * TTD, // above the 0.1% proposal threshold (~860 TTD), under the quorum
  dave: 100n * TTD, // under the proposal threshold
  eve: 2_000n * TTD, // delegates by signature
  validator: 300n * TTD, // stakes in the code subnet
} as const;

/** The accounts of the fixture, in the order of `ethers.getSigners()`. */
const ACCOUNTS = [
  "deployer",
  "guardian",
  "alice",
  "bob",
  "carol",
  "dave",
  "eve",
  "validator",
  "whale",
  "stranger",
  "mallory",
  "relayer",
  "grantee",
] as const;

export type GovernedSystem = Record<(typeof ACCOUNTS)[number], HardhatEthersSigner> & {
  core: Core;
  governor: TetradGovernor;
  timelock: TetradTimelock;
  /** Block of the first deployment: every role event of the system is after it. */
  fromBlock: number;
};

export async function deployGovernedSystem(): Promise<GovernedSystem> {
  const signers = await ethers.getSigners();
  const accounts = Object.fromEntries(ACCOUNTS.map((name, i) => [name, signers[i]])) as Record<
    (typeof ACCOUNTS)[number],
    HardhatEthersSigner
  >;
  const { deployer, guardian, alice, bob, carol, dave, eve, validator, whale } = accounts;
  const fromBlock = await ethers.provider.getBlockNumber();
  const core = await deployCore(deployer);
  const { token, pool, controller, protectionFund } = core;

  // The whale stakes before the first distribution: the capital bucket's stream is all its own.
  const lp = core.mockStakingToken!;
  await (await lp.mint(whale.address, parseEther("1"))).wait();
  await (await lp.connect(whale).approve(pool, ethers.MaxUint256)).wait();
  await (await pool.connect(whale).deposit(parseEther("1"))).wait();

  await time.increase(60n * DAY);
  await (await controller.distribute()).wait();
  await time.increase(7n * DAY); // the stream runs out
  await (await pool.connect(whale).claim()).wait();

  for (const [who, amount] of [
    [alice, FUNDS.alice],
    [carol, FUNDS.carol],
  ] as const) {
    await (await token.connect(whale).transfer(who.address, amount)).wait();
  }
  // The deployer is still the AccessManager's admin: it pays from the protection fund.
  for (const [who, amount] of [
    [bob, FUNDS.bob],
    [dave, FUNDS.dave],
    [eve, FUNDS.eve],
    [validator, FUNDS.validator],
  ] as const) {
    await (await protectionFund.release(token, who.address, amount)).wait();
  }

  const { governor, timelock } = await deployGovernance(core, { guardian: guardian.address });

  for (const who of [alice, bob, carol, dave]) await (await token.connect(who).delegate(who.address)).wait();
  // Votes count only once held for the Governor's lookback (a day): the voters have held theirs that long.
  await time.increase(DEFAULT_GOVERNANCE.voteLookback);
  await mine(1);
  return { ...accounts, core, governor, timelock, fromBlock };
}

/** OpenZeppelin's `IGovernor.ProposalState` by name: its value is the index in PROPOSAL_STATES. */
export const ProposalState = Object.fromEntries(PROPOSAL_STATES.map((name, i) => [name, i])) as {
  readonly [K in (typeof PROPOSAL_STATES)[number]]: number;
};
export type ProposalState = number;

/** `bytes32(1 << state)` for each state, OR-ed: the `expectedStates` of GovernorUnexpectedProposalState. */
export function stateBitmap(...states: ProposalState[]): string {
  const bits = states.reduce((acc, s) => acc | (1n << BigInt(s)), 0n);
  return ethers.toBeHex(bits, 32);
}

/** TimelockController.OperationState.Ready as the `expectedStates` bitmap of TimelockUnexpectedOperationState. */
export const TIMELOCK_READY = ethers.toBeHex(1n << 2n, 32);

/** The Timelock operation id the Governor schedules for `p` (salt: governor address XOR description hash). */
export function timelockSalt(governorAddress: string, p: Proposal): string {
  return ethers.toBeHex((BigInt(governorAddress) << 96n) ^ BigInt(p.descriptionHash), 32);
}

export async function timelockOperationId(
  timelock: TetradTimelock,
  governorAddress: string,
  p: Proposal,
): Promise<string> {
  return timelock.hashOperationBatch(
    p.targets,
    p.values,
    p.calldatas,
    ethers.ZeroHash,
    timelockSalt(governorAddress, p),
  );
}

/** Moves the clock past the snapshot: the vote is open. */
export async function toVoting(governor: TetradGovernor, id: bigint): Promise<void> {
  await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
}

/** Moves the clock past the (possibly extended) deadline. */
export async function toVoteEnd(governor: TetradGovernor, id: bigint): Promise<void> {
  await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
}

/**
 * The late-quorum extension (GovernorPreventLateQuorum) of proposal `id`, open for votes: `late` votes
 * For `before` seconds before the deadline and reaches the quorum, which moves the deadline to that time
 * + lateQuorumExtension (ProposalExtended). Past the original deadline the vote is still open (without
 * the extension the proposal would be decided by now) and `reactor` votes Against with `weight`; the
 * proposal stays Active up to the new deadline and is `final` one second later.
 */
export async function lateQuorumAndReaction(
  governor: TetradGovernor,
  id: bigint,
  v: {
    late: HardhatEthersSigner;
    before: bigint;
    reactor: HardhatEthersSigner;
    weight: bigint;
    final: ProposalState;
  },
): Promise<void> {
  const deadline = await governor.proposalDeadline(id);
  await time.setNextBlockTimestamp(deadline - v.before);
  const extended = deadline - v.before + DEFAULT_GOVERNANCE.lateQuorumExtension;
  await expect(governor.connect(v.late).castVote(id, Vote.For))
    .to.emit(governor, "ProposalExtended")
    .withArgs(id, extended);
  expect(await governor.proposalDeadline(id)).to.equal(extended);
  await time.increaseTo(deadline + 1n);
  expect(await governor.state(id)).to.equal(ProposalState.Active);
  await expect(governor.connect(v.reactor).castVote(id, Vote.Against))
    .to.emit(governor, "VoteCast")
    .withArgs(v.reactor.address, id, Vote.Against, v.weight, "");
  await time.increaseTo(extended);
  expect(await governor.state(id)).to.equal(ProposalState.Active);
  await time.increase(1);
  expect(await governor.state(id)).to.equal(v.final);
}

/**
 * Proposes `p` as `proposer`, votes For with every `voters`, and queues it once it succeeded.
 * Returns the proposal id; the clock is left right after the queueing.
 */
export async function proposeAndQueue(
  s: GovernedSystem,
  p: Proposal,
  proposer: HardhatEthersSigner = s.alice,
  voters: HardhatEthersSigner[] = [s.alice],
): Promise<bigint> {
  const { governor } = s;
  const id = await propose(governor, proposer, p);
  await toVoting(governor, id);
  for (const v of voters) await (await governor.connect(v).castVote(id, Vote.For)).wait();
  await toVoteEnd(governor, id);
  await queue(governor, p);
  return id;
}

/** Sends `execute` for a queued proposal (it reverts unless due and queued). */
export function execute(governor: TetradGovernor, p: Proposal): Promise<ContractTransactionResponse> {
  return governor["execute(address[],uint256[],bytes[],bytes32)"](
    p.targets,
    p.values,
    p.calldatas,
    p.descriptionHash,
  );
}

/** A proposal action that calls the Governor itself (its own settings). */
export function governorCall(governor: TetradGovernor, governorAddress: string) {
  return (fn: string, args: unknown[], summary = fn): Action => ({
    kind: "call",
    target: governorAddress,
    data: (governor.interface as Interface).encodeFunctionData(fn, args),
    summary,
  });
}

/** Waits for the Timelock's delay and executes; returns the receipt. */
export async function executeWhenDue(
  s: GovernedSystem,
  id: bigint,
  p: Proposal,
): Promise<ContractTransactionReceipt> {
  await time.increaseTo(await s.governor.proposalEta(id));
  const tx = await execute(s.governor, p);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("execute: no receipt");
  return receipt;
}

/** The full round trip: propose, vote, queue, wait, execute. */
export async function passProposal(s: GovernedSystem, p: Proposal): Promise<ContractTransactionReceipt> {
  const id = await proposeAndQueue(s, p);
  return executeWhenDue(s, id, p);
}
