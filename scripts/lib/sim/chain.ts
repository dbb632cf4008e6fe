/**
 * Deterministic block time on the in-process Hardhat network. Between explicit time moves, Hardhat
 * stamps a block with the wall clock plus an offset, so two runs of the same scenario would mint
 * slightly different amounts. `pinBlockTimestamps` wraps the provider so that every block that is
 * not explicitly timed (a transaction under automine, `evm_mine`, `hardhat_mine`) comes exactly one
 * second after the previous block, or `evm_increaseTime` seconds after it. It also counts the
 * transactions sent, for the benchmark.
 */
import { EthereumProvider, RequestArguments } from "hardhat/types";

/** Methods that mine a block. */
const MINING = new Set(["eth_sendTransaction", "eth_sendRawTransaction", "evm_mine", "hardhat_mine"]);

/** A provider wrapped by `pinBlockTimestamps`. */
export interface PinnedClock {
  /** Transactions sent since the clock was pinned. */
  readonly transactions: number;
  /** Timestamp of the latest block. */
  latest(): Promise<bigint>;
  /** Mines one block `seconds` after the latest one: `evm_increaseTime` then one `evm_mine`. */
  warp(seconds: bigint): Promise<void>;
  /** Mines one block at `timestamp` if the chain is earlier (never moves back). */
  warpTo(timestamp: bigint): Promise<void>;
  /** Puts the provider's own methods back. */
  restore(): void;
}

interface BlockHeader {
  timestamp: string;
}

type Request = (args: RequestArguments) => Promise<unknown>;
type Send = (method: string, params?: unknown[]) => Promise<unknown>;

/**
 * Pins block timestamps on `provider` (Hardhat's `network.provider`, used by hardhat-ethers and the
 * network helpers alike) until `restore()` is called. Only for the in-process Hardhat network.
 */
export function pinBlockTimestamps(provider: EthereumProvider): PinnedClock {
  const target = provider as EthereumProvider & { request: Request; send: Send };
  const ownRequest = Object.prototype.hasOwnProperty.call(target, "request");
  const ownSend = Object.prototype.hasOwnProperty.call(target, "send");
  const originalRequest: Request = target.request;
  const originalSend: Send = target.send;
  const raw: Request = (args) => originalRequest.call(target, args);

  /** Timestamp of the latest block when known (every block is mined through this wrapper). */
  let known: bigint | null = null;
  /** A timestamp the caller set for the next block. */
  let explicit: bigint | null = null;
  let increase = 0n;
  let transactions = 0;

  const latest = async (): Promise<bigint> => {
    if (known === null) {
      const block = (await raw({ method: "eth_getBlockByNumber", params: ["latest", false] })) as BlockHeader;
      known = BigInt(block.timestamp);
    }
    return known;
  };
  const quantity = (v: unknown): bigint => BigInt(v as string | number);

  const request: Request = async (args) => {
    const method = args.method;
    const params = (args.params ?? []) as unknown[];
    if (method === "evm_setNextBlockTimestamp") {
      const result = await raw(args);
      explicit = quantity(params[0]);
      return result;
    }
    if (method === "evm_increaseTime") {
      increase += quantity(params[0]);
      return increase.toString();
    }
    if (!MINING.has(method)) {
      if (method === "evm_revert" || method === "hardhat_reset") known = null;
      return raw(args);
    }
    let next: bigint;
    if (method === "evm_mine" && params[0] !== undefined) {
      next = quantity(params[0]);
    } else if (explicit !== null) {
      next = explicit;
    } else {
      next = (await latest()) + (increase > 0n ? increase : 1n);
      await raw({ method: "evm_setNextBlockTimestamp", params: [`0x${next.toString(16)}`] });
    }
    explicit = null;
    increase = 0n;
    if (method === "eth_sendTransaction" || method === "eth_sendRawTransaction") transactions++;
    try {
      const result = await raw(args);
      // hardhat_mine may mine several blocks: read the time back next time it is needed.
      known = method === "hardhat_mine" ? null : next;
      return result;
    } catch (err) {
      known = null; // mined (reverted) or rejected: ask the chain
      throw err;
    }
  };

  target.request = request;
  target.send = (method, params) => request({ method, params });

  return {
    get transactions() {
      return transactions;
    },
    latest,
    async warp(seconds) {
      await request({ method: "evm_increaseTime", params: [`0x${seconds.toString(16)}`] });
      await request({ method: "evm_mine", params: [] });
    },
    async warpTo(timestamp) {
      if ((await latest()) >= timestamp) return;
      await request({ method: "evm_setNextBlockTimestamp", params: [`0x${timestamp.toString(16)}`] });
      await request({ method: "evm_mine", params: [] });
    },
    restore() {
      if (ownRequest) target.request = originalRequest;
      else delete (target as Partial<typeof target>).request;
      if (ownSend) target.send = originalSend;
      else delete (target as Partial<typeof target>).send;
    },
  };
}
