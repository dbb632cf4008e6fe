/**
 * Deploys and wires the core economy (token, emission controller, capital pool, treasuries) with
 * typed TypeChain factories. Used by tests, the demo and the gas benchmark.
 */
import { Signer, getCreateAddress } from "ethers";
import {
  CapitalPool,
  CapitalPool__factory,
  EmissionController,
  EmissionController__factory,
  IERC20,
  IERC20__factory,
  MockStakeToken,
  MockStakeToken__factory,
  TetradAccessManager,
  TetradAccessManager__factory,
  Tetrad,
  Tetrad__factory,
  Treasury,
  Treasury__factory,
} from "../../typechain-types";
import { IEmissionController } from "../../typechain-types/contracts/emission/EmissionController";
import { DEFAULT_POOL, DEFAULT_SCHEDULE, DEFAULT_SHARES, ROLES, Shares } from "./constants";
import { ScheduleParams, total } from "./schedule";

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
}

export interface Core {
  deployer: Signer;
  manager: TetradAccessManager;
  token: Tetrad;
  controller: EmissionController;
  pool: CapitalPool;
  protectionFund: Treasury;
  /** Escrows of the code, community and compute buckets until proof of contribution is deployed. */
  escrows: [Treasury, Treasury, Treasury];
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
  const treasuries: Treasury[] = [];
  for (let i = 0; i < 4; i++) {
    const t = await new Treasury__factory(deployer).deploy(managerAddress);
    await t.waitForDeployment();
    treasuries.push(t);
  }
  const [code, community, compute, protectionFund] = treasuries;

  // The token's minter is immutable: it is the controller, deployed two transactions later.
  const nonce = await deployer.getNonce("pending");
  const predictedController = getCreateAddress({ from, nonce: nonce + 2 });
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

  const recipients: [
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
    IEmissionController.RecipientStruct,
  ] = [
    { account: await code.getAddress(), notify: false },
    { account: await community.getAddress(), notify: false },
    { account: await compute.getAddress(), notify: false },
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

  // Only the controller may notify the pool of new emission.
  await (await manager.labelRole(ROLES.DISTRIBUTOR, "DISTRIBUTOR")).wait();
  await (
    await manager.setTargetFunctionRole(
      await pool.getAddress(),
      [pool.interface.getFunction("onEmission").selector],
      ROLES.DISTRIBUTOR,
    )
  ).wait();
  await (await manager.grantRole(ROLES.DISTRIBUTOR, controllerAddress, 0)).wait();

  return {
    deployer,
    manager,
    token,
    controller,
    pool,
    protectionFund,
    escrows: [code, community, compute],
    stakingToken: IERC20__factory.connect(stakingTokenAddress, deployer),
    mockStakingToken,
    schedule,
  };
}
