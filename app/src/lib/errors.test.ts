import { describe, expect, it } from "vitest";
import {
  BaseError,
  CallExecutionError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  RawContractError,
  encodeErrorResult,
  parseAbi,
  type Hex,
} from "viem";
import { errorsAbi, capitalPoolAbi } from "../generated/abis";
import { decodeRevert, explainError, revertData } from "./errors";
import { formatUnits } from "../../../scripts/lib/shared/error-messages";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const E18 = 10n ** 18n;

const insufficient = encodeErrorResult({
  abi: errorsAbi,
  errorName: "ERC20InsufficientBalance",
  args: [ALICE, 3n * E18, 12n * E18 + E18 / 2n],
});

describe("revertData", () => {
  it("finds the data however deep the wallet or viem nested it", () => {
    expect(revertData({ data: insufficient })).toBe(insufficient);
    expect(revertData({ error: { data: { data: insufficient } } })).toBe(insufficient);
    expect(revertData({ cause: { cause: { data: insufficient } } })).toBe(insufficient);
    const viemError = new CallExecutionError(new RawContractError({ data: insufficient }), {});
    expect(revertData(viemError)).toBe(insufficient);
  });
  it('says "0x" for a revert without data and undefined when there is none', () => {
    expect(revertData({ cause: { data: "0x" } })).toBe("0x");
    expect(revertData(new Error("network down"))).toBeUndefined();
    expect(revertData("not an object")).toBeUndefined();
  });
});

describe("decodeRevert", () => {
  it("decodes custom errors of every contract with one table", () => {
    const d = decodeRevert(insufficient);
    expect(d?.name).toBe("ERC20InsufficientBalance");
    expect(d?.signature).toBe("ERC20InsufficientBalance(address,uint256,uint256)");
    expect(d?.args).toEqual([ALICE, 3n * E18, 12n * E18 + E18 / 2n]);
  });
  it("decodes Error(string) and Panic(uint256)", () => {
    const err = encodeErrorResult({
      abi: parseAbi(["error Error(string)"]),
      errorName: "Error",
      args: ["nope"],
    });
    expect(decodeRevert(err)?.name).toBe("Error");
    const panic = encodeErrorResult({
      abi: parseAbi(["error Panic(uint256)"]),
      errorName: "Panic",
      args: [0x11n],
    });
    expect(decodeRevert(panic)?.name).toBe("Panic");
  });
  it("returns null for unknown selectors", () => {
    expect(decodeRevert("0xdeadbeef")).toBeNull();
  });
});

