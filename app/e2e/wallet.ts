/**
 * A browser wallet for the tests: an EIP-1193 provider injected into the page and announced by EIP-6963,
 * whose private key stays in the Node test process (a viem local account) and signs there, as a wallet
 * extension does: `eth_sendTransaction` (signed locally, sent raw), `eth_signTypedData_v4`,
 * `personal_sign`. Reads are forwarded to the node. The node's unlocked accounts are never used.
 */
import type { Page } from "playwright-core";
import { createWalletClient, defineChain, http, numberToHex, type Hex, type TypedDataDefinition } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

export const LOCAL_CHAIN_ID = 31337;

interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export class TestWallet {
  readonly account: PrivateKeyAccount;
  /** The chain the wallet is on (a wallet may start on another network than the app's). */
  chainId: number;
  private connected = false;
  readonly log: string[] = [];

  constructor(
    readonly name: string,
    privateKey: Hex,
    private readonly rpcUrl: string,
    chainId = LOCAL_CHAIN_ID,
  ) {
    this.account = privateKeyToAccount(privateKey);
    this.chainId = chainId;
  }

  get address(): Hex {
    return this.account.address;
  }

  private async forward(method: string, params: unknown[]): Promise<{ result?: unknown; error?: RpcError }> {
    const res = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: RpcError };
    return body.error ? { error: body.error } : { result: body.result };
  }

  /** One EIP-1193 request, answered as a wallet would; `events` are emitted in the page afterwards. */
  async handle(
    method: string,
    params: unknown[],
  ): Promise<{ result?: unknown; error?: RpcError; events?: [string, unknown][] }> {
    this.log.push(method);
    const chain = defineChain({
      id: LOCAL_CHAIN_ID,
      name: "Hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [this.rpcUrl] } },
    });
    switch (method) {
      case "eth_requestAccounts":
        this.connected = true;
        return { result: [this.address], events: [["connect", { chainId: numberToHex(this.chainId) }]] };
      case "eth_accounts":
        return { result: this.connected ? [this.address] : [] };
      case "wallet_requestPermissions":
        this.connected = true;
        return { result: [{ parentCapability: "eth_accounts" }] };
      case "wallet_getPermissions":
        return { result: this.connected ? [{ parentCapability: "eth_accounts" }] : [] };
      case "wallet_revokePermissions":
        this.connected = false;
        return { result: null, events: [["accountsChanged", []]] };
      case "eth_chainId":
        return { result: numberToHex(this.chainId) };
      case "net_version":
        return { result: String(this.chainId) };
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (wanted !== LOCAL_CHAIN_ID) return { error: { code: 4902, message: "Unrecognized chain ID" } };
        this.chainId = wanted;
        return { result: null, events: [["chainChanged", numberToHex(wanted)]] };
      }
      case "wallet_addEthereumChain":
        return { result: null };
      case "eth_sendTransaction": {
        if (this.chainId !== LOCAL_CHAIN_ID) return { error: { code: 4100, message: "wrong network" } };
        const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
        const client = createWalletClient({ account: this.account, chain, transport: http(this.rpcUrl) });
        try {
          const hash = await client.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
          return { result: hash };
        } catch (err) {
          return {
            error: {
              code: -32603,
              message: err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err),
            },
          };
        }
      }
      case "eth_signTypedData_v4": {
        const [who, json] = params as [string, string];
        if (who.toLowerCase() !== this.address.toLowerCase())
          return { error: { code: 4100, message: "unknown account" } };
        const typed = JSON.parse(json) as TypedDataDefinition & { types: Record<string, unknown> };
        const { EIP712Domain: _unused, ...types } = typed.types;
        void _unused;
        const signature = await this.account.signTypedData({ ...typed, types } as TypedDataDefinition);
        return { result: signature };
      }
      case "personal_sign": {
        const [message] = params as [Hex];
        return { result: await this.account.signMessage({ message: { raw: message } }) };
      }
      default:
        if (
          method.startsWith("eth_sign") ||
          method === "eth_sendRawTransaction" ||
          method.startsWith("hardhat_") ||
          method.startsWith("evm_")
        )
          return { error: { code: 4200, message: `unsupported method ${method}` } };
        return this.forward(method, params);
    }
  }

  /** Exposes the wallet to `page` and announces it by EIP-6963 before any page script runs. */
  async install(page: Page): Promise<void> {
    const fn = `__tetradTestWallet`;
    await page.exposeFunction(fn, async (method: string, paramsJson: string) =>
      JSON.stringify(await this.handle(method, JSON.parse(paramsJson) as unknown[])),
    );
    const info = {
      uuid: `0d5a3c1e-7b7e-4e57-9d7a-${this.address.slice(2, 14).toLowerCase()}`,
      name: `Test Wallet (${this.name})`,
      rdns: "org.tetrad.testwallet",
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' fill='%23c2410c'/%3E%3C/svg%3E",
    };
    await page.addInitScript(
      ({ fn, info }) => {
        const w = window as unknown as Record<string, (m: string, p: string) => Promise<string>>;
        const listeners: Record<string, ((arg: unknown) => void)[]> = {};
        const provider = {
          async request(args: { method: string; params?: unknown[] }) {
            const out = JSON.parse(await w[fn]!(args.method, JSON.stringify(args.params ?? []))) as {
              result?: unknown;
              error?: { code: number; message: string; data?: unknown };
              events?: [string, unknown][];
            };
            if (out.events)
              setTimeout(() => out.events!.forEach(([e, a]) => (listeners[e] ?? []).forEach((f) => f(a))), 0);
            if (out.error) {
              const e = new Error(out.error.message) as Error & { code: number; data?: unknown };
              e.code = out.error.code;
              e.data = out.error.data;
              throw e;
            }
            return out.result;
          },
          on(event: string, f: (arg: unknown) => void) {
            (listeners[event] ??= []).push(f);
            return provider;
          },
          removeListener(event: string, f: (arg: unknown) => void) {
            listeners[event] = (listeners[event] ?? []).filter((x) => x !== f);
            return provider;
          },
        };
        const announce = () =>
          window.dispatchEvent(
            new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
          );
        window.addEventListener("eip6963:requestProvider", announce);
        announce();
      },
      { fn, info },
    );
  }
}
