/**
 * The deployed system (`deployCore`: the deployer is still the AccessManager's admin) with TTD to spend
 * on the subnet market, for test/contribution/SubnetFactory.test.ts and test/security/MarketAttacks.test.ts.
 * The capital bucket's emission is pointed at a faucet account, and the first distribution comes 100
 * days after deployment (~340,000 TTD to the faucet), so tests hand out tens of thousands of TTD without
 * a staking pool in the way. The code, community and compute buckets still hold their genesis subnet
 * at a 100% floor. No tests here.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionReceipt, MaxUint256 } from "ethers";
import { Subnet, Subnet__factory } from "../../typechain-types";
import { Bucket, DAY } from "../../scripts/lib/chain/constants";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, SubnetParams } from "../../scripts/lib/chain/poc";
import { Core, deployCore } from "./deploy";

export const TTD = 10n ** 18n;
/** Days of emission before the fixture hands over (the faucet's first distribution). */
export const MARKET_DAYS = 100n;

/** The accounts of the fixture, in the order of `ethers.getSigners()`. */
const ACCOUNTS = [
  "deployer",
  "faucet",
  "owner",
  "alice",
  "bob",
  "carol",
  "dave",
  "stranger",
  "attacker",
  "user",
  "validator",
  "contributor",
] as const;

export type Market = Record<(typeof ACCOUNTS)[number], HardhatEthersSigner> & { core: Core };

export async function deployMarket(): Promise<Market> {
  const signers = await ethers.getSigners();
  const accounts = Object.fromEntries(ACCOUNTS.map((name, i) => [name, signers[i]])) as Record<
    (typeof ACCOUNTS)[number],
    HardhatEthersSigner
  >;
  const core = await deployCore(accounts.deployer);
  await (await core.controller.setRecipient(Bucket.Capital, accounts.faucet.address, false)).wait();
  await time.increase(MARKET_DAYS * DAY);
  await (await core.controller.distribute()).wait();
  return { ...accounts, core };
}

/** Sends `amount` TTD from the faucet to `who`. */
export async function give(m: Market, who: HardhatEthersSigner, amount: bigint): Promise<void> {
  await (await m.core.token.connect(m.faucet).transfer(who.address, amount)).wait();
}

export interface LaunchOptions {
  bucket?: number;
  name?: string;
  uri?: string;
  params?: SubnetParams;
  weights?: number[];
  /** Default: no limit. */
  maxCost?: bigint;
}

export interface Launched {
  subnet: Subnet;
  address: string;
  /** Gauge id in its bucket. */
  id: bigint;
  /** TTD burned. */
  cost: bigint;
  receipt: ContractTransactionReceipt;
}

/**
 * `who` launches a subnet (it must hold the cost; the factory gets an unlimited allowance) and the
 * `SubnetLaunched` event is read back.
 */
export async function launchSubnet(
  m: Market,
  who: HardhatEthersSigner,
  options: LaunchOptions = {},
): Promise<Launched> {
  const { factory, token } = m.core;
  const factoryAddress = await factory.getAddress();
  if ((await token.allowance(who.address, factoryAddress)) < MaxUint256 / 2n)
    await (await token.connect(who).approve(factoryAddress, MaxUint256)).wait();
  const tx = await factory
    .connect(who)
    .launch(
      options.bucket ?? 0,
      options.name ?? "subnet",
      options.uri ?? "ipfs://subnet",
      options.params ?? DEFAULT_SUBNET_PARAMS,
      options.weights ?? DEFAULT_METRIC_WEIGHTS,
      options.maxCost ?? MaxUint256,
    );
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("launch: no receipt");
  const [log] = await factory.queryFilter(
    factory.filters.SubnetLaunched,
    receipt.blockNumber,
    receipt.blockNumber,
  );
  const address = log.args.subnet;
  return {
    subnet: Subnet__factory.connect(address, who),
    address,
    id: log.args.id,
    cost: log.args.cost,
    receipt,
  };
}

/** What `launchCost()` returns: `2 last - last elapsed / decayPeriod` within `[minCost, maxCost]`. */
export function expectedLaunchCost(
  last: bigint,
  elapsed: bigint,
  pricing: { minCost: bigint; maxCost: bigint; decayPeriod: bigint },
): bigint {
  const decayed = (last * elapsed) / pricing.decayPeriod;
  const cost = decayed >= 2n * last ? 0n : 2n * last - decayed;
  const floored = cost < pricing.minCost ? pricing.minCost : cost;
  return floored > pricing.maxCost ? pricing.maxCost : floored;
}
