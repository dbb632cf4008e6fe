/** The app's shared state: the deployment in use, the wallet, the chain's clock and the transaction log. */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useConfig, useConnection, usePublicClient } from "wagmi";
import { getConnection, sendTransaction, signTypedData, waitForTransactionReceipt } from "wagmi/actions";
import type {
  Abi,
  Address,
  ContractFunctionName,
  ContractFunctionReturnType,
  Hex,
  PublicClient,
  TransactionReceipt,
  TypedDataDefinition,
} from "viem";
import { explainError, type ErrorContext } from "./errors";
import type { AppChain, AppDeployments, Contracts } from "./deployment";

interface AppState {
  deployments: AppDeployments;
  chain: AppChain;
  contracts: Contracts;
  /** The connected wallet's address, if any. */
  account?: Address;
  /** The chain the wallet is on, if connected. */
  walletChainId?: number;
  /** Connected and on the deployment's chain: transactions can be sent. */
  ready: boolean;
  client: PublicClient;
}

const AppContext = createContext<AppState | null>(null);

function pickChain(d: AppDeployments, walletChainId?: number): AppChain {
  const byWallet = d.chains.find((c) => c.chainId === walletChainId);
  if (byWallet) return byWallet;
  const wanted = Number(new URLSearchParams(window.location.search).get("chain"));
  return d.chains.find((c) => c.chainId === wanted) ?? (d.chains[0] as AppChain);
}

export function AppProvider({ deployments, children }: { deployments: AppDeployments; children: ReactNode }) {
  const connection = useConnection();
  const account = connection.status === "connected" ? connection.address : undefined;
  const walletChainId = account ? connection.chainId : undefined;
  const chain = pickChain(deployments, walletChainId);
  const client = usePublicClient({ chainId: chain.chainId }) as PublicClient | undefined;
  const value = useMemo<AppState | null>(
    () =>
      client
        ? {
            deployments,
            chain,
            contracts: chain.contracts as Contracts,
            account,
            walletChainId,
            ready: account !== undefined && walletChainId === chain.chainId,
            client,
          }
        : null,
    [deployments, chain, account, walletChainId, client],
  );
  if (!value) return <p role="alert">No RPC client for chain {chain.chainId}.</p>;
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const v = useContext(AppContext);
  if (!v) throw new Error("useApp outside AppProvider");
  return v;
}

type ReadName<A extends Abi> = ContractFunctionName<A, "view" | "pure">;

/** Reads argument-less view functions of one contract at once: the results in the order of `names`. */
export function readAll<const A extends Abi, const N extends readonly ReadName<A>[]>(
  c: PublicClient,
  contract: { address: Address; abi: A },
  names: N,
): Promise<{ [K in keyof N]: ContractFunctionReturnType<A, "view" | "pure", N[K]> }> {
  const read = c.readContract as (args: {
    address: Address;
    abi: Abi;
    functionName: string;
  }) => Promise<unknown>;
  return Promise.all(names.map((functionName) => read({ ...contract, functionName }))) as never;
}

/** A read of the chain, refreshed every `refetchMs` and after every confirmed transaction. */
export function useChainQuery<T>(
  key: readonly unknown[],
  fn: (client: PublicClient) => Promise<T>,
  opts: { refetchMs?: number; enabled?: boolean } = {},
): UseQueryResult<T> {
  const { client, chain } = useApp();
  return useQuery({
    queryKey: ["chain", chain.chainId, ...key],
    queryFn: () => fn(client),
    refetchInterval: opts.refetchMs ?? 4_000,
    enabled: opts.enabled ?? true,
    structuralSharing: false,
  });
}

/** A view that may revert (an unregistered account's slot...): undefined instead of an error. */
export async function maybe<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

/** The chain's clock (seconds), from the latest block, ticking locally between blocks. */
export function useNow(): bigint {
  const block = useChainQuery(
    ["latest-block"],
    async (c) => {
      const b = await c.getBlock({ blockTag: "latest" });
      return { timestamp: b.timestamp, seenAt: Date.now() };
    },
    { refetchMs: 2_000 },
  );
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 1_000);
    return () => clearInterval(t);
  }, []);
  const b = block.data;
  if (!b) return BigInt(Math.floor(Date.now() / 1000));
  return b.timestamp + BigInt(Math.max(0, Math.floor((Date.now() - b.seenAt) / 1000)));
}

