/**
 * The system for the Hardhat tests, in the two stages of deploy/stages.ts (the Ignition modules of
 * deploy/modules/Tetrad.ts): `deployCore` (the deployer stays the AccessManager's admin) then
 * `deployGovernance` (the DAO takes every power). Call them inside a `loadFixture` fixture: an Ignition
 * deployment costs more than a chain snapshot.
 */
import hre from "hardhat";
import { Signer } from "ethers";
import * as stages from "../../deploy/stages";
import { Core, Governance, SystemStages } from "../../scripts/lib/deploy/handles";

export type { Core, Governance } from "../../scripts/lib/deploy/handles";
export type { CoreConfig, GovernanceConfig } from "../../deploy/stages";

export function deployCore(deployer: Signer, config: stages.CoreConfig = {}): Promise<Core> {
  return stages.deployCore(hre, deployer, config);
}

export function deployGovernance(core: Core, config: stages.GovernanceConfig = {}): Promise<Governance> {
  return stages.deployGovernance(hre, core, config);
}

/** Both stages with default parameters, as the simulation takes them. */
export const systemStages: SystemStages = stages.stages(hre);
