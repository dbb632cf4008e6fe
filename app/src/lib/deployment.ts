/** The deployments the app knows (`deployments.json`, beside index.html) and the wagmi config over them. */
import { createConfig, createStorage, http, injected, type Config } from "wagmi";
import { defineChain, type Address, type Chain } from "viem";
import type { AppChain, AppDeployments } from "../../scripts/deployments";
import { CONTRACT_NAMES, type ContractName } from "../../../scripts/lib/shared/deployments";

export type { AppChain, AppDeployments, ContractName };
export { CONTRACT_NAMES };

export type Contracts = Record<ContractName, Address>;

/** The three contribution markets, in bucket order. */
export const SUBNETS = [
  { key: "code", name: "Code subnet", subnet: "CodeSubnet", bucket: "CodeBucket", bucketName: "code bucket" },
  {
    key: "community",
    name: "Community subnet",
    subnet: "CommunitySubnet",
    bucket: "CommunityBucket",
    bucketName: "community bucket",
  },
  {
    key: "compute",
    name: "Compute subnet",
    subnet: "ComputeSubnet",
    bucket: "ComputeBucket",
    bucketName: "compute bucket",
  },
] as const;

/** Human names of the contracts by lowercase address. */
export function contractNames(c: Contracts): Record<string, string> {
  const names: Record<string, string> = {
    [c.EmissionController.toLowerCase()]: "emission controller",
    [c.CapitalPool.toLowerCase()]: "capital pool",
    [c.ProtectionFund.toLowerCase()]: "protection fund",
    [c.TetradTimelock.toLowerCase()]: "Timelock",
    [c.TetradGovernor.toLowerCase()]: "Governor",
    [c.Tetrad.toLowerCase()]: "TTD token",
    [c.SubnetFactory.toLowerCase()]: "subnet factory",
  };
  for (const s of SUBNETS) {
    names[c[s.subnet].toLowerCase()] = s.name;
    names[c[s.bucket].toLowerCase()] = s.bucketName;
  }
  return names;
}

export function viemChain(c: AppChain): Chain {
  return defineChain({
    id: c.chainId,
    name: c.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [c.rpcUrl] } },
    testnet: c.chainId === 31337 || c.chainId === 1337,
  });
}

export async function loadDeployments(): Promise<AppDeployments> {
  const res = await fetch("deployments.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`deployments.json: HTTP ${res.status}`);
  return (await res.json()) as AppDeployments;
}

/**
 * wagmi over the deployed chains: reads go to each chain's RPC (batched), wallets are found by EIP-6963
 * discovery (MetaMask, Rabby, Coinbase Wallet...) plus any injected `window.ethereum`.
 */
export function makeConfig(chains: AppChain[]): Config {
  const [first, ...rest] = chains.map(viemChain);
  if (!first) throw new Error("no chains");
  return createConfig({
    chains: [first, ...rest],
    connectors: [injected({ shimDisconnect: true })],
    multiInjectedProviderDiscovery: true,
    storage: createStorage({ storage: typeof window === "undefined" ? undefined : window.localStorage }),
    transports: Object.fromEntries(
      chains.map((c) => [c.chainId, http(c.rpcUrl, { batch: { wait: 16 }, retryCount: 1 })]),
    ),
    pollingInterval: 1_000,
  });
}
