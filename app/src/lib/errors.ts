/**
 * Reverts in plain words, in the browser: finds the revert data in whatever viem, wagmi or the wallet
 * threw, decodes it with viem against every custom error of the contracts (generated ABIs), and says it
 * with the table the Hardhat tasks use (`scripts/lib/chain/error-messages.ts`).
 */
import { decodeErrorResult, type Hex } from "viem";
import { errorsAbi } from "../generated/abis";
import { describeRevert, type DecodedRevert, type ErrorContext } from "../../../scripts/lib/chain/error-messages";

export type { ErrorContext };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * The revert data (`0x` + selector + arguments) in an error from viem, wagmi, a wallet or a JSON-RPC
 * node, searched through the usual nesting (`data`, `cause`, `error`, `details`...). `"0x"` for a revert
 * without data; undefined when there is none.
 */
export function revertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  let empty = false;
  const visit = (e: unknown, depth: number): Hex | undefined => {
    if (!isRecord(e) || seen.has(e) || depth > 10) return undefined;
    seen.add(e);
    // viem's ContractFunctionRevertedError keeps the bytes in `raw` (its `data` is already decoded).
    const data = typeof e.raw === "string" && HEX.test(e.raw) ? e.raw : e.data;
    if (typeof data === "string" && HEX.test(data)) {
      if (data.length >= 10) return data as Hex;
      if (data === "0x") empty = true;
    }
    for (const k of ["data", "cause", "error", "info", "revert", "errors"] as const) {
      const v = e[k];
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        const found = visit(item, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return visit(error, 0) ?? (empty ? "0x" : undefined);
}

/** A custom error, `Error(string)` or `Panic(uint256)` from revert data; null when unknown. */
export function decodeRevert(data: Hex): DecodedRevert | null {
  if (data.length < 10) return null;
  try {
    const decoded = decodeErrorResult({ abi: errorsAbi, data });
    const item = decoded.abiItem as { inputs?: readonly { type: string }[] };
    const args = (decoded.args ?? []) as readonly unknown[];
    return {
      name: decoded.errorName,
      signature: `${decoded.errorName}(${(item.inputs ?? []).map((i) => i.type).join(",")})`,
      selector: data.slice(0, 10),
      args,
    };
  } catch {
    return null;
  }
}

function userRejected(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): boolean => {
    if (!isRecord(e) || seen.has(e) || depth > 10) return false;
    seen.add(e);
    if (e.code === 4001 || e.name === "UserRejectedRequestError") return true;
    return visit(e.cause, depth + 1) || visit(e.error, depth + 1);
  };
  return visit(error, 0);
}

/** The first useful line of an error that carries no revert data. */
export function plainMessage(error: unknown): string {
  let text: string;
  if (isRecord(error) && typeof error.shortMessage === "string") text = error.shortMessage;
  else if (error instanceof Error) text = error.message;
  else if (isRecord(error) && typeof error.message === "string") text = error.message;
  else text = String(error);
  return (text.split("\n")[0] ?? "").trim().replace(/^Error: /, "");
}

/** One line for any error of a call, a transaction or a signature. */
export function explainError(error: unknown, ctx: ErrorContext = {}): string {
  if (userRejected(error)) return "you rejected the request in your wallet";
  const data = revertData(error);
  if (data !== undefined) {
    const decoded = decodeRevert(data);
    if (decoded) return describeRevert(decoded, ctx);
    if (data === "0x") return "the transaction reverted without a reason";
    return `the transaction reverted with an unknown error (selector ${data.slice(0, 10)})`;
  }
  return plainMessage(error);
}
