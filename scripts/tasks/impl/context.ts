/**
 * The session every task implementation starts from: the deployment of the selected network, typed
 * contracts connected to the chosen signer, display units, chain time, and `send`, which runs a
 * transaction and turns a revert into one plain sentence (scripts/lib/chain/errors.ts).
 *
 * Imported lazily by the task actions (it pulls in TypeChain's output).
 */
import * as path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionReceipt, ContractTransactionResponse, getAddress, parseUnits } from "ethers";
import { Subnet, Subnet__factory } from "../../../typechain-types";
import {
  Connected,
  Deployment,
  connect,
  deploymentFile,
  errorAbi,
  readDeployment,
  subnetAddress,
} from "../../lib/deploy/deployments";
import { ErrorContext, ErrorDecoder, Units, formatAmount, formatTimestamp } from "../../lib/chain/errors";

/** A failure already in plain words (the task wrapper shows its message as is). */
export class TaskError extends Error {}

let decoder: ErrorDecoder | undefined;

/**
 * The decoder of every error a Tetrad entry point can surface (built once, from the TypeChain ABIs): the
 * contracts' own and the OpenZeppelin ones raised in what they call (`errorAbi`).
 */
export function tetradErrors(): ErrorDecoder {
  decoder ??= new ErrorDecoder([errorAbi() as never[]]);
  return decoder;
}

/** Prints a line of task output. */
export function log(line = ""): void {
  console.log(line);
}

/** What a task works with. */
export interface Session {
  hre: HardhatRuntimeEnvironment;
  deployment: Deployment;
  /** The deployment file read. */
  file: string;
  chainId: bigint;
  contracts: Connected;
  signer: HardhatEthersSigner;
  /** The signer's address. */
  me: string;
  ttd: Units;
  stake: Units;
  /** Latest block's timestamp. */
  now(): Promise<bigint>;
  /**
   * Sends a transaction and waits for it; a revert becomes a TaskError with one plain sentence
   * (`ctx` gives the units, round or proposal the message needs).
   */
  send(
    fn: () => Promise<ContractTransactionResponse>,
    ctx?: ErrorContext,
  ): Promise<ContractTransactionReceipt>;
  /** Formats an amount of TTD (`1,234.5 TTD`; more than 6 decimals are cut: `0.123456… TTD`). */
  ttdText(wei: bigint): string;
  /** Formats an amount of the stake token. */
  stakeText(wei: bigint): string;
  /** Chain-time text: absolute, and relative to `now`. */
  timeText(timestamp: bigint, now: bigint): string;
}

/**
 * Opens the deployment of `hre`'s network (`deployments/<chainId>.json`, or TETRAD_DEPLOYMENTS_DIR)
 * with account `from` of the network as signer. Throws a TaskError when there is no deployment, the
 * file is stale (no code at its addresses: a restarted node), or there is no such account.
 */
export async function open(hre: HardhatRuntimeEnvironment, from = 0): Promise<Session> {
  const provider = hre.ethers.provider;
  const { chainId } = await provider.getNetwork();
  const deployment = readDeployment(chainId);
  const file = deploymentFile(chainId);
  if ((await provider.getCode(deployment.contracts.Tetrad)) === "0x") {
    throw new TaskError(
      `no contract at the Tetrad address of ${path.relative(process.cwd(), file) || file} on network ` +
        `${hre.network.name} (chain ${chainId}): the deployment file is stale` +
        (chainId === 31337n
          ? " (the node was restarted, or this is the in-process network: use --network localhost after `npm run deploy:local`)"
          : ""),
    );
  }
  const signers = await hre.ethers.getSigners();
  if (!Number.isInteger(from) || from < 0 || from >= signers.length) {
    throw new TaskError(
      `--from ${from}: network ${hre.network.name} has ${signers.length} account${signers.length === 1 ? "" : "s"} (0-${signers.length - 1})`,
    );
  }
  const signer = signers[from];
  const contracts = connect(deployment, signer);
  const [ttdSymbol, ttdDecimals, stakeSymbol, stakeDecimals] = await Promise.all([
    contracts.token.symbol(),
    contracts.token.decimals(),
    contracts.stakingToken.symbol(),
    contracts.stakingToken.decimals(),
  ]);
  const ttd: Units = { symbol: ttdSymbol, decimals: Number(ttdDecimals) };
  const stake: Units = { symbol: stakeSymbol, decimals: Number(stakeDecimals) };
  const me = await signer.getAddress();
  const now = async (): Promise<bigint> => BigInt((await provider.getBlock("latest"))?.timestamp ?? 0);
  return {
    hre,
    deployment,
    file,
    chainId,
    contracts,
    signer,
    me,
    ttd,
    stake,
    now,
    async send(fn, ctx = {}) {
      const full: ErrorContext = { account: me, units: ttd, ...ctx };
      try {
        const tx = await fn();
        const receipt = await tx.wait();
        if (receipt === null || receipt.status !== 1) throw new TaskError(`transaction ${tx.hash} failed`);
        return receipt;
      } catch (e) {
        if (e instanceof TaskError) throw e;
        full.now ??= await now().catch(() => undefined);
        throw new TaskError(tetradErrors().explain(e, full), { cause: e });
      }
    },
    ttdText: (wei) => formatAmount(wei, ttd, true, 6),
    stakeText: (wei) => formatAmount(wei, stake, true, 6),
    timeText: (timestamp, at) => formatTimestamp(timestamp, at),
  };
}

