/**
 * Subnet-market scenarios for `npm run bench:gas` (imported by scripts/bench/gas.ts), on the deployed
 * core (the deployer still the AccessManager's admin): a launch through the factory, a gauge vote over
 * four subnets, a service fee, and one bucket's split among 32 live subnets with votes in force.
 */
import hre, { ethers } from "hardhat";
import { impersonateAccount, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY } from "../lib/chain/constants";
import { GasRecorder } from "../lib/chain/gas";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../lib/chain/poc";
import { deployCore } from "../../deploy/stages";

/** Subnets one bucket splits among in the largest case (ContributionBucket.MAX_SUBNETS). */
const MAX_SUBNETS = 32;
const TTD = 10n ** 18n;

export async function benchMarket(gas: GasRecorder): Promise<void> {
  const [deployer, owner, voterA, voterB, voterC, payer] = await ethers.getSigners();
  const core = await deployCore(hre, deployer);
  const { token, factory } = core;
  const bucket = core.buckets[0];
  const factoryAddress = await factory.getAddress();

  // TTD for the actors: minted by the controller (impersonated; the bench owns the chain).
  const controller = await core.controller.getAddress();
  await impersonateAccount(controller);
  await setBalance(controller, 10n ** 20n);
  const minter = await ethers.getSigner(controller);
  for (const a of [owner, voterA, voterB, voterC, payer])
    await token.connect(minter).mint(a.address, 5_000_000n * TTD);
  for (const v of [voterA, voterB, voterC]) await token.connect(v).delegate(v.address);
  await token.connect(owner).approve(factoryAddress, ethers.MaxUint256);

  const launch = () =>
    factory
      .connect(owner)
      .launch(0, "bench", "ipfs://bench", DEFAULT_SUBNET_PARAMS, DEFAULT_METRIC_WEIGHTS, ethers.MaxUint256);
  await gas.record("market.launch.first", launch());
  await gas.record("market.launch", launch());
  // Fill the bucket (the genesis subnet and 31 launched) at a flat cost.
  await factory.setLaunchPricing({ minCost: TTD, maxCost: TTD, decayPeriod: DAY });
  while ((await bucket.listings()).length < MAX_SUBNETS) await (await launch()).wait();
  const ids = (await bucket.listings()).map((l) => l.id);

  // Voting power counts from the period after delegation (and a lookback before its start).
  const period = await bucket.currentPeriod();
  await time.increaseTo((await bucket.periodStart(period + 1n)) + 1n);
  const equal = (xs: bigint[]) => xs.map(() => 10_000n / BigInt(xs.length));
  await (await bucket.connect(voterA).vote(ids.slice(0, 16), equal(ids.slice(0, 16)))).wait();
  await (await bucket.connect(voterB).vote(ids.slice(16), equal(ids.slice(16)))).wait();
  const four = ids.slice(1, 5);
  await gas.record("gauge.vote.4subnets", bucket.connect(voterC).vote(four, equal(four)));
  await gas.record("gauge.poke", bucket.connect(payer).poke(voterC.address));

  // A fee paid to a launched subnet (half burned, half to its next round).
  const subnet = await ethers.getContractAt("Subnet", (await bucket.listings())[1].subnet);
  await token.connect(payer).approve(await subnet.getAddress(), ethers.MaxUint256);
  await gas.record("subnet.payFee.first", subnet.connect(payer).payFee(100n * TTD, ethers.ZeroHash));
  await gas.record("subnet.payFee", subnet.connect(payer).payFee(100n * TTD, ethers.id("invoice-2")));

  // The split among 32 subnets with every vote in force, as on a day after each subnet pulled.
  await time.increaseTo((await bucket.periodStart((await bucket.currentPeriod()) + 1n)) + 1n);
  const bucketAddress = await bucket.getAddress();
  await token.connect(minter).mint(bucketAddress, 1_000n * TTD);
  await (await bucket.allocate()).wait();
  for (const l of await bucket.listings()) {
    await impersonateAccount(l.subnet);
    await setBalance(l.subnet, 10n ** 18n);
    await (await bucket.connect(await ethers.getSigner(l.subnet)).pull()).wait();
  }
  await token.connect(minter).mint(bucketAddress, 1_000n * TTD);
  await gas.record("bucket.allocate.32subnets", bucket.allocate());
}