describe("explainError: plain words", () => {
  it("balances in the token's units, the account as 'you'", () => {
    expect(
      explainError(
        { data: insufficient },
        { account: ALICE.toLowerCase(), units: { symbol: "mLP", decimals: 18 } },
      ),
    ).toBe("insufficient balance: you have 3.0 mLP, need 12.5");
  });
  it("capital pool errors, times relative to the chain's clock", () => {
    const locked = encodeErrorResult({
      abi: capitalPoolAbi,
      errorName: "WithdrawLocked",
      args: [1_767_225_600n + 3600n],
    });
    expect(explainError({ data: locked }, { now: 1_767_225_600n })).toBe(
      "withdrawals are locked until 2026-01-01 01:00:00 UTC (in 1h)",
    );
    const below = encodeErrorResult({
      abi: capitalPoolAbi,
      errorName: "BelowMinDeposit",
      args: [1n, 10n ** 15n],
    });
    expect(explainError({ data: below }, { units: { symbol: "mLP", decimals: 18 } })).toContain(
      "the deposit is under the pool's minimum",
    );
  });
  it("governance: a proposal's state with its deadlines", () => {
    const data = encodeErrorResult({
      abi: errorsAbi,
      errorName: "GovernorUnexpectedProposalState",
      args: [123n, 0, `0x${2n.toString(16).padStart(64, "0")}`],
    });
    expect(explainError({ data }, { now: 1000n, proposal: { snapshot: 4599n } })).toBe(
      "proposal 123 is Pending, voting opens at 1970-01-01 01:16:40 UTC (in 1h)",
    );
  });
  it("subnet phases", () => {
    const data = encodeErrorResult({ abi: errorsAbi, errorName: "WrongPhase", args: [2, 0] });
    expect(explainError(new CallExecutionError(new RawContractError({ data }), {}))).toBe(
      "the commit window is closed (the round awaits finalization)",
    );
  });
  it("an error viem decoded already (ContractFunctionRevertedError) is said the same way", () => {
    const data = encodeErrorResult({ abi: capitalPoolAbi, errorName: "ZeroAmount" });
    const reverted = new ContractFunctionRevertedError({
      abi: capitalPoolAbi,
      data,
      functionName: "deposit",
    });
    const wrapped = new ContractFunctionExecutionError(reverted, {
      abi: capitalPoolAbi,
      functionName: "deposit",
      args: [0n],
      contractAddress: "0x0000000000000000000000000000000000000001",
    });
    expect(explainError(wrapped)).toBe("the amount must be more than zero");
  });
  it("the token's allowance error inside a pool call, which the pool's own ABI does not hold", () => {
    const data = encodeErrorResult({
      abi: errorsAbi,
      errorName: "ERC20InsufficientAllowance",
      args: [ALICE, E18, 7n * E18],
    });
    expect(
      (capitalPoolAbi as readonly { type: string; name?: string }[]).some(
        (i) => i.type === "error" && i.name === "ERC20InsufficientAllowance",
      ),
    ).toBe(false);
    // viem, decoding with the pool's ABI only, keeps the raw bytes; the app decodes them with errorsAbi.
    const reverted = new ContractFunctionRevertedError({
      abi: capitalPoolAbi,
      data,
      functionName: "deposit",
    });
    expect(decodeRevert(data)?.name).toBe("ERC20InsufficientAllowance");
    expect(explainError(reverted, { units: { symbol: "mLP", decimals: 18 } })).toBe(
      `insufficient allowance: ${ALICE} may spend 1.0 mLP, needs 7.0 (approve it first)`,
    );
  });
  it("PermitFailed: the permit named, with the token's reason", () => {
    const reason = encodeErrorResult({ abi: errorsAbi, errorName: "ERC2612ExpiredSignature", args: [3600n] });
    const data = encodeErrorResult({
      abi: capitalPoolAbi,
      errorName: "PermitFailed",
      args: [ALICE, 7n * E18, 0n, reason],
    });
    const d = decodeRevert(data);
    expect(d?.name).toBe("PermitFailed");
    expect(d?.signature).toBe("PermitFailed(address,uint256,uint256,bytes)");
    expect(d?.args).toEqual([ALICE, 7n * E18, 0n, reason]);
    expect(d?.inner?.name).toBe("ERC2612ExpiredSignature");
    expect(
      explainError({ data }, { account: ALICE, units: { symbol: "mLP", decimals: 18 }, now: 7200n }),
    ).toBe(
      "the token refused the permit: the permit signature expired at 1970-01-01 01:00:00 UTC (1h ago): sign a new one; " +
        "the contract may spend 0.0 mLP of your tokens and needs 7.0 (sign a new permit, or approve it first)",
    );
  });
  it("rejections, empty reverts, unknown errors and the rest", () => {
    expect(explainError({ code: 4001, message: "User rejected the request." })).toBe(
      "you rejected the request in your wallet",
    );
    expect(explainError({ data: "0x" })).toBe("the transaction reverted without a reason");
    expect(explainError({ data: "0x12345678" as Hex })).toBe(
      "the transaction reverted with an unknown error (selector 0x12345678)",
    );
    expect(explainError(new BaseError("HTTP request failed.\n\nURL: http://127.0.0.1"))).toBe(
      "HTTP request failed.",
    );
  });
  it("the shared table needs no library to format units", () => {
    expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe("1.5");
    expect(formatUnits(5n, 0)).toBe("5.0");
    expect(formatUnits(-1n, 2)).toBe("-0.01");
  });
});
