/**
 * Proposals from typed actions: build, propose, vote (directly or by EIP-712 signature), queue and
 * execute. Used by tests, the CLI tasks and the simulation.
 */
import { AbiCoder, BigNumberish, Interface, Signer, Signature, formatEther, id, keccak256 } from "ethers";
import {
  CapitalPool__factory,
  ContributionBucket__factory,
  EmissionController__factory,
  Subnet__factory,
  TetradGovernor,
  Treasury__factory,
} from "../../../typechain-types";
import { BUCKET_NAMES, Shares } from "./constants";
import { SubnetParams } from "./poc";
import { BuiltProposal, ProposalCall, ProposalHashing, assembleProposal } from "../shared/governance";
import { BALLOT_TYPES, DELEGATION_TYPES } from "../shared/eip712";

/** One thing a proposal does, in words a voter can check. */
export type Action =
  | { kind: "setShares"; controller: string; shares: Shares }
  | { kind: "setMetricWeights"; subnet: string; weights: number[] }
  | { kind: "setSubnetParams"; subnet: string; params: SubnetParams }
  | { kind: "setSubnetWeights"; bucket: string; subnets: string[]; weights: number[] }
  | { kind: "grant"; fund: string; token: string; to: string; amount: bigint }
  | { kind: "slash"; subnet: string; validator: string; amount: bigint }
  | {
      kind: "setPoolSettings";
      pool: string;
      rewardsDuration?: bigint;
      minDeposit?: bigint;
      withdrawLock?: bigint;
    }
  | { kind: "call"; target: string; data: string; value?: bigint; summary: string };

export type Call = ProposalCall;

const controllerI = EmissionController__factory.createInterface();
const subnetI = Subnet__factory.createInterface();
const bucketI = ContributionBucket__factory.createInterface();
const treasuryI = Treasury__factory.createInterface();
const poolI = CapitalPool__factory.createInterface();

function call(target: string, iface: Interface, fn: string, args: unknown[], summary: string): Call {
  return { target, value: 0n, data: iface.encodeFunctionData(fn, args), summary };
}

/** Turns actions into calls, each with a one-line summary for the proposal's description. */
/** An 18-decimal amount as voters read it: `1,000 (1000000000000000000000 wei)`. */
function units(wei: bigint): string {
  const [whole, frac] = formatEther(wei).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${frac === "0" ? grouped : `${grouped}.${frac}`} (${wei} wei)`;
}

export function toCalls(actions: Action[]): Call[] {
  const calls: Call[] = [];
  for (const a of actions) {
    switch (a.kind) {
      case "setShares":
        calls.push(
          call(
            a.controller,
            controllerI,
            "setShares",
            [a.shares],
            `Set bucket shares to ${a.shares.map((s, i) => `${BUCKET_NAMES[i]} ${s / 100}%`).join(", ")}`,
          ),
        );
        break;
      case "setMetricWeights":
        calls.push(
          call(
            a.subnet,
            subnetI,
            "setMetricWeights",
            [a.weights],
            `Set metric weights of subnet ${a.subnet} to ${a.weights.join("/")} bps (from its next round)`,
          ),
        );
        break;
      case "setSubnetParams":
        calls.push(
          call(
            a.subnet,
            subnetI,
            "setParams",
            [a.params],
            `Set the settings of subnet ${a.subnet} (from its next round)`,
          ),
        );
        break;
      case "setSubnetWeights":
        calls.push(
          call(
            a.bucket,
            bucketI,
            "setFloors",
            [a.subnets, a.weights],
            `Split bucket ${a.bucket}: ${a.subnets.map((s, i) => `${s} ${a.weights[i] / 100}%`).join(", ")}`,
          ),
        );
        break;
      case "grant":
        calls.push(
          call(
            a.fund,
            treasuryI,
            "release",
            [a.token, a.to, a.amount],
            `Pay ${units(a.amount)} of token ${a.token} from the protection fund to ${a.to}`,
          ),
        );
        break;
      case "slash":
        calls.push(
          call(
            a.subnet,
            subnetI,
            "slash",
            [a.validator, a.amount],
            `Slash up to ${units(a.amount)} TTD of validator ${a.validator}'s stake in subnet ${a.subnet} to the protection fund`,
          ),
        );
        break;
      case "setPoolSettings":
        if (a.rewardsDuration !== undefined)
          calls.push(
            call(
              a.pool,
              poolI,
              "setRewardsDuration",
              [a.rewardsDuration],
              `Set the capital pool's reward stream to ${a.rewardsDuration} s`,
            ),
          );
        if (a.minDeposit !== undefined)
          calls.push(
            call(
              a.pool,
              poolI,
              "setMinDeposit",
              [a.minDeposit],
              `Set the capital pool's minimum deposit to ${units(a.minDeposit)}`,
            ),
          );
        if (a.withdrawLock !== undefined)
          calls.push(
            call(
              a.pool,
              poolI,
              "setWithdrawLock",
              [a.withdrawLock],
              `Set the capital pool's withdraw lock to ${a.withdrawLock} s`,
            ),
          );
        break;
      case "call":
        calls.push({ target: a.target, value: a.value ?? 0n, data: a.data, summary: a.summary });
        break;
    }
  }
  return calls;
}

