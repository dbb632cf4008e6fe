/**
 * Governance proposals from typed actions (bucket shares, subnet weights, metric weights, a
 * protection-fund grant): each action becomes one call with its calldata and a sentence a voter can
 * check; the proposal's description is Markdown (title, rationale, the calls). The reverse,
 * `describeCall`, reads any proposal's calls back into sentences.
 */
import {
  decodeFunctionData,
  encodeAbiParameters,
  encodeFunctionData,
  hexToBigInt,
  keccak256,
  stringToBytes,
  type Address,
  type Hex,
} from "viem";
import {
  capitalPoolAbi,
  contributionBucketAbi,
  emissionControllerAbi,
  subnetAbi,
  treasuryAbi,
} from "../generated/abis";
import { formatBps, formatTokens } from "./format";
import {
  assembleProposal,
  type BuiltProposal,
  type ProposalCall,
  type ProposalHashing,
} from "../../../scripts/lib/shared/governance";

export const BUCKETS = ["code", "community", "compute", "capital", "protection"] as const;
export type Shares = [number, number, number, number, number];

export type Action =
  | { kind: "setShares"; shares: Shares }
  | { kind: "setSubnetWeights"; bucket: Address; subnets: Address[]; weights: number[] }
  | { kind: "setMetricWeights"; subnet: Address; weights: number[] }
  | { kind: "grant"; token: Address; to: Address; amount: bigint };

export interface TokenInfo {
  symbol: string;
  decimals: number;
}

/** What the builder needs to know about a deployment. */
export interface BuildContext {
  controller: Address;
  protectionFund: Address;
  /** Known contracts by address (any case): `Code subnet`, `Capital pool`... */
  names: Record<string, string>;
  /** Tokens by address (any case), for grant amounts. */
  tokens: Record<string, TokenInfo>;
}

export interface Call extends ProposalCall<Address, Hex> {
  /** `Contract.function(args)` as the EVM sees it, for the careful voter. */
  signature: string;
}

/** A proposal as the Governor takes it, with its id and its calls in words. */
export type Proposal = BuiltProposal<Address, Hex, Call>;

