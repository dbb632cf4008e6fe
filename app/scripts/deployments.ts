/**
 * What the app is told about deployments: `deployments.json`, built from `deployments/<chainId>.json`
 * (the folder TETRAD_DEPLOYMENTS_DIR or the project's `deployments/`), without the ABIs (the app has
 * its own, generated from the artifacts) and with an RPC URL per chain for reading without a wallet:
 * `TETRAD_RPC_URL_<chainId>`, or for a local chain (31337, 1337) LOCALHOST_URL or http://127.0.0.1:8545.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Deployment } from "../../scripts/lib/shared/deployments";

export interface AppChain {
  chainId: number;
  network: string;
  name: string;
  rpcUrl: string;
  startBlock: number;
  scheduleStart: number;
  contracts: Record<string, string>;
}

export interface AppDeployments {
  chains: AppChain[];
}

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function deploymentsDir(): string {
  return process.env.TETRAD_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments");
}

const NAMES: Record<number, string> = {
  1: "Ethereum",
  11155111: "Sepolia",
  17000: "Holesky",
  8453: "Base",
  84532: "Base Sepolia",
  42161: "Arbitrum One",
  421614: "Arbitrum Sepolia",
  31337: "Hardhat (local)",
  1337: "Local chain",
};

export function readAppDeployments(dir = deploymentsDir()): AppDeployments {
  const chains: AppChain[] = [];
  if (fs.existsSync(dir)) {
    for (const file of fs.readdirSync(dir).filter((f) => /^\d+\.json$/.test(f))) {
      const d = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Deployment;
      const local = d.chainId === 31337 || d.chainId === 1337;
      const rpcUrl =
        process.env[`TETRAD_RPC_URL_${d.chainId}`] ??
        (local ? (process.env.LOCALHOST_URL ?? "http://127.0.0.1:8545") : undefined);
      if (!rpcUrl) {
        console.warn(
          `deployments: no RPC URL for chain ${d.chainId} (set TETRAD_RPC_URL_${d.chainId}); skipped`,
        );
        continue;
      }
      chains.push({
        chainId: d.chainId,
        network: d.network,
        name: NAMES[d.chainId] ?? `${d.network} (chain ${d.chainId})`,
        rpcUrl,
        startBlock: d.startBlock ?? 0,
        scheduleStart: d.scheduleStart,
        contracts: d.contracts,
      });
    }
  }
  // A local chain first only when it is the only one: public networks are the default otherwise.
  chains.sort((a, b) => Number(a.chainId === 31337) - Number(b.chainId === 31337) || a.chainId - b.chainId);
  return { chains };
}
