/**
 * Deploys and wires the core economy (token, emission controller, capital pool, treasuries) with
 * typed TypeChain factories. Used by tests, the demo and the gas benchmark.
 */
import { Signer, getCreateAddress } from "ethers";
import {
  CapitalPool,
  CapitalPool__factory,
  ContributionBucket,
  ContributionBucket__factory,
  EmissionController,
  EmissionController__factory,
  IERC20,
  IERC20__factory,
  MockStakeToken,
  MockStakeToken__factory,
  Subnet,
  Subnet__factory,
  TetradAccessManager,
  TetradAccessManager__factory,
  Tetrad,
  Tetrad__factory,
  Treasury,
  Treasury__factory,
} from "../../../typechain-types";
import { IEmissionController } from "../../../typechain-types/contracts/emission/EmissionController";
import {
  BUCKET_NAMES,
  DEFAULT_POOL,
  DEFAULT_SCHEDULE,
  DEFAULT_SHARES,
  ROLES,
  Shares,
} from "../chain/constants";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, SubnetParams } from "../chain/poc";
import { ScheduleParams, total } from "../models/schedule";

export interface CoreConfig {
  /** Schedule start; defaults to the latest block's timestamp. */
  start?: bigint;
  interval?: bigint;
  initialAmount?: bigint;
  decrease?: bigint;
  shares?: Shares;
  rewardsDuration?: bigint;
  minDeposit?: bigint;
  withdrawLock?: bigint;
  /** An existing staking token; by default a MockStakeToken ("Mock stETH/ETH LP") is deployed. */
  stakingToken?: string;
  /** Settings of the first subnet of each contribution bucket. */
  subnetParams?: SubnetParams;
  metricWeights?: number[];
  /** Owner of the first subnets (receives the owner share); defaults to the protection fund. */
  subnetOwner?: string;
}

export interface Core {
  deployer: Signer;
  manager: TetradAccessManager;
  token: Tetrad;
  controller: EmissionController;
  pool: CapitalPool;
  protectionFund: Treasury;
  /** The code, community and compute buckets: each splits its emission among its subnets. */
  buckets: [ContributionBucket, ContributionBucket, ContributionBucket];
  /** The first subnet of each contribution bucket (weight 100%). */
  subnets: [Subnet, Subnet, Subnet];
  stakingToken: IERC20;
  /** Set when the staking token is the deployed mock (it has an open faucet). */
  mockStakingToken?: MockStakeToken;
  schedule: ScheduleParams;
}

export async function deployCore(deployer: Signer, config: CoreConfig = {}): Promise<Core> {
  const provider = deployer.provider;
  if (!provider) throw new Error("deployCore: the deployer signer has no provider");
  const from = await deployer.getAddress();
  const latest = await provider.getBlock("latest");
  const schedule: ScheduleParams = {
    start: config.start ?? BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)),
    interval: config.interval ?? DEFAULT_SCHEDULE.interval,
    initialAmount: config.initialAmount ?? DEFAULT_SCHEDULE.initialAmount,
    decrease: config.decrease ?? DEFAULT_SCHEDULE.decrease,
  };

  const manager = await new TetradAccessManager__factory(deployer).deploy(from);
  await manager.waitForDeployment();

  let mockStakingToken: MockStakeToken | undefined;
  let stakingTokenAddress = config.stakingToken;
  if (!stakingTokenAddress) {
    mockStakingToken = await new MockStakeToken__factory(deployer).deploy("Mock stETH/ETH LP", "mLP");
    await mockStakingToken.waitForDeployment();
    stakingTokenAddress = await mockStakingToken.getAddress();
  }

  const managerAddress = await manager.getAddress();
  const protectionFund = await new Treasury__factory(deployer).deploy(managerAddress);
  await protectionFund.waitForDeployment();

  // The token's minter is immutable: it is the controller, deployed five transactions later
  // (after the pool and the three contribution buckets, which need the token's address).
  const nonce = await deployer.getNonce("pending");
  const predictedController = getCreateAddress({ from, nonce: nonce + 5 });
  const token = await new Tetrad__factory(deployer).deploy(predictedController, total(schedule));
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();

  const pool = await new CapitalPool__factory(deployer).deploy(
    managerAddress,
    stakingTokenAddress,
    tokenAddress,
    config.rewardsDuration ?? DEFAULT_POOL.rewardsDuration,
    config.minDeposit ?? DEFAULT_POOL.minDeposit,
    config.withdrawLock ?? DEFAULT_POOL.withdrawLock,
  );
  await pool.waitForDeployment();

  const buckets: ContributionBucket[] = [];
  for (let i = 0; i < 3; i++) {
    const b = await new ContributionBucket__factory(deployer).deploy(managerAddress, tokenAddress);
    await b.waitForDeployment();
    buckets.push(b);
  }
  const [code, community, compute] = buckets;

  const recipients: [
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
  ] = [
    { account: await code.getAddress(), notify: true },
    { account: await community.getAddress(), notify: true },
    { account: await compute.getAddress(), notify: true },
    { account: await pool.getAddress(), notify: true },
    { account: await protectionFund.getAddress(), notify: false },
  ];
  const controller = await new EmissionController__factory(deployer).deploy(
    tokenAddress,
    managerAddress,
    schedule,
    recipients,
    config.shares ?? DEFAULT_SHARES,
  );
  await controller.waitForDeployment();
  const controllerAddress = await controller.getAddress();
  if (controllerAddress !== predictedController) {
    throw new Error(`deployCore: controller at ${controllerAddress}, token minter is ${predictedController}`);
  }

  // Only the controller may notify the pool and the buckets of new emission.
  await (await manager.labelRole(ROLES.DISTRIBUTOR, "DISTRIBUTOR")).wait();
  for (const receiver of [pool, ...buckets]) {
    await (
      await manager.setTargetFunctionRole(
        await receiver.getAddress(),
        [receiver.interface.getFunction("onEmission").selector],
        ROLES.DISTRIBUTOR,
      )
    ).wait();
  }
  await (await manager.grantRole(ROLES.DISTRIBUTOR, controllerAddress, 0)).wait();

  // A first subnet per contribution bucket, with the whole bucket's weight.
  const subnets: Subnet[] = [];
  for (const [i, b] of buckets.entries()) {
    const subnet = await new Subnet__factory(deployer).deploy(
      managerAddress,
      tokenAddress,
      await b.getAddress(),
      await protectionFund.getAddress(),
      config.subnetOwner ?? (await protectionFund.getAddress()),
      `ipfs://tetrad/${BUCKET_NAMES[i]}/genesis`,
      config.subnetParams ?? DEFAULT_SUBNET_PARAMS,
      config.metricWeights ?? DEFAULT_METRIC_WEIGHTS,
    );
    await subnet.waitForDeployment();
    await (await b.setWeights([await subnet.getAddress()], [10_000])).wait();
    subnets.push(subnet);
  }

  return {
    deployer,
    manager,
    token,
    controller,
    pool,
    protectionFund,
    buckets: [code, community, compute],
    subnets: subnets as [Subnet, Subnet, Subnet],
    stakingToken: IERC20__factory.connect(stakingTokenAddress, deployer),
    mockStakingToken,
    schedule,
  };
}