/** The hashes of a proposal, with viem. */
const HASHING: ProposalHashing<Address, Hex> = {
  descriptionHash: (description) => keccak256(stringToBytes(description)),
  proposalId: (targets, values, calldatas, descriptionHash) =>
    hexToBigInt(
      keccak256(
        encodeAbiParameters(
          [{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }],
          [targets, values, calldatas, descriptionHash],
        ),
      ),
    ),
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const isAddress = (a: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(a);

export function nameOf(ctx: Pick<BuildContext, "names">, address: string): string {
  return ctx.names[address.toLowerCase()] ?? address;
}

/** What is wrong with an action, in words; empty when it can be proposed. */
export function validateAction(a: Action): string[] {
  const problems: string[] = [];
  const bps = (xs: readonly number[], what: string) => {
    if (xs.some((x) => !Number.isInteger(x) || x < 0 || x > 10_000))
      problems.push(`${what} must be whole basis points from 0 to 10,000`);
    else if (sum(xs) !== 10_000) problems.push(`${what} must sum to 10,000 bps (100%), not ${sum(xs)}`);
  };
  switch (a.kind) {
    case "setShares":
      if (a.shares.length !== 5) problems.push("five shares are needed");
      bps(a.shares, "Bucket shares");
      break;
    case "setSubnetWeights":
      if (a.subnets.length !== a.weights.length) problems.push("one weight per subnet");
      if (new Set(a.subnets.map((s) => s.toLowerCase())).size !== a.subnets.length)
        problems.push("a subnet appears twice");
      if (a.subnets.some((s) => !isAddress(s))) problems.push("every subnet must be an address");
      if (a.subnets.length > 0) bps(a.weights, "Subnet weights");
      break;
    case "setMetricWeights":
      if (a.weights.length < 1 || a.weights.length > 8) problems.push("1 to 8 metric weights");
      bps(a.weights, "Metric weights");
      break;
    case "grant":
      if (!isAddress(a.to)) problems.push("the recipient must be an address (0x…)");
      else if (/^0x0{40}$/.test(a.to)) problems.push("the recipient must not be the zero address");
      if (a.amount <= 0n) problems.push("the amount must be more than zero");
      break;
  }
  return problems;
}

/** One action → one call. Throws with the problems when the action is invalid. */
export function toCall(a: Action, ctx: BuildContext): Call {
  const problems = validateAction(a);
  if (problems.length > 0) throw new Error(problems.join("; "));
  switch (a.kind) {
    case "setShares":
      return {
        target: ctx.controller,
        value: 0n,
        data: encodeFunctionData({ abi: emissionControllerAbi, functionName: "setShares", args: [a.shares] }),
        summary: `Set the emission's bucket shares to ${a.shares.map((s, i) => `${BUCKETS[i]} ${formatBps(s)}`).join(", ")}`,
        signature: `EmissionController.setShares([${a.shares.join(", ")}])`,
      };
    case "setSubnetWeights":
      return {
        target: a.bucket,
        value: 0n,
        data: encodeFunctionData({
          abi: contributionBucketAbi,
          functionName: "setFloors",
          args: [a.subnets, a.weights],
        }),
        summary: `Split the ${nameOf(ctx, a.bucket)} among its subnets: ${a.subnets.map((s, i) => `${nameOf(ctx, s)} ${formatBps(a.weights[i] ?? 0)}`).join(", ")}`,
        signature: `ContributionBucket(${a.bucket}).setFloors([${a.subnets.join(", ")}], [${a.weights.join(", ")}])`,
      };
    case "setMetricWeights":
      return {
        target: a.subnet,
        value: 0n,
        data: encodeFunctionData({ abi: subnetAbi, functionName: "setMetricWeights", args: [a.weights] }),
        summary: `Weigh the metrics of the ${nameOf(ctx, a.subnet)} ${a.weights.map(formatBps).join(" / ")} (from its next round)`,
        signature: `Subnet(${a.subnet}).setMetricWeights([${a.weights.join(", ")}])`,
      };
    case "grant": {
      const t = ctx.tokens[a.token.toLowerCase()];
      const amount = t
        ? `${formatTokens(a.amount, t.decimals, 18)} ${t.symbol}`
        : `${a.amount} base units of ${a.token}`;
      return {
        target: ctx.protectionFund,
        value: 0n,
        data: encodeFunctionData({
          abi: treasuryAbi,
          functionName: "release",
          args: [a.token, a.to, a.amount],
        }),
        summary: `Pay ${amount} from the protection fund to ${nameOf(ctx, a.to)}`,
        signature: `Treasury.release(${a.token}, ${a.to}, ${a.amount})`,
      };
    }
  }
}

/** A proposal: the calls of every action and a Markdown description ending with the list of calls. */
export function buildProposal(
  title: string,
  rationale: string,
  actions: Action[],
  ctx: BuildContext,
): Proposal {
  return assembleProposal(
    title,
    rationale,
    actions.map((a) => toCall(a, ctx)),
    HASHING,
  );
}

/** The title of a proposal: its first Markdown heading, or its first line. */
export function proposalTitle(description: string): string {
  const lines = description.split("\n").map((l) => l.trim());
  const heading = lines.find((l) => /^#{1,6}\s/.test(l));
  return (heading ?? lines.find((l) => l !== "") ?? "(untitled)").replace(/^#{1,6}\s+/, "");
}

const KNOWN = [emissionControllerAbi, contributionBucketAbi, subnetAbi, treasuryAbi, capitalPoolAbi] as const;

/** Any proposal call as a sentence: a known governance function in words, else its function and target. */
export function describeCall(target: Address, data: Hex, ctx: BuildContext): string {
  for (const abi of KNOWN) {
    let decoded: { functionName: string; args?: readonly unknown[] };
    try {
      decoded = decodeFunctionData({ abi, data }) as { functionName: string; args?: readonly unknown[] };
    } catch {
      continue;
    }
    const args = decoded.args ?? [];
    const fn = decoded.functionName;
    if (fn === "setShares") {
      const shares = (args[0] as readonly number[]).map(Number) as Shares;
      return toCall({ kind: "setShares", shares }, ctx).summary;
    }
    if (fn === "setFloors") {
      return toCall(
        {
          kind: "setSubnetWeights",
          bucket: target,
          subnets: [...(args[0] as readonly Address[])],
          weights: (args[1] as readonly number[]).map(Number),
        },
        ctx,
      ).summary;
    }
    if (fn === "setMetricWeights") {
      return toCall(
        { kind: "setMetricWeights", subnet: target, weights: (args[0] as readonly number[]).map(Number) },
        ctx,
      ).summary;
    }
    if (fn === "release") {
      return toCall(
        { kind: "grant", token: args[0] as Address, to: args[1] as Address, amount: args[2] as bigint },
        ctx,
      ).summary;
    }
    return `Call ${fn}(${args.map((a) => String(a)).join(", ")}) on ${nameOf(ctx, target)}`;
  }
  return `Call ${data.slice(0, 10)} on ${nameOf(ctx, target)} (${(data.length - 10) / 2} bytes of arguments)`;
}
