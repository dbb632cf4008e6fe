/**
 * The format of `deployments/<chainId>.json`, shared by the Hardhat tasks (`scripts/lib/deploy/deployments.ts`
 * reads and writes it, with TypeChain handles) and the web app. Dependency-free.
 */

/** Every contract a full deployment records, by the name used in the JSON file. */
export const CONTRACT_NAMES = [
  "TetradAccessManager",
  "Tetrad",
  "EmissionController",
  "CapitalPool",
  "ProtectionFund",
  "CodeBucket",
  "CommunityBucket",
  "ComputeBucket",
  "CodeSubnet",
  "CommunitySubnet",
  "ComputeSubnet",
  "SubnetFactory",
  "StakingToken",
  "TetradGovernor",
  "TetradTimelock",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

/** `deployments/<chainId>.json`; `A` is the address type (a string, or viem's `0x${string}`). */
export interface Deployment<A extends string = string> {
  /** Hardhat network name it was deployed with. */
  network: string;
  chainId: number;
  deployer: string;
  /** Block number of the first deployment transaction (front ends start their log queries here). */
  startBlock?: number;
  scheduleStart: number;
  contracts: Record<ContractName, A>;
  /** Who holds the AccessManager's admin role. */
  admin: "TetradTimelock" | "deployer";
  /**
   * ABIs by artifact name (see ARTIFACT_OF in scripts/lib/deploy/deployments.ts), and `Errors`: every
   * custom error an entry point can surface, including those raised in the contracts it calls
   * (OpenZeppelin's, see ./error-sources), for decoding reverts.
   */
  abis?: Record<string, unknown[]>;
}
