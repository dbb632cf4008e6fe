/**
 * The Hardhat Ignition modules of the system, the one description of the deployment: token, emission
 * controller, capital pool, protection fund, three contribution buckets with a first subnet each,
 * Governor and Timelock; every permission comes from the wiring table (`./wiring.ts`); at the end the
 * AccessManager's admin role is handed to the Timelock and the deployer renounces every power.
 *
 * - `tetradModule`: the whole system in one deployment (`deploy/deploy.ts`, `deploy/system.ts`).
 * - `coreModule` then `governanceModule`: the same in two stages on one chain, for the tests, the
 *   benches and the simulation, which use the deployer's admin role in between (`deploy/stages.ts`).
 *   Both stages are built by the same functions as `tetradModule`.
 *
 * The modules are built from resolved parameters (`./config.ts`). The token's minter is immutable and
 * the controller needs the token's address, so the first nine deployments run in a fixed order (each
 * `after` the previous one) and the controller lands at a known nonce (`controllerNonceOffset`).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type {
  AccountRuntimeValue,
  CallableContractFuture,
  Future,
  IgnitionModuleBuilder,
} from "@nomicfoundation/ignition-core";
import { Interface, ZeroAddress, id } from "ethers";
import { BUCKET_NAMES } from "../../scripts/lib/chain/constants";
import { SystemConfig } from "./config";
import { ADMIN_HANDOVER, Holder, Stage, TargetKey, TargetFunctions, rolesOf } from "./wiring";
import { total } from "../../scripts/lib/models/schedule";
import {
  CapitalPool__factory,
  ContributionBucket__factory,
  EmissionController__factory,
  Subnet__factory,
} from "../../typechain-types";

export const MODULE_ID = "Tetrad";
export const CORE_MODULE_ID = "TetradCore";
export const GOVERNANCE_MODULE_ID = "TetradGovernance";

const INTERFACES: Record<TargetFunctions["contract"], Interface> = {
  EmissionController: EmissionController__factory.createInterface(),
  CapitalPool: CapitalPool__factory.createInterface(),
  ContributionBucket: ContributionBucket__factory.createInterface(),
  Subnet: Subnet__factory.createInterface(),
};

/** The selectors of a wiring entry, checked against the contract's ABI. */
export function selectorsOf(t: TargetFunctions): string[] {
  return t.functions.map((signature) => {
    const f = INTERFACES[t.contract].getFunction(signature);
    if (!f) throw new Error(`wiring: ${t.contract} has no function ${signature}`);
    return f.selector;
  });
}

const TIMELOCK_ROLES = {
  admin: "0x" + "00".repeat(32),
  proposer: id("PROPOSER_ROLE"),
  canceller: id("CANCELLER_ROLE"),
};

type C = CallableContractFuture<string>;
type Deployer = AccountRuntimeValue | string;

/** The contracts of the economy (the core stage's result). */
export type CoreContracts = Record<
  TargetKey | "manager" | "token" | "protectionFund" | "subnetImplementation" | "subnetFactory",
  C
>;

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `setTargetFunctionRole` for every target of the stage's roles, and `labelRole` for each role. */
function wireTargets(m: IgnitionModuleBuilder, core: CoreContracts, stage: Stage, after: Future[]): Future[] {
  const calls: Future[] = [];
  for (const role of rolesOf(stage)) {
    calls.push(m.call(core.manager, "labelRole", [role.id, role.label], { id: `Label${role.label}`, after }));
    for (const t of role.targets) {
      calls.push(
        m.call(core.manager, "setTargetFunctionRole", [core[t.target], selectorsOf(t), role.id], {
          id: `Wire${role.label}On${cap(t.target)}`,
          after,
        }),
      );
    }
  }
  return calls;
}

/** `grantRole` to every holder of the stage's roles (an undefined holder, e.g. no guardian, is skipped). */
function grantHolders(
  m: IgnitionModuleBuilder,
  core: CoreContracts,
  stage: Stage,
  holders: Partial<Record<Holder, C | string>>,
  after: Future[],
): Future[] {
  const calls: Future[] = [];
  for (const role of rolesOf(stage)) {
    for (const h of role.holders) {
      const account = holders[h];
      if (account === undefined) continue;
      calls.push(
        m.call(core.manager, "grantRole", [role.id, account, 0], {
          id: `Grant${role.label}To${cap(h)}`,
          after,
        }),
      );
    }
  }
  return calls;
}

/**
 * The core stage: the economy, its core-stage wiring, a first subnet per bucket with the whole weight.
 * Returns the contracts and the futures the governance stage must run after.
 */
