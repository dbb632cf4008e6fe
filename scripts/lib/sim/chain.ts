/**
 * Deterministic block time. Between explicit time moves, a development node stamps a block with the
 * wall clock plus an offset, so two runs of the same scenario would mint slightly different amounts.
 * `pinBlockTimestamps` wraps the provider so that every block that is not explicitly timed (a
 * transaction under automine, `evm_mine`, `hardhat_mine`) comes exactly one second after the previous
 * block, or `evm_increaseTime` seconds after it. It also counts the transactions sent, for the benchmark.
 *
 * Two ways to mine, one clock:
 *  - the in-process Hardhat network (automine): `evm_setNextBlockTimestamp`, then the transaction,
 *    which Hardhat has mined (or rejected with the revert) when `eth_sendTransaction` returns;
 *  - anvil: its automine mines in the background after `eth_sendTransaction` has returned, so a read
 *    right after could see the block before. With anvil's automine off (`evm_setAutomine false`), the
 *    wrapper mines each transaction's block itself, `evm_mine <timestamp>`, which returns once it is
 *    mined, and then reads the receipt: a reverted transaction throws as it does on Hardhat. The caller
 *    also sets `anvil_setBlockTimestampInterval 1`: anvil's pending block, which gas is estimated
 *    against, is then one second after the latest block, as Hardhat's is (without it, it has the
 *    latest block's time, and an estimate that writes a vote checkpoint at that time falls short).
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

export interface PinOptions {
  /**
   * The node does not mine by itself (anvil with `evm_setAutomine false`): the wrapper mines one block
   * per transaction with `evm_mine <timestamp>` and throws if the transaction reverted.
   */
  mineTransactions?: boolean;
}

interface Receipt {
  status: string;
}

/**
 * Pins block timestamps on `provider` (Hardhat's `network.provider`, used by hardhat-ethers and the
 * network helpers alike; in-process or an HTTP node) until `restore()` is called.
 */
export function pinBlockTimestamps(provider: EthereumProvider, options: PinOptions = {}): PinnedClock {
  const mineTransactions = options.mineTransactions === true;
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
      if (!mineTransactions)
        await raw({ method: "evm_setNextBlockTimestamp", params: [`0x${next.toString(16)}`] });
    }
    explicit = null;
    increase = 0n;
    if (method === "eth_sendTransaction" || method === "eth_sendRawTransaction") transactions++;
    try {
      let result: unknown;
      if (!mineTransactions || method === "hardhat_mine") {
        result = await raw(args);
      } else if (method === "evm_mine") {
        result = await raw({ method, params: [Number(next)] });
      } else {
        // Into the pool, then one block at `next` holding it (and nothing else: the pool is empty
        // between transactions).
        result = await raw(args);
        await raw({ method: "evm_mine", params: [Number(next)] });
        const receipt = (await raw({
          method: "eth_getTransactionReceipt",
          params: [result],
        })) as Receipt | null;
        if (receipt === null) throw new Error(`transaction ${String(result)} was not mined`);
        if (BigInt(receipt.status) !== 1n) throw new Error(`transaction ${String(result)} reverted`);
      }
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
