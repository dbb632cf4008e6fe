import { describe, expect, it } from "vitest";
import { decodeFunctionData, keccak256, stringToBytes, type Address } from "viem";
import { contributionBucketAbi, emissionControllerAbi, subnetAbi, treasuryAbi } from "../generated/abis";
import {
  buildProposal,
  describeCall,
  proposalTitle,
  toCall,
  validateAction,
  type BuildContext,
} from "./proposals";

const a = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}` as Address;
const CONTROLLER = a(1);
const FUND = a(2);
const BUCKET = a(3);
const SUBNET = a(4);
const TTD = a(5);
const ctx: BuildContext = {
  controller: CONTROLLER,
  protectionFund: FUND,
  names: { [BUCKET]: "code bucket", [SUBNET]: "Code subnet", [FUND]: "protection fund" },
  tokens: { [TTD]: { symbol: "TTD", decimals: 18 } },
};

describe("validateAction", () => {
  it("accepts well-formed actions", () => {
    expect(validateAction({ kind: "setShares", shares: [2000, 2000, 2000, 3600, 400] })).toEqual([]);
    expect(
      validateAction({ kind: "setSubnetWeights", bucket: BUCKET, subnets: [SUBNET], weights: [10_000] }),
    ).toEqual([]);
    expect(validateAction({ kind: "setSubnetWeights", bucket: BUCKET, subnets: [], weights: [] })).toEqual(
      [],
    );
    expect(validateAction({ kind: "setMetricWeights", subnet: SUBNET, weights: [5000, 5000] })).toEqual([]);
    expect(validateAction({ kind: "grant", token: TTD, to: a(9), amount: 1n })).toEqual([]);
  });
  it("explains what is wrong", () => {
    expect(validateAction({ kind: "setShares", shares: [2000, 2000, 2000, 2000, 400] })).toEqual([
      "Bucket shares must sum to 10,000 bps (100%), not 8400",
    ]);
    expect(validateAction({ kind: "setShares", shares: [2000.5, 2000, 2000, 3599.5, 400] })[0]).toContain(
      "whole basis points",
    );
    expect(
      validateAction({
        kind: "setSubnetWeights",
        bucket: BUCKET,
        subnets: [SUBNET, SUBNET],
        weights: [5000, 5000],
      }),
    ).toEqual(["a subnet appears twice"]);
    expect(
      validateAction({ kind: "setMetricWeights", subnet: SUBNET, weights: Array(9).fill(1000) as number[] }),
    ).toContain("1 to 8 metric weights");
    expect(validateAction({ kind: "grant", token: TTD, to: "0x1234" as Address, amount: 0n })).toEqual([
      "the recipient must be an address (0x…)",
      "the amount must be more than zero",
    ]);
  });
});

describe("toCall", () => {
  it("encodes each action as the contract expects, with a sentence a voter can check", () => {
    const shares = toCall({ kind: "setShares", shares: [2000, 2000, 2000, 3600, 400] }, ctx);
    expect(shares.target).toBe(CONTROLLER);
    expect(shares.summary).toBe(
      "Set the emission's bucket shares to code 20%, community 20%, compute 20%, capital 36%, protection 4%",
    );
    expect(decodeFunctionData({ abi: emissionControllerAbi, data: shares.data })).toEqual({
      functionName: "setShares",
      args: [[2000, 2000, 2000, 3600, 400]],
    });

    const weights = toCall(
      { kind: "setSubnetWeights", bucket: BUCKET, subnets: [SUBNET], weights: [10_000] },
      ctx,
    );
    expect(weights.summary).toBe("Split the code bucket among its subnets: Code subnet 100%");
    expect(decodeFunctionData({ abi: contributionBucketAbi, data: weights.data }).args).toEqual([
      [SUBNET],
      [10_000],
    ]);

    const metrics = toCall(
      { kind: "setMetricWeights", subnet: SUBNET, weights: [4000, 2000, 2000, 2000] },
      ctx,
    );
    expect(metrics.summary).toBe(
      "Weigh the metrics of the Code subnet 40% / 20% / 20% / 20% (from its next round)",
    );
    expect(decodeFunctionData({ abi: subnetAbi, data: metrics.data }).args).toEqual([
      [4000, 2000, 2000, 2000],
    ]);

    const grant = toCall({ kind: "grant", token: TTD, to: a(9), amount: 1_500n * 10n ** 18n }, ctx);
    expect(grant.target).toBe(FUND);
    expect(grant.summary).toBe(`Pay 1,500 TTD from the protection fund to ${a(9)}`);
    expect(decodeFunctionData({ abi: treasuryAbi, data: grant.data }).args).toEqual([
      TTD,
      a(9),
      1_500n * 10n ** 18n,
    ]);
  });
  it("refuses an invalid action", () => {
    expect(() => toCall({ kind: "setShares", shares: [1, 2, 3, 4, 5] }, ctx)).toThrow(/sum to 10,000/);
  });
});

describe("buildProposal", () => {
  it("a Markdown description with every call, and the hash the Governor uses", () => {
    const p = buildProposal(
      " Capital to 36% ",
      "More liquidity.",
      [
        { kind: "setShares", shares: [2000, 2000, 2000, 3600, 400] },
        { kind: "grant", token: TTD, to: a(9), amount: 10n ** 18n },
      ],
      ctx,
    );
    expect(p.targets).toEqual([CONTROLLER, FUND]);
    expect(p.values).toEqual([0n, 0n]);
    expect(p.calldatas).toHaveLength(2);
    expect(p.description).toBe(
      [
        "# Capital to 36%",
        "",
        "More liquidity.",
        "",
        "## Actions",
        "",
        "1. Set the emission's bucket shares to code 20%, community 20%, compute 20%, capital 36%, protection 4%",
        `2. Pay 1 TTD from the protection fund to ${a(9)}`,
      ].join("\n"),
    );
    expect(p.descriptionHash).toBe(keccak256(stringToBytes(p.description)));
    expect(proposalTitle(p.description)).toBe("Capital to 36%");
  });
  it("needs a title and an action", () => {
    expect(() =>
      buildProposal("", "x", [{ kind: "setShares", shares: [2000, 2000, 2000, 3600, 400] }], ctx),
    ).toThrow(/title/);
    expect(() => buildProposal("t", "x", [], ctx)).toThrow(/at least one action/);
  });
});

describe("describeCall: reading a proposal back", () => {
  it("known governance calls become the builder's sentences", () => {
    const c = toCall({ kind: "setSubnetWeights", bucket: BUCKET, subnets: [SUBNET], weights: [10_000] }, ctx);
    expect(describeCall(c.target, c.data, ctx)).toBe(c.summary);
    const g = toCall({ kind: "grant", token: TTD, to: a(9), amount: 5n }, ctx);
    expect(describeCall(g.target, g.data, ctx)).toBe(g.summary);
  });
  it("other calls are named by function and target", () => {
    expect(describeCall(CONTROLLER, "0x8456cb59", ctx)).toBe(`Call pause() on ${CONTROLLER}`);
    expect(describeCall(SUBNET, "0x12345678aabb", ctx)).toBe(
      "Call 0x12345678 on Code subnet (2 bytes of arguments)",
    );
  });
  it("titles from Markdown or the first line", () => {
    expect(proposalTitle("Plain first line\nmore")).toBe("Plain first line");
    expect(proposalTitle("")).toBe("(untitled)");
  });
});
