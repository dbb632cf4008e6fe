/**
 * Reverts in plain words: turns a failed call or transaction of any Tetrad contract (its custom
 * errors, the OpenZeppelin errors it inherits, `Panic(uint256)`, `Error(string)`, a revert without
 * data) into one line such as
 *
 *     insufficient balance: you have 3.0 mLP, need 12.5
 *     the commit window is closed (round 4 ended at 2026-01-31 12:00:00 UTC (3h ago) and awaits finalization)
 *     proposal 0x12ab… is Pending, voting opens at 2026-02-01 09:00:00 UTC (in 23h)
 *
 * A pure module over ABIs (ethers `Interface` only, no Hardhat, no TypeChain): the Hardhat tasks build
 * the decoder from the TypeChain factories, a web front end from the `abis` of `deployments/<chainId>.json`.
 * What the revert data cannot say (the token's symbol, the round's times, the proposal's deadlines) the
 * caller passes in an {@link ErrorContext}.
 */
import { ErrorFragment, Interface, InterfaceAbi, isHexString } from "ethers";
import {
  DecodedRevert,
  ErrorContext,
  describeRevert,
  explainUndecoded,
  revertData,
} from "../shared/error-messages";

// The plain-words table and the revert-data finder live in ../shared (no dependencies), shared with the web app.
export {
  PANIC_REASONS,
  PHASES,
  PROPOSAL_STATES,
  describeRevert,
  formatAmount,
  formatDuration,
  formatTimestamp,
  plainMessage,
  revertData,
  shortId,
  statesOf,
} from "../shared/error-messages";
export type { DecodedRevert, ErrorContext, Units } from "../shared/error-messages";

/** Decodes reverts with the errors of every ABI it was given (duplicates merged by selector). */
export class ErrorDecoder {
  private readonly iface: Interface;

  /** @param abis The contracts' ABIs (JSON fragments or human-readable), e.g. a deployment's `abis`. */
  constructor(abis: Iterable<InterfaceAbi>) {
    const bySelector = new Map<string, ErrorFragment>();
    for (const abi of abis) {
      new Interface(abi).forEachError((f) => {
        if (!bySelector.has(f.selector)) bySelector.set(f.selector, f);
      });
    }
    this.iface = new Interface([...bySelector.values()]);
  }

  /**
   * The revert in `errorOrData` (an error object or revert data), or null when it has none we know. An
   * error that carries another contract's revert as a `bytes` argument (`PermitFailed`'s `reason`) gets
   * it decoded too, as `inner`.
   */
  decode(errorOrData: unknown): DecodedRevert | null {
    const data = typeof errorOrData === "string" ? errorOrData : revertData(errorOrData);
    return this.decodeData(data, 0);
  }

  private decodeData(data: string | undefined, depth: number): DecodedRevert | null {
    if (data === undefined || !isHexString(data) || data.length < 10) return null;
    try {
      const parsed = this.iface.parseError(data);
      if (parsed === null) return null;
      const decoded: DecodedRevert = {
        name: parsed.name,
        signature: parsed.signature,
        selector: parsed.selector,
        args: [...parsed.args],
      };
      const nested = parsed.fragment.inputs.findIndex((p) => p.type === "bytes");
      if (nested >= 0 && depth < 3) {
        const inner = this.decodeData(String(parsed.args[nested]), depth + 1);
        if (inner !== null) decoded.inner = inner;
      }
      return decoded;
    } catch {
      return null;
    }
  }

  /**
   * One line for any error: a decoded revert in plain words ({@link describeRevert}), an unknown
   * custom error by its selector, a revert without data, or the first line of anything else
   * (network errors, insufficient funds for gas, ...).
   */
  explain(error: unknown, ctx: ErrorContext = {}): string {
    const decoded = this.decode(error);
    return decoded !== null ? describeRevert(decoded, ctx) : explainUndecoded(error);
  }
}
