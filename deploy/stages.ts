/**
 * The system in two stages on the in-process Hardhat network (or the simulation's own anvil), through the same Ignition modules as
 * `deploy/deploy.ts` (deploy/modules/Tetrad.ts, wiring from deploy/modules/wiring.ts): `deployCore`
 * (the deployer stays the AccessManager's admin, to fund accounts or onboard agents from the
 * protection fund) and `deployGovernance` (Timelock + Governor, the admin role handed over). Used by
 * the tests (through test/utils/deploy.ts), the benches and the simulation (scripts/simulate.ts hands
 * `stages(hre)` to it).
 *
 * Parameters: deploy/parameters.json for the network, with the given overrides.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Signer, getAddress, getCreateAddress } from "ethers";
import {
  DeploymentResultType,
  IgnitionModule,
  IgnitionModuleResult,
  deploy,
} from "@nomicfoundation/ignition-core";
import { errorDeploymentResultToExceptionMessage } from "@nomicfoundation/hardhat-ignition/helpers";
import { CoreAddresses, coreModule, governanceModule } from "./modules/Tetrad";
import {
  NetworkParameters,
  SystemConfig,
  controllerNonceOffset,
  loadNetworkParameters,
  resolveConfig,
} from "./modules/config";
import { Shares } from "../scripts/lib/chain/constants";
import { SubnetParams } from "../scripts/lib/chain/poc";
import { Core, Governance, SystemStages } from "../scripts/lib/deploy/handles";
import {
  CapitalPool__factory,
  ContributionBucket__factory,
  EmissionController__factory,
  IERC20__factory,
  MockStakeToken__factory,
  Subnet__factory,
  SubnetFactory__factory,
  TetradAccessManager__factory,
  TetradGovernor__factory,
  TetradTimelock__factory,
  Tetrad__factory,
  Treasury__factory,
} from "../typechain-types";

/** Overrides of the core stage's parameters (the rest: deploy/parameters.json). */
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
}

/** Overrides of the governance stage's parameters. */
export interface GovernanceConfig {
  votingDelay?: bigint;
  votingPeriod?: bigint;
  proposalThresholdBps?: bigint;
  quorumPercent?: bigint;
  lateQuorumExtension?: bigint;
  timelockDelay?: bigint;
  voteLookback?: bigint;
  quorumFloor?: bigint;
  maxFundReleaseBps?: bigint;
  /** Address allowed to pause and to cancel proposals; none by default. */
  guardian?: string;
}

/**
 * Runs an Ignition module on the in-process network and returns the address of each contract it
 * returns, by result key. This is what `hre.ignition.deploy` does on that network (a journal in memory),
 * with two differences that make a deployment about ten times faster: blocks are polled every
 * millisecond (automine has mined them already; the default is a second per batch of futures), and the
 * artifact resolver gives no build info (Ignition reads the whole solc build, ~13 MB of JSON, for every
 * contract future, only to store it in a journal that in memory it does not keep).
 */
async function ignite(
  hre: HardhatRuntimeEnvironment,
  module: IgnitionModule<string, string, IgnitionModuleResult<string>>,
  from: string,
): Promise<Record<string, string>> {
  const accounts = (await hre.network.provider.request({ method: "eth_accounts" })) as string[];
  const result = await deploy({
    config: { requiredConfirmations: 1, blockPollingInterval: 1 },
    artifactResolver: {
      loadArtifact: (name) => hre.artifacts.readArtifact(name),
      getBuildInfo: async () => undefined,
    },
    provider: hre.network.provider,
    ignitionModule: module,
    deploymentParameters: {},
    accounts,
    defaultSender: from,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT)
    throw new Error(`Ignition: ${module.id} failed: ${errorDeploymentResultToExceptionMessage(result)}`);
  return Object.fromEntries(
    Object.entries(module.results).map(([key, future]) => [
      key,
      getAddress(result.contracts[future.id].address),
    ]),
  );
}

/**
 * The networks these stages deploy to: the in-process one and the simulation's own anvil
 * (scripts/simulate.ts --chain anvil, hardhat.config.ts), a fresh chain that lives as long as the run
 * and takes the in-process network's parameters. Elsewhere use deploy/deploy.ts, whose Ignition
 * journal on disk lets a deployment resume.
 */
const STAGE_NETWORKS = ["hardhat", "simAnvil"];

function assertInProcess(hre: HardhatRuntimeEnvironment, what: string): void {
  if (!STAGE_NETWORKS.includes(hre.network.name))
    throw new Error(
      `${what}: the in-process Hardhat network or the simulation's anvil only (use deploy/deploy.ts on ${hre.network.name})`,
    );
}

async function baseConfig(hre: HardhatRuntimeEnvironment, deployer: Signer): Promise<SystemConfig> {
  const provider = deployer.provider;
  if (!provider) throw new Error("deploy: the deployer signer has no provider");
  const latest = await provider.getBlock("latest");
  const params: NetworkParameters = loadNetworkParameters("hardhat");
  return resolveConfig(params, BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)));
}