function buildCore(
  m: IgnitionModuleBuilder,
  config: SystemConfig,
  predictedController: string,
  deployer: Deployer,
): { core: CoreContracts; stakingToken?: C; done: Future[] } {
  // ---- Fixed-order deployments up to the controller (its address is the token's minter) ----
  const manager = m.contract("TetradAccessManager", [deployer]);
  const mock = config.stakingToken
    ? undefined
    : m.contract("MockStakeToken", ["Mock stETH/ETH LP", "mLP"], { after: [manager] });
  const stakingToken = config.stakingToken ?? mock!;
  const protectionFund = m.contract("Treasury", [manager], {
    id: "ProtectionFund",
    after: [mock ?? manager],
  });
  const token = m.contract("Tetrad", [predictedController, total(config.schedule)], {
    after: [protectionFund],
  });
  const pool = m.contract(
    "CapitalPool",
    [
      manager,
      stakingToken,
      token,
      config.pool.rewardsDuration,
      config.pool.minDeposit,
      config.pool.withdrawLock,
    ],
    { after: [token] },
  );
  const code = m.contract("ContributionBucket", [manager, token], { id: "CodeBucket", after: [pool] });
  const community = m.contract("ContributionBucket", [manager, token], {
    id: "CommunityBucket",
    after: [code],
  });
  const compute = m.contract("ContributionBucket", [manager, token], {
    id: "ComputeBucket",
    after: [community],
  });
  const buckets = [code, community, compute] as const;
  const controller = m.contract(
    "EmissionController",
    [
      token,
      manager,
      { ...config.schedule },
      [
        // The contribution buckets split by balance when a subnet pulls (or anyone calls `allocate`), so
        // they need no hook: the same split, 80k gas less per distribution (issue 13 item 7).
        { account: code, notify: false },
        { account: community, notify: false },
        { account: compute, notify: false },
        { account: pool, notify: true },
        { account: protectionFund, notify: false },
      ],
      config.shares,
    ],
    { after: [compute] },
  );
  // Nothing may run before the controller (it would shift the controller's nonce): every later
  // future depends on it directly or through another future.
  const afterController = [controller];

  // ---- A first subnet per contribution bucket, owned by the protection fund, with the whole weight ----
  // The fund owns them only to steward them: their owner share goes to their contributors (contributor
  // share = 10,000 - validator share), so the fund grows by its own bucket (4%) alone, not by 5% of
  // every contribution bucket besides (issue 15 item 5: 7.6% of the supply after a year, before).
  const genesisParams = { ...config.subnet, contributorShare: 10_000 - config.subnet.validatorShare };
  const subnets = buckets.map((b, i) =>
    m.contract(
      "Subnet",
      [
        manager,
        token,
        b,
        protectionFund,
        protectionFund,
        `ipfs://tetrad/${BUCKET_NAMES[i]}/genesis`,
        genesisParams,
        config.metricWeights,
      ],
      { id: `${cap(BUCKET_NAMES[i])}Subnet`, after: afterController },
    ),
  );
  // ---- The subnet market: one implementation (zero bucket: uninitialized) and the factory cloning it ----
  const subnetImplementation = m.contract(
    "Subnet",
    [manager, token, ZeroAddress, protectionFund, ZeroAddress, "", genesisParams, config.metricWeights],
    { id: "SubnetImplementation", after: afterController },
  );
  const subnetFactory = m.contract("SubnetFactory", [manager, subnetImplementation, token, [...buckets]], {
    after: afterController,
  });
  const core: CoreContracts = {
    manager,
    token,
    controller,
    pool,
    protectionFund,
    codeBucket: code,
    communityBucket: community,
    computeBucket: compute,
    codeSubnet: subnets[0],
    communitySubnet: subnets[1],
    computeSubnet: subnets[2],
    subnetImplementation,
    subnetFactory,
  };
  const done: Future[] = [
    ...wireTargets(m, core, "core", afterController),
    ...grantHolders(m, core, "core", { controller, factory: subnetFactory }, afterController),
  ];
  buckets.forEach((b, i) =>
    done.push(
      // The genesis subnet's floor: the rest of the bucket follows holders' gauge votes (and, with no
      // votes, goes to the floor too, so the genesis subnet takes everything until holders vote).
      m.call(b, "setFloors", [[subnets[i]], [config.genesisFloorBps]], {
        id: `Weight${cap(BUCKET_NAMES[i])}Subnet`,
        after: afterController,
      }),
    ),
  );
  return { core, stakingToken: mock, done };
}

/**
 * The governance stage over `core`: Timelock and Governor (the Governor alone proposes and cancels,
 * anyone executes), the governance-stage wiring, then the AccessManager's admin role to the Timelock;
 * the deployer keeps nothing.
 */
