/**
 * Typed handles on a system deployed in two stages (the Ignition modules `coreModule` and
 * `governanceModule` of deploy/modules/Tetrad.ts, run by deploy/stages.ts): the core economy while the
 * deployer is still the AccessManager's admin, then the DAO it hands everything to. The deployment
 * itself lives in deploy/ (which scripts/lib never imports): code here that needs a system, such as
 * the simulation, is handed the two stages as a `SystemStages`.
 */
import { Signer } from "ethers";
import {
  CapitalPool,
  ContributionBucket,
  EmissionController,
  IERC20,
  MockStakeToken,
  Subnet,
  SubnetFactory,
  Tetrad,
  TetradAccessManager,
  TetradGovernor,
  TetradTimelock,
  Treasury,
} from "../../../typechain-types";
import { ScheduleParams } from "../models/schedule";

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
  /** The subnet market's door: anyone launches a subnet (a clone) into a bucket. */
  factory: SubnetFactory;
  stakingToken: IERC20;
  /** Set when the staking token is the deployed mock (it has an open faucet). */
  mockStakingToken?: MockStakeToken;
  schedule: ScheduleParams;
}

export interface Governance {
  governor: TetradGovernor;
  timelock: TetradTimelock;
  guardian?: string;
}

/** The two deployment stages, with default parameters (deploy/stages.ts provides them). */
export interface SystemStages {
  /** The core economy; `deployer` stays the AccessManager's admin. */
  core(deployer: Signer): Promise<Core>;
  /** The DAO over `core`: the admin role goes to the Timelock, the deployer renounces it. */
  governance(core: Core): Promise<Governance>;
}