/** Deploys the core economy through `coreModule`; `deployer` stays the AccessManager's admin. */
export async function deployCore(
  hre: HardhatRuntimeEnvironment,
  deployer: Signer,
  overrides: CoreConfig = {},
): Promise<Core> {
  assertInProcess(hre, "deployCore");
  const base = await baseConfig(hre, deployer);
  const o = overrides;
  const config: SystemConfig = {
    ...base,
    stakingToken: o.stakingToken,
    schedule: {
      start: o.start ?? base.schedule.start,
      interval: o.interval ?? base.schedule.interval,
      initialAmount: o.initialAmount ?? base.schedule.initialAmount,
      decrease: o.decrease ?? base.schedule.decrease,
    },
    shares: o.shares ?? base.shares,
    pool: {
      rewardsDuration: o.rewardsDuration ?? base.pool.rewardsDuration,
      minDeposit: o.minDeposit ?? base.pool.minDeposit,
      withdrawLock: o.withdrawLock ?? base.pool.withdrawLock,
    },
    subnet: o.subnetParams ?? base.subnet,
    metricWeights: o.metricWeights ?? base.metricWeights,
  };
  const from = await deployer.getAddress();
  const nonce = await deployer.getNonce("pending");
  const predicted = getCreateAddress({ from, nonce: nonce + controllerNonceOffset(config).controller });
  const r = await ignite(hre, coreModule(config, predicted, from), from);
  const controller = EmissionController__factory.connect(r.controller, deployer);
  if (r.controller !== predicted)
    throw new Error(`deployCore: controller at ${r.controller}, token minter is ${predicted}`);
  const mock = r.stakingToken ? MockStakeToken__factory.connect(r.stakingToken, deployer) : undefined;
  const stakingAddress = config.stakingToken ?? r.stakingToken;
  return {
    deployer,
    manager: TetradAccessManager__factory.connect(r.manager, deployer),
    token: Tetrad__factory.connect(r.token, deployer),
    controller,
    pool: CapitalPool__factory.connect(r.pool, deployer),
    protectionFund: Treasury__factory.connect(r.protectionFund, deployer),
    buckets: [
      ContributionBucket__factory.connect(r.codeBucket, deployer),
      ContributionBucket__factory.connect(r.communityBucket, deployer),
      ContributionBucket__factory.connect(r.computeBucket, deployer),
    ],
    subnets: [
      Subnet__factory.connect(r.codeSubnet, deployer),
      Subnet__factory.connect(r.communitySubnet, deployer),
      Subnet__factory.connect(r.computeSubnet, deployer),
    ],
    factory: SubnetFactory__factory.connect(r.subnetFactory, deployer),
    stakingToken: IERC20__factory.connect(stakingAddress, deployer),
    mockStakingToken: mock,
    schedule: config.schedule,
  };
}

/**
 * Deploys the DAO over `core` through `governanceModule`: Timelock + Governor, the guardian's and the
 * Timelock's pause rights, the admin role to the Timelock; the deployer renounces every power.
 */
export async function deployGovernance(
  hre: HardhatRuntimeEnvironment,
  core: Core,
  overrides: GovernanceConfig = {},
): Promise<Governance> {
  assertInProcess(hre, "deployGovernance");
  const base = await baseConfig(hre, core.deployer);
  const g = base.governance;
  const config: SystemConfig = {
    ...base,
    guardian: overrides.guardian,
    governance: {
      votingDelay: overrides.votingDelay ?? g.votingDelay,
      votingPeriod: overrides.votingPeriod ?? g.votingPeriod,
      proposalThresholdBps: overrides.proposalThresholdBps ?? g.proposalThresholdBps,
      quorumPercent: overrides.quorumPercent ?? g.quorumPercent,
      lateQuorumExtension: overrides.lateQuorumExtension ?? g.lateQuorumExtension,
      timelockDelay: overrides.timelockDelay ?? g.timelockDelay,
      voteLookback: overrides.voteLookback ?? g.voteLookback,
      quorumFloor: overrides.quorumFloor ?? g.quorumFloor,
      maxFundReleaseBps: overrides.maxFundReleaseBps ?? g.maxFundReleaseBps,
    },
  };
  const addresses: CoreAddresses = {
    manager: await core.manager.getAddress(),
    token: await core.token.getAddress(),
    controller: await core.controller.getAddress(),
    pool: await core.pool.getAddress(),
    protectionFund: await core.protectionFund.getAddress(),
    codeBucket: await core.buckets[0].getAddress(),
    communityBucket: await core.buckets[1].getAddress(),
    computeBucket: await core.buckets[2].getAddress(),
    codeSubnet: await core.subnets[0].getAddress(),
    communitySubnet: await core.subnets[1].getAddress(),
    computeSubnet: await core.subnets[2].getAddress(),
    subnetImplementation: await core.factory.implementation(),
    subnetFactory: await core.factory.getAddress(),
  };
  const from = await core.deployer.getAddress();
  const r = await ignite(hre, governanceModule(config, addresses, from), from);
  return {
    governor: TetradGovernor__factory.connect(r.governor, core.deployer),
    timelock: TetradTimelock__factory.connect(r.timelock, core.deployer),
    guardian: overrides.guardian,
  };
}

/** Both stages with default parameters, for code that may not import deploy/ (the simulation). */
export function stages(hre: HardhatRuntimeEnvironment): SystemStages {
  return {
    core: (deployer) => deployCore(hre, deployer),
    governance: (core) => deployGovernance(hre, core),
  };
}