function buildGovernance(
  m: IgnitionModuleBuilder,
  core: CoreContracts,
  config: SystemConfig,
  deployer: Deployer,
  after: Future[],
): { timelock: C; governor: C } {
  const timelock = m.contract(
    "TetradTimelock",
    [config.governance.timelockDelay, [], [ZeroAddress], deployer],
    {
      after,
    },
  );
  const governor = m.contract("TetradGovernor", [
    core.token,
    timelock,
    {
      votingDelay: config.governance.votingDelay,
      votingPeriod: config.governance.votingPeriod,
      proposalThresholdBps: config.governance.proposalThresholdBps,
      quorumPercent: config.governance.quorumPercent,
      lateQuorumExtension: config.governance.lateQuorumExtension,
      guardian: config.guardian ?? ZeroAddress,
      voteLookback: config.governance.voteLookback,
      quorumFloor: config.governance.quorumFloor,
    },
  ]);
  // Rate-limit the protection fund before the Timelock takes the admin role (issue 15).
  const fundLimit = m.call(core.protectionFund, "setMaxReleaseBps", [config.governance.maxFundReleaseBps], {
    id: "LimitFundReleases",
    after,
  });
  const proposer = m.call(timelock, "grantRole", [TIMELOCK_ROLES.proposer, governor], {
    id: "GrantProposer",
  });
  const canceller = m.call(timelock, "grantRole", [TIMELOCK_ROLES.canceller, governor], {
    id: "GrantCanceller",
  });
  m.call(timelock, "renounceRole", [TIMELOCK_ROLES.admin, deployer], {
    id: "RenounceTimelockAdmin",
    after: [proposer, canceller],
  });

  const wiring = [
    ...wireTargets(m, core, "governance", after),
    ...grantHolders(m, core, "governance", { guardian: config.guardian, timelock }, after),
  ];

  // ---- Hand every parameter to the Timelock; the deployer keeps nothing ----
  const handOver = m.call(core.manager, "grantRole", [ADMIN_HANDOVER.id, timelock, 0], {
    id: "GrantTimelockAdmin",
    after: [...after, ...wiring, fundLimit],
  });
  m.call(core.manager, "renounceRole", [ADMIN_HANDOVER.id, deployer], {
    id: "RenounceDeployerAdmin",
    after: [handOver],
  });
  return { timelock, governor };
}

/**
 * The whole system for `config`; `predictedController` becomes the token's immutable minter.
 * `deployer` (default: the first account) must be the account that sends the transactions.
 */
export function tetradModule(config: SystemConfig, predictedController: string, deployer?: string) {
  return buildModule(MODULE_ID, (m) => {
    const from = deployer ?? m.getAccount(0);
    const { core, stakingToken, done } = buildCore(m, config, predictedController, from);
    const { timelock, governor } = buildGovernance(m, core, config, from, done);
    return { ...core, timelock, governor, ...(stakingToken ? { stakingToken } : {}) };
  });
}

/** The core stage alone: the deployer stays the AccessManager's admin. */
export function coreModule(config: SystemConfig, predictedController: string, deployer?: string) {
  return buildModule(CORE_MODULE_ID, (m) => {
    const { core, stakingToken } = buildCore(m, config, predictedController, deployer ?? m.getAccount(0));
    return { ...core, ...(stakingToken ? { stakingToken } : {}) };
  });
}

/** The addresses of a deployed core stage, by contract key. */
export type CoreAddresses = Record<keyof CoreContracts, string>;

const CORE_ARTIFACTS: Record<keyof CoreContracts, string> = {
  manager: "TetradAccessManager",
  token: "Tetrad",
  controller: "EmissionController",
  pool: "CapitalPool",
  protectionFund: "Treasury",
  codeBucket: "ContributionBucket",
  communityBucket: "ContributionBucket",
  computeBucket: "ContributionBucket",
  codeSubnet: "Subnet",
  communitySubnet: "Subnet",
  computeSubnet: "Subnet",
  subnetImplementation: "Subnet",
  subnetFactory: "SubnetFactory",
};

/** The governance stage over a core deployed earlier (its deployer must still be the admin). */
export function governanceModule(config: SystemConfig, core: CoreAddresses, deployer?: string) {
  return buildModule(GOVERNANCE_MODULE_ID, (m) => {
    const at = Object.fromEntries(
      (Object.keys(CORE_ARTIFACTS) as (keyof CoreContracts)[]).map((k) => [
        k,
        m.contractAt(CORE_ARTIFACTS[k], core[k], { id: `Core${cap(k)}` }),
      ]),
    ) as CoreContracts;
    return buildGovernance(m, at, config, deployer ?? m.getAccount(0), []);
  });
}
