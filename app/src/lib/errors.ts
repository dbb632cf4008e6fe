/**
 * Reverts in plain words, in the browser: finds the revert data in whatever viem, wagmi or the wallet
 * threw, decodes it with viem against every custom error of the contracts (generated ABIs), and says it
 * with the table the Hardhat tasks use (`scripts/lib/shared/error-messages.ts`).
 */
import { decodeErrorResult, type Hex } from "viem";
import { errorsAbi } from "../generated/abis";
import {
  describeRevert,
  explainUndecoded,
  plainMessage,
  revertData as findRevertData,
  type DecodedRevert,
  type ErrorContext,
} from "../../../scripts/lib/shared/error-messages";

export type { ErrorContext };
export { plainMessage };

/**
 * The revert data (`0x` + selector + arguments) in an error from viem, wagmi, a wallet or a JSON-RPC
 * node. `"0x"` for a revert without data; undefined when there is none.
 */
export function revertData(error: unknown): Hex | undefined {
  return findRevertData(error) as Hex | undefined;
}

/**
 * A custom error, `Error(string)` or `Panic(uint256)` from revert data; null when unknown. An error that
 * carries another contract's revert as a `bytes` argument (`PermitFailed`'s `reason`) gets it decoded
 * too, as `inner`.
 */
export function decodeRevert(data: Hex, depth = 0): DecodedRevert | null {
  if (data.length < 10) return null;
  try {
    const decoded = decodeErrorResult({ abi: errorsAbi, data });
    const item = decoded.abiItem as { inputs?: readonly { type: string }[] };
    const args = (decoded.args ?? []) as readonly unknown[];
    const result: DecodedRevert = {
      name: decoded.errorName,
      signature: `${decoded.errorName}(${(item.inputs ?? []).map((i) => i.type).join(",")})`,
      selector: data.slice(0, 10),
      args,
    };
    const nested = (item.inputs ?? []).findIndex((i) => i.type === "bytes");
    if (nested >= 0 && depth < 3) {
      const inner = decodeRevert(args[nested] as Hex, depth + 1);
      if (inner !== null) result.inner = inner;
    }
    return result;
  } catch {
    return null;
  }
}

function userRejected(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): boolean => {
    if (typeof e !== "object" || e === null || seen.has(e) || depth > 10) return false;
    seen.add(e);
    const r = e as Record<string, unknown>;
    if (r.code === 4001 || r.name === "UserRejectedRequestError") return true;
    return visit(r.cause, depth + 1) || visit(r.error, depth + 1);
  };
  return visit(error, 0);
}

/** One line for any error of a call, a transaction or a signature. */
export function explainError(error: unknown, ctx: ErrorContext = {}): string {
  if (userRejected(error)) return "you rejected the request in your wallet";
  const data = revertData(error);
  const decoded = data !== undefined ? decodeRevert(data) : null;
  return decoded ? describeRevert(decoded, ctx) : explainUndecoded(error);
}
