/**
 * The Hardhat Ignition module of the whole system: token, emission controller, capital pool,
 * protection fund, three contribution buckets with a first subnet each, Governor and Timelock; it
 * wires every permission, hands the AccessManager's admin role to the Timelock and renounces every
 * power the deployer held.
 *
 * The module is built from resolved parameters (`deploy/config.ts`) by `deploySystem`
 * (`deploy/system.ts`), which also predicts the controller's address: the token's minter
 * is immutable and the controller needs the token's address, so the first nine deployments run in a
 * fixed order (each `after` the previous one) and the controller lands at a known nonce.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Future } from "@nomicfoundation/ignition-core";
import { ZeroAddress, id } from "ethers";
import { BUCKET_NAMES, GUARDIAN_ROLE, ROLES } from "../../scripts/lib/chain/constants";
import { SystemConfig } from "../config";
import { total } from "../../scripts/lib/models/schedule";
import {
  CapitalPool__factory,
  ContributionBucket__factory,
  EmissionController__factory,
  Subnet__factory,
} from "../../typechain-types";

export const MODULE_ID = "Tetrad";

const ON_EMISSION = CapitalPool__factory.createInterface().getFunction("onEmission").selector;
const BUCKET_ON_EMISSION = ContributionBucket__factory.createInterface().getFunction("onEmission").selector;
const PAUSE = {
  controller: EmissionController__factory.createInterface().getFunction("pause").selector,
  pool: CapitalPool__factory.createInterface().getFunction("pause").selector,
  subnet: Subnet__factory.createInterface().getFunction("pause").selector,
};
const TIMELOCK_ROLES = {
  admin: "0x" + "00".repeat(32),
  proposer: id("PROPOSER_ROLE"),
  canceller: id("CANCELLER_ROLE"),
};

/** Builds the module for `config`; `predictedController` becomes the token's immutable minter. */
export function tetradModule(config: SystemConfig, predictedController: string) {
  return buildModule(MODULE_ID, (m) => {
    const deployer = m.getAccount(0);

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
          { account: code, notify: true },
          { account: community, notify: true },
          { account: compute, notify: true },
          { account: pool, notify: true },
          { account: protectionFund, notify: false },
        ],
        config.shares,
      ],
      { after: [compute] },
    );

    // ---- Emission wiring: only the controller may notify the pool and the buckets ----
    const labelDistributor = m.call(manager, "labelRole", [ROLES.DISTRIBUTOR, "DISTRIBUTOR"], {
      id: "LabelDistributor",
      after: [controller],
    });
    // Nothing may run before the controller (it would shift the controller's nonce): every later
    // future depends on it directly or through another future.
    const afterController = { after: [controller] };
    const wiring: Future[] = [labelDistributor];
    wiring.push(
      m.call(manager, "setTargetFunctionRole", [pool, [ON_EMISSION], ROLES.DISTRIBUTOR], {
        id: "RestrictPoolOnEmission",
        ...afterController,
      }),
    );
    for (const [i, b] of buckets.entries()) {
      wiring.push(
        m.call(manager, "setTargetFunctionRole", [b, [BUCKET_ON_EMISSION], ROLES.DISTRIBUTOR], {
          id: `Restrict${bucketId(i)}BucketOnEmission`,
          ...afterController,
        }),
      );
    }
    wiring.push(
      m.call(manager, "grantRole", [ROLES.DISTRIBUTOR, controller, 0], {
        id: "GrantDistributor",
        ...afterController,
      }),
    );

    // ---- A first subnet per contribution bucket, owned by the protection fund, with the whole weight ----
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
          { ...config.subnet },
          config.metricWeights,
        ],
        { id: `${bucketId(i)}Subnet`, after: [controller] },
      ),
    );
    buckets.forEach((b, i) =>
      wiring.push(
        m.call(b, "setWeights", [[subnets[i]], [10_000]], {
          id: `Weight${bucketId(i)}Subnet`,
          ...afterController,
        }),
      ),
    );

    // ---- Governance: the Governor alone proposes to the Timelock; anyone executes ----
    const timelock = m.contract(
      "TetradTimelock",
      [config.governance.timelockDelay, [], [ZeroAddress], deployer],
      {
        after: [controller],
      },
    );
    const governor = m.contract("TetradGovernor", [
      token,
      timelock,
      {
        votingDelay: config.governance.votingDelay,
        votingPeriod: config.governance.votingPeriod,
        proposalThresholdBps: config.governance.proposalThresholdBps,
        quorumPercent: config.governance.quorumPercent,
        lateQuorumExtension: config.governance.lateQuorumExtension,
        guardian: config.guardian ?? ZeroAddress,
      },
    ]);
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

    // ---- The guardian may pause (controller, pool, subnets), nothing else; governance may pause too ----
    wiring.push(
      m.call(manager, "labelRole", [GUARDIAN_ROLE, "GUARDIAN"], { id: "LabelGuardian", ...afterController }),
    );
    wiring.push(
      m.call(manager, "setTargetFunctionRole", [controller, [PAUSE.controller], GUARDIAN_ROLE], {
        id: "GuardControllerPause",
        ...afterController,
      }),
    );
    wiring.push(
      m.call(manager, "setTargetFunctionRole", [pool, [PAUSE.pool], GUARDIAN_ROLE], {
        id: "GuardPoolPause",
        ...afterController,
      }),
    );
    subnets.forEach((s, i) =>
      wiring.push(
        m.call(manager, "setTargetFunctionRole", [s, [PAUSE.subnet], GUARDIAN_ROLE], {
          id: `Guard${bucketId(i)}SubnetPause`,
          ...afterController,
        }),
      ),
    );
    if (config.guardian) {
      wiring.push(
        m.call(manager, "grantRole", [GUARDIAN_ROLE, config.guardian, 0], {
          id: "GrantGuardian",
          ...afterController,
        }),
      );
    }
    wiring.push(
      m.call(manager, "grantRole", [GUARDIAN_ROLE, timelock, 0], {
        id: "GrantTimelockGuardian",
        ...afterController,
      }),
    );

    // ---- Hand every parameter to the Timelock; the deployer keeps nothing ----
    const handOver = m.call(manager, "grantRole", [ROLES.ADMIN, timelock, 0], {
      id: "GrantTimelockAdmin",
      after: wiring,
    });
    m.call(manager, "renounceRole", [ROLES.ADMIN, deployer], {
      id: "RenounceDeployerAdmin",
      after: [handOver],
    });

    return {
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
      timelock,
      governor,
      ...(mock ? { stakingToken: mock } : {}),
    };
  });
}

function bucketId(i: number): string {
  const name = BUCKET_NAMES[i];
  return name.charAt(0).toUpperCase() + name.slice(1);
}