/*//////////////////////////////////////////////////////////////
                          TRANSACTIONS
//////////////////////////////////////////////////////////////*/

export type TxStatus = "wallet" | "pending" | "confirmed" | "signed" | "failed";

export interface TxEntry {
  id: number;
  key: string;
  label: string;
  status: TxStatus;
  hash?: Hex;
  message?: string;
}

interface TxLog {
  entries: TxEntry[];
  upsert(e: TxEntry): void;
}

const TxContext = createContext<TxLog | null>(null);

export function TxProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<TxEntry[]>([]);
  const upsert = useCallback((e: TxEntry) => {
    setEntries((prev) => [e, ...prev.filter((x) => x.id !== e.id)].slice(0, 8));
  }, []);
  const value = useMemo(() => ({ entries, upsert }), [entries, upsert]);
  return <TxContext.Provider value={value}>{children}</TxContext.Provider>;
}

export function useTxLog(): TxEntry[] {
  return useContext(TxContext)?.entries ?? [];
}

let nextId = 1;

export interface Action {
  /** The latest attempt of this action, for its status line. */
  state?: TxEntry;
  busy: boolean;
  /** Simulates, sends through the wallet and waits for the receipt; undefined when it failed. */
  send(
    label: string,
    req: { to: Address; data: Hex },
    ctx?: ErrorContext,
  ): Promise<TransactionReceipt | undefined>;
  /** Asks the wallet for an EIP-712 signature; undefined when refused or failed. */
  sign(label: string, typed: TypedDataDefinition): Promise<Hex | undefined>;
  /** Marks the action failed with a message (validation before sending). */
  fail(label: string, message: string): void;
}

/** One user action (a button): its transactions and signatures, with pending / confirmed / failed. */
export function useAction(key: string): Action {
  const log = useContext(TxContext);
  if (!log) throw new Error("useAction outside TxProvider");
  const config = useConfig();
  const queryClient = useQueryClient();
  const { client, chain, account } = useApp();
  const [busy, setBusy] = useState(false);
  const mine = useRef<number[]>([]);
  const state = log.entries.find((e) => mine.current.includes(e.id));
  const ctxBase = useMemo<ErrorContext>(() => ({ account }), [account]);

  const begin = (label: string): TxEntry => {
    const e: TxEntry = { id: nextId++, key, label, status: "wallet" };
    mine.current = [e.id, ...mine.current].slice(0, 20);
    log.upsert(e);
    return e;
  };

  /** One attempt: busy while `body` runs; a throw marks it failed, explained with `ctx`. */
  const attempt = async <T,>(
    label: string,
    ctx: ErrorContext,
    body: (e: TxEntry) => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    const e = begin(label);
    setBusy(true);
    try {
      return await body(e);
    } catch (err) {
      log.upsert({ ...e, status: "failed", message: explainError(err, ctx) });
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const send = (label: string, req: { to: Address; data: Hex }, ctx: ErrorContext = {}) =>
    attempt(label, { ...ctxBase, ...ctx }, async (e) => {
      const from = getConnection(config).address;
      if (!from) throw new Error("connect a wallet first");
      // Simulate first: a revert is explained before the wallet asks anything.
      await client.call({ account: from, to: req.to, data: req.data });
      log.upsert({ ...e, status: "wallet", message: "confirm in your wallet" });
      const hash = await sendTransaction(config, { to: req.to, data: req.data, chainId: chain.chainId });
      log.upsert({ ...e, status: "pending", hash });
      const receipt = await waitForTransactionReceipt(config, {
        hash,
        chainId: chain.chainId,
        pollingInterval: 250,
      });
      if (receipt.status !== "success") {
        log.upsert({ ...e, status: "failed", hash, message: "the transaction reverted on chain" });
        return undefined;
      }
      log.upsert({ ...e, status: "confirmed", hash });
      await queryClient.invalidateQueries({ queryKey: ["chain"] });
      return receipt;
    });

  const sign = (label: string, typed: TypedDataDefinition) =>
    attempt(label, ctxBase, async (e) => {
      log.upsert({ ...e, status: "wallet", message: "sign in your wallet" });
      const signature = await signTypedData(config, typed as Parameters<typeof signTypedData>[1]);
      log.upsert({ ...e, status: "signed" });
      return signature;
    });

  const fail = (label: string, message: string) => {
    const e = begin(label);
    log.upsert({ ...e, status: "failed", message });
  };

  return { state, busy, send, sign, fail };
}
