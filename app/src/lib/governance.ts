/** Governance reads and the EIP-712 messages a wallet signs to vote or delegate by signature. */
import type { Address, Hex, TypedDataDefinition } from "viem";
import { governorAbi, tetradAbi } from "../generated/abis";
import { maybe, readAll, useApp, useChainQuery } from "./app";
import { ZERO } from "./subnets";
import { PROPOSAL_STATES, SUPPORT, type ProposalState } from "../../../scripts/lib/shared/governance";
import { BALLOT_TYPES, DELEGATION_TYPES, EXTENDED_BALLOT_TYPES } from "../../../scripts/lib/shared/eip712";

export { SUPPORT };

export function useVotingPower() {
  const { contracts, account } = useApp();
  const me = account ?? ZERO;
  const token = { address: contracts.Tetrad, abi: tetradAbi } as const;
  const gov = { address: contracts.TetradGovernor, abi: governorAbi } as const;
  return useChainQuery(["voting-power", me], async (c) => {
    const [balance, votes, delegate, supply, [threshold, delay, period, quorumNum, quorumDen, timelock]] =
      await Promise.all([
        c.readContract({ ...token, functionName: "balanceOf", args: [me] }),
        c.readContract({ ...token, functionName: "getVotes", args: [me] }),
        c.readContract({ ...token, functionName: "delegates", args: [me] }),
        c.readContract({ ...token, functionName: "totalSupply" }),
        readAll(c, gov, [
          "proposalThreshold",
          "votingDelay",
          "votingPeriod",
          "quorumNumerator",
          "quorumDenominator",
          "timelock",
        ]),
      ]);
    return { balance, votes, delegate, supply, threshold, delay, period, quorumNum, quorumDen, timelock };
  });
}

export interface ProposalView {
  id: bigint;
  proposer: Address;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  description: string;
  state: ProposalState;
  against: bigint;
  for: bigint;
  abstain: bigint;
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
  quorum: bigint;
  hasVoted: boolean;
}

export function useProposals() {
  const { contracts, account, chain } = useApp();
  const me = account ?? ZERO;
  const gov = { address: contracts.TetradGovernor, abi: governorAbi } as const;
  return useChainQuery(["proposals", me], async (c): Promise<ProposalView[]> => {
    const logs = await c.getContractEvents({
      ...gov,
      eventName: "ProposalCreated",
      fromBlock: BigInt(chain.startBlock),
    });
    const [num, den, supply] = await Promise.all([
      c.readContract({ ...gov, functionName: "quorumNumerator" }),
      c.readContract({ ...gov, functionName: "quorumDenominator" }),
      c.readContract({ address: contracts.Tetrad, abi: tetradAbi, functionName: "totalSupply" }),
    ]);
    const views = await Promise.all(
      logs.map(async (l) => {
        const id = l.args.proposalId ?? 0n;
        const [state, votes, snapshot, deadline, eta, hasVoted] = await Promise.all([
          c.readContract({ ...gov, functionName: "state", args: [id] }),
          c.readContract({ ...gov, functionName: "proposalVotes", args: [id] }),
          c.readContract({ ...gov, functionName: "proposalSnapshot", args: [id] }),
          c.readContract({ ...gov, functionName: "proposalDeadline", args: [id] }),
          c.readContract({ ...gov, functionName: "proposalEta", args: [id] }),
          c.readContract({ ...gov, functionName: "hasVoted", args: [id, me] }),
        ]);
        // quorum(t) needs a past timepoint; before the snapshot, estimate it from today's supply.
        const quorum =
          (await maybe(c.readContract({ ...gov, functionName: "quorum", args: [snapshot] }))) ??
          (supply * num) / den;
        return {
          id,
          proposer: l.args.proposer ?? ZERO,
          targets: l.args.targets ?? [],
          values: l.args.values ?? [],
          calldatas: l.args.calldatas ?? [],
          description: l.args.description ?? "",
          state: PROPOSAL_STATES[state] ?? "Pending",
          against: votes[0],
          for: votes[1],
          abstain: votes[2],
          snapshot,
          deadline,
          eta,
          quorum,
          hasVoted,
        };
      }),
    );
    return views.reverse();
  });
}

export interface GovernorDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

/** The Ballot (no reason) or ExtendedBallot (with a reason) a voter signs for castVote…BySig. */
export function ballotTypedData(
  domain: GovernorDomain,
  proposalId: bigint,
  support: number,
  voter: Address,
  nonce: bigint,
  reason: string,
): TypedDataDefinition {
  if (reason === "")
    return {
      domain,
      types: BALLOT_TYPES,
      primaryType: "Ballot",
      message: { proposalId, support, voter, nonce },
    } as TypedDataDefinition;
  return {
    domain,
    types: EXTENDED_BALLOT_TYPES,
    primaryType: "ExtendedBallot",
    message: { proposalId, support, voter, nonce, reason, params: "0x" },
  } as TypedDataDefinition;
}

export function delegationTypedData(
  domain: GovernorDomain,
  delegatee: Address,
  nonce: bigint,
  expiry: bigint,
): TypedDataDefinition {
  return {
    domain,
    types: DELEGATION_TYPES,
    primaryType: "Delegation",
    message: { delegatee, nonce, expiry },
  } as TypedDataDefinition;
}

/** A signature to hand to anyone who pays the gas (a relayer, or another of your wallets). */
export type SignedMessage =
  | {
      kind: "tetrad-vote";
      chainId: number;
      proposalId: string;
      support: number;
      voter: Address;
      reason: string;
      signature: Hex;
    }
  | {
      kind: "tetrad-delegation";
      chainId: number;
      delegator: Address;
      delegatee: Address;
      nonce: string;
      expiry: string;
      signature: Hex;
    };

export function parseSigned(text: string): SignedMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "Paste the signed message exactly as it was copied (JSON).";
  }
  if (typeof v !== "object" || v === null) return "Not a signed message.";
  const o = v as Record<string, unknown>;
  const hex = (x: unknown) => typeof x === "string" && /^0x[0-9a-fA-F]*$/.test(x);
  if (o.kind === "tetrad-vote" && hex(o.signature) && hex(o.voter) && typeof o.proposalId === "string")
    return o as unknown as SignedMessage;
  if (o.kind === "tetrad-delegation" && hex(o.signature) && hex(o.delegatee) && typeof o.expiry === "string")
    return o as unknown as SignedMessage;
  return "Not a Tetrad vote or delegation signature.";
}

/** Keys of the signed vote and delegation examples (JSON with bigint as strings). */
export function stringifySigned(m: SignedMessage): string {
  return JSON.stringify(m);
}
