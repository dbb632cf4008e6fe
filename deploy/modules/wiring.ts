/**
 * The permission wiring of the system as data: every AccessManager role the deployment labels, the
 * functions of which contracts it guards, and who holds it; and the Timelock's roles. The Ignition
 * module (`./Tetrad.ts`) wires from this table, and so does the forge base `test/utils/TetradTest.sol`
 * through `test/utils/Wiring.sol`, which `scripts/checks/wiring-sol.ts` generates from it (a Hardhat
 * test fails when the committed file differs). Pure data: no Hardhat, no TypeChain.
 */
import { GUARDIAN_ROLE, ROLES } from "../../scripts/lib/chain/constants";

/** The contracts of the deployed system a role can guard, by their key in the module's result. */
export const TARGET_KEYS = [
  "controller",
  "pool",
  "codeBucket",
  "communityBucket",
  "computeBucket",
  "codeSubnet",
  "communitySubnet",
  "computeSubnet",
] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];

/** Who is granted a role: a contract of the system, the configured guardian (if any), the Timelock. */
export const HOLDERS = ["controller", "factory", "guardian", "timelock"] as const;
export type Holder = (typeof HOLDERS)[number];

/**
 * When the wiring happens: `core` with the economy (the deployer is still the admin), `governance`
 * with the Governor and Timelock (just before the admin role is handed to the Timelock).
 */
export const STAGES = ["core", "governance"] as const;
export type Stage = (typeof STAGES)[number];

/** The contracts whose functions a role guards, and where their sources are. */
export const TARGET_CONTRACTS = {
  EmissionController: "contracts/emission/EmissionController.sol",
  CapitalPool: "contracts/rewards/CapitalPool.sol",
  ContributionBucket: "contracts/contribution/ContributionBucket.sol",
  Subnet: "contracts/contribution/Subnet.sol",
} as const;

export interface TargetFunctions {
  target: TargetKey;
  /** The contract (artifact) name of the target. */
  contract: keyof typeof TARGET_CONTRACTS;
  /** Function signatures, as in the ABI (`name(types)`). */
  functions: readonly string[];
}

export interface RoleWiring {
  /** Role id in the AccessManager. */
  id: bigint;
  /** `labelRole` label (also the Solidity constant's name, suffixed `_ROLE`). */
  label: string;
  stage: Stage;
  targets: readonly TargetFunctions[];
  holders: readonly Holder[];
}

/** The three contribution buckets and the three genesis subnets, code, community, compute. */
const BUCKETS = ["codeBucket", "communityBucket", "computeBucket"] as const;
const SUBNETS = ["codeSubnet", "communitySubnet", "computeSubnet"] as const;

/** The same functions of each of `targets`, all of contract `contract`. */
function onEach(
  targets: readonly TargetKey[],
  contract: TargetFunctions["contract"],
  functions: readonly string[],
): TargetFunctions[] {
  return targets.map((target) => ({ target, contract, functions }));
}

/** Every role besides ADMIN (id 0: the deployer, then the Timelock; see `ADMIN_HANDOVER`). */
export const ROLE_WIRING: readonly RoleWiring[] = [
  {
    id: ROLES.DISTRIBUTOR,
    label: "DISTRIBUTOR",
    stage: "core",
    // Only the controller may notify the pool and the buckets of new emission.
    targets: [
      { target: "pool", contract: "CapitalPool", functions: ["onEmission(uint256,uint256)"] },
      ...onEach(BUCKETS, "ContributionBucket", ["onEmission(uint256,uint256)"]),
    ],
    holders: ["controller"],
  },
  {
    id: ROLES.LAUNCHER,
    label: "LAUNCHER",
    stage: "core",
    // Only the subnet factory adds subnets to a bucket (after burning the launch cost); governance adds
    // launch subnets with `setFloors` (ADMIN).
    targets: onEach(BUCKETS, "ContributionBucket", ["addSubnet(address)"]),
    holders: ["factory"],
  },
  {
    id: GUARDIAN_ROLE,
    label: "GUARDIAN",
    stage: "governance",
    // The guardian may pause, and nothing else; unpausing stays with governance (which may pause too).
    targets: [
      { target: "controller", contract: "EmissionController", functions: ["pause()"] },
      { target: "pool", contract: "CapitalPool", functions: ["pause()"] },
      ...onEach(SUBNETS, "Subnet", ["pause()"]),
    ],
    holders: ["guardian", "timelock"],
  },
];

/** The AccessManager's ADMIN role goes to the Timelock at the end of the governance stage; the deployer renounces it. */
export const ADMIN_HANDOVER = { id: ROLES.ADMIN, to: "timelock" } as const;

/** The roles of one stage. */
export function rolesOf(stage: Stage): RoleWiring[] {
  return ROLE_WIRING.filter((r) => r.stage === stage);
}