/** A proposal as the Governor takes it, with its id (see ../shared/governance). */
export type Proposal = BuiltProposal;

/** The hashes of a proposal, with ethers. */
const HASHING: ProposalHashing = {
  descriptionHash: (description) => id(description),
  proposalId: (targets, values, calldatas, descriptionHash) =>
    BigInt(
      keccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["address[]", "uint256[]", "bytes[]", "bytes32"],
          [targets, values, calldatas, descriptionHash],
        ),
      ),
    ),
};

/** A proposal from actions; the description is Markdown: the title, the rationale and every call. */
export function buildProposal(title: string, rationale: string, actions: Action[]): Proposal {
  return assembleProposal(title, rationale, toCalls(actions), HASHING);
}

export async function proposalId(governor: TetradGovernor, p: Proposal): Promise<bigint> {
  return governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
}

export async function propose(governor: TetradGovernor, proposer: Signer, p: Proposal): Promise<bigint> {
  await (await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description)).wait();
  return proposalId(governor, p);
}

export enum Vote {
  Against = 0,
  For = 1,
  Abstain = 2,
}

/** An EIP-712 `Ballot` signature, as a wallet makes it with eth_signTypedData_v4. */
export async function signVote(
  governor: TetradGovernor,
  voter: Signer,
  id_: BigNumberish,
  support: Vote,
): Promise<string> {
  const address = await voter.getAddress();
  const { chainId } = await voter.provider!.getNetwork();
  const domain = {
    name: await governor.name(),
    version: await governor.version(),
    chainId,
    verifyingContract: await governor.getAddress(),
  };
  return voter.signTypedData(domain, BALLOT_TYPES, {
    proposalId: id_,
    support,
    voter: address,
    nonce: await governor.nonces(address),
  });
}

/** An EIP-712 `Delegation` signature for ERC20Votes.delegateBySig. */
export async function signDelegation(
  token: { name(): Promise<string>; getAddress(): Promise<string>; nonces(a: string): Promise<bigint> },
  delegator: Signer,
  delegatee: string,
  expiry: bigint,
): Promise<Signature> {
  const { chainId } = await delegator.provider!.getNetwork();
  const domain = {
    name: await token.name(),
    version: "1",
    chainId,
    verifyingContract: await token.getAddress(),
  };
  const nonce = await token.nonces(await delegator.getAddress());
  return Signature.from(
    await delegator.signTypedData(domain, DELEGATION_TYPES, { delegatee, nonce, expiry }),
  );
}

/** Queues or executes a proposal by its parts (as signer, or the governor's runner). */
async function byParts(
  fn: "queue(address[],uint256[],bytes[],bytes32)" | "execute(address[],uint256[],bytes[],bytes32)",
  governor: TetradGovernor,
  p: Proposal,
  signer?: Signer,
): Promise<void> {
  const g = signer ? governor.connect(signer) : governor;
  await (await g[fn](p.targets, p.values, p.calldatas, p.descriptionHash)).wait();
}

export const queue = (governor: TetradGovernor, p: Proposal, signer?: Signer): Promise<void> =>
  byParts("queue(address[],uint256[],bytes[],bytes32)", governor, p, signer);

export const execute = (governor: TetradGovernor, p: Proposal, signer?: Signer): Promise<void> =>
  byParts("execute(address[],uint256[],bytes[],bytes32)", governor, p, signer);