/**
 * Parses a human amount (`12.5`, `1,000`, `1_000`) of `units` into base units; throws a TaskError in
 * plain words when it is not a positive number with at most `decimals` fraction digits.
 */
export function parseAmount(text: string, units: Units, name = "--amount"): bigint {
  const clean = String(text).trim().replace(/[,_]/g, "");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(clean)) {
    throw new TaskError(`${name}: "${text}" is not an amount of ${units.symbol} (e.g. 12.5)`);
  }
  let wei: bigint;
  try {
    wei = parseUnits(clean, units.decimals);
  } catch {
    throw new TaskError(`${name}: ${text} has more than ${units.decimals} decimals`);
  }
  if (wei === 0n) throw new TaskError(`${name}: the amount must be more than zero`);
  return wei;
}

/** A subnet of the deployment by name (code, community, compute) or address. */
export interface SubnetRef {
  subnet: Subnet;
  address: string;
  /** `code subnet` or the address. */
  label: string;
}

const SUBNET_NAMES = ["code", "community", "compute"] as const;

/**
 * The live subnet of any bucket named `name` (case-insensitive), launched through the factory; a
 * TaskError when none is, or several are.
 */
async function subnetNamed(s: Session, name: string): Promise<string> {
  const found: string[] = [];
  for (const bucket of s.contracts.buckets) {
    for (const l of await bucket.listings()) {
      const subnet = Subnet__factory.connect(l.subnet, s.signer);
      if ((await subnet.name()).toLowerCase() === name.trim().toLowerCase()) found.push(l.subnet);
    }
  }
  if (found.length === 1) return found[0];
  throw new TaskError(
    found.length === 0
      ? `Unknown subnet "${name}": use code, community, compute, a launched subnet's name or a subnet address`
      : `${found.length} live subnets are named "${name}": use its address (${found.join(", ")})`,
  );
}

/**
 * Resolves `--subnet`: code, community, compute (the genesis subnets), a live launched subnet's name,
 * or an address with code on chain.
 */
export async function subnetOf(s: Session, which: string | undefined): Promise<SubnetRef> {
  if (!which)
    throw new TaskError(
      "--subnet is required: code, community, compute, a launched subnet's name or a subnet address",
    );
  let address: string;
  try {
    address = getAddress(subnetAddress(s.deployment, which));
  } catch {
    address = getAddress(await subnetNamed(s, which));
  }
  if ((await s.hre.ethers.provider.getCode(address)) === "0x") {
    throw new TaskError(`--subnet: there is no contract at ${address}`);
  }
  const c = s.deployment.contracts;
  const known = [c.CodeSubnet, c.CommunitySubnet, c.ComputeSubnet].findIndex(
    (a) => a.toLowerCase() === address.toLowerCase(),
  );
  const subnet = Subnet__factory.connect(address, s.signer);
  const name = known >= 0 ? "" : await subnet.name().catch(() => "");
  return {
    subnet,
    address,
    label: known >= 0 ? `${SUBNET_NAMES[known]} subnet` : name ? `subnet "${name}"` : `subnet ${address}`,
  };
}

/** The subnet's current round as the error decoder wants it. */
export async function roundContext(
  subnet: Subnet,
): Promise<{ round: bigint; commitEnd: bigint; revealEnd: bigint }> {
  const [round, [, commitEnd, revealEnd]] = await Promise.all([subnet.round(), subnet.roundTimes()]);
  return { round, commitEnd, revealEnd };
}
