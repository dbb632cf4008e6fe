/**
 * Deploys the DAO over a deployed core: TetradTimelock + TetradGovernor, then hands the AccessManager's
 * admin role to the Timelock and renounces every power the deployer held. An optional guardian may
 * only pause (controller, capital pool, subnets) and cancel proposals; governance can revoke it.
 */
import { ZeroAddress } from "ethers";
import {
  TetradGovernor,
  TetradGovernor__factory,
  TetradTimelock,
  TetradTimelock__factory,
} from "../../../typechain-types";
import { DEFAULT_GOVERNANCE, GUARDIAN_ROLE, ROLES } from "../chain/constants";
import { Core } from "./core";

export interface GovernanceConfig {
  votingDelay?: bigint;
  votingPeriod?: bigint;
  proposalThresholdBps?: bigint;
  quorumPercent?: bigint;
  lateQuorumExtension?: bigint;
  timelockDelay?: bigint;
  /** Address allowed to pause and to cancel proposals; none by default. */
  guardian?: string;
}

export interface Governance {
  governor: TetradGovernor;
  timelock: TetradTimelock;
  guardian?: string;
}

export async function deployGovernance(core: Core, config: GovernanceConfig = {}): Promise<Governance> {
  const deployer = core.deployer;
  const from = await deployer.getAddress();
  const timelock = await new TetradTimelock__factory(deployer).deploy(
    config.timelockDelay ?? DEFAULT_GOVERNANCE.timelockDelay,
    [],
    [ZeroAddress], // anyone may execute a proposal once it is due
    from, // temporary, renounced below
  );
  await timelock.waitForDeployment();
  const governor = await new TetradGovernor__factory(deployer).deploy(core.token, timelock, {
    votingDelay: config.votingDelay ?? DEFAULT_GOVERNANCE.votingDelay,
    votingPeriod: config.votingPeriod ?? DEFAULT_GOVERNANCE.votingPeriod,
    proposalThresholdBps: config.proposalThresholdBps ?? DEFAULT_GOVERNANCE.proposalThresholdBps,
    quorumPercent: config.quorumPercent ?? DEFAULT_GOVERNANCE.quorumPercent,
    lateQuorumExtension: config.lateQuorumExtension ?? DEFAULT_GOVERNANCE.lateQuorumExtension,
    guardian: config.guardian ?? ZeroAddress,
  });
  await governor.waitForDeployment();
  const governorAddress = await governor.getAddress();
  const timelockAddress = await timelock.getAddress();

  // The Governor alone proposes to (and cancels on) the Timelock; the Timelock administers itself.
  await (await timelock.grantRole(await timelock.PROPOSER_ROLE(), governorAddress)).wait();
  await (await timelock.grantRole(await timelock.CANCELLER_ROLE(), governorAddress)).wait();
  await (await timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), from)).wait();

  // The guardian role may pause, and nothing else; unpausing stays with governance.
  const { manager } = core;
  await (await manager.labelRole(GUARDIAN_ROLE, "GUARDIAN")).wait();
  const pausables = [core.controller, core.pool, ...core.subnets];
  for (const target of pausables) {
    await (
      await manager.setTargetFunctionRole(
        await target.getAddress(),
        [target.interface.getFunction("pause").selector],
        GUARDIAN_ROLE,
      )
    ).wait();
  }
  if (config.guardian) await (await manager.grantRole(GUARDIAN_ROLE, config.guardian, 0)).wait();
  await (await manager.grantRole(GUARDIAN_ROLE, timelockAddress, 0)).wait(); // governance may pause too

  // Hand every parameter to the Timelock; the deployer keeps nothing.
  await (await manager.grantRole(ROLES.ADMIN, timelockAddress, 0)).wait();
  await (await manager.renounceRole(ROLES.ADMIN, from)).wait();

  return { governor, timelock, guardian: config.guardian };
}
