/**
 * The `testnet` network of hardhat.config.ts, built from the environment so that nothing secret is
 * ever committed or printed:
 *
 *     RPC_URL=https://...  DEPLOYER_KEY=0x...                      # a raw key, or
 *     RPC_URL=https://...  DEPLOYER_KEYSTORE=./key.json DEPLOYER_KEYSTORE_PASSWORD=...   # an encrypted keystore
 *
 * Only imports `ethers` (the config loads before TypeChain's output exists).
 */
import * as fs from "fs";
import { Wallet } from "ethers";
import type { NetworksUserConfig } from "hardhat/types";

export const TESTNET = "testnet";

/** The network this Hardhat process was started with (`--network x` or HARDHAT_NETWORK). */
export function selectedNetwork(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const i = argv.indexOf("--network");
  if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith("--network="));
  if (eq) return eq.slice("--network=".length);
  return env.HARDHAT_NETWORK;
}

/** What is missing to use the test network, in plain words; empty when it is ready. */
export function testnetProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  if (!env.RPC_URL) problems.push("RPC_URL is not set (the JSON-RPC endpoint of the test network).");
  if (!env.DEPLOYER_KEY && !env.DEPLOYER_KEYSTORE)
    problems.push(
      "Neither DEPLOYER_KEY (a 0x-prefixed private key) nor DEPLOYER_KEYSTORE (an encrypted JSON keystore) is set.",
    );
  if (env.DEPLOYER_KEY && !/^(0x)?[0-9a-fA-F]{64}$/.test(env.DEPLOYER_KEY))
    problems.push("DEPLOYER_KEY is not a 32-byte hex private key.");
  if (env.DEPLOYER_KEYSTORE && !fs.existsSync(env.DEPLOYER_KEYSTORE))
    problems.push(`DEPLOYER_KEYSTORE points to ${env.DEPLOYER_KEYSTORE}, which does not exist.`);
  if (env.DEPLOYER_KEYSTORE && env.DEPLOYER_KEYSTORE_PASSWORD === undefined)
    problems.push("DEPLOYER_KEYSTORE_PASSWORD is not set (needed to decrypt the keystore).");
  return problems;
}

/**
 * `{ testnet: {...} }` when the environment has what it needs. When `testnet` is the selected network
 * and something is missing, prints what and exits with status 1 instead of a stack trace.
 */
export function testnetConfig(env: NodeJS.ProcessEnv = process.env): NetworksUserConfig {
  const selected = selectedNetwork(process.argv, env) === TESTNET;
  const problems = testnetProblems(env);
  if (problems.length > 0) {
    if (selected) {
      console.error(
        `Cannot use the "${TESTNET}" network:\n  - ${problems.join("\n  - ")}\nSee README.md, "Deploy to a test network".`,
      );
      process.exit(1);
    }
    return {};
  }
  // Decrypting a keystore is slow (scrypt): only when this network is actually used.
  let key = env.DEPLOYER_KEY;
  if (!key && selected && env.DEPLOYER_KEYSTORE) {
    try {
      key = Wallet.fromEncryptedJsonSync(
        fs.readFileSync(env.DEPLOYER_KEYSTORE, "utf8"),
        env.DEPLOYER_KEYSTORE_PASSWORD ?? "",
      ).privateKey;
    } catch {
      console.error(
        `Cannot use the "${TESTNET}" network: DEPLOYER_KEYSTORE could not be decrypted with DEPLOYER_KEYSTORE_PASSWORD.`,
      );
      process.exit(1);
    }
  }
  const accounts = key ? [key.startsWith("0x") ? key : `0x${key}`] : [];
  return {
    [TESTNET]: {
      url: env.RPC_URL as string,
      accounts,
      chainId: env.CHAIN_ID ? Number(env.CHAIN_ID) : undefined,
    },
  };
}
