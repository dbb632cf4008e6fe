/**
 * `deployments/<chainId>.json`: where a deployment's addresses (and ABIs) live for tasks, scripts,
 * front ends and wallets. Written by `deploy/deploy.ts`, read by the Hardhat tasks.
 *
 * The folder can be moved with TETRAD_DEPLOYMENTS_DIR (tests use a temporary one, so that the
 * in-process network and a local node, both chain 31337, never overwrite each other's file).
 */
import * as fs from "fs";
import * as path from "path";
import { ContractRunner } from "ethers";
import type { Core } from "./handles";
import type { Governance } from "./handles";
import {
  Address__factory,
  CapitalPool__factory,
  Checkpoints__factory,
  ContributionBucket__factory,
  ECDSA__factory,
  ERC20Permit__factory,
  EmissionController__factory,
  Errors__factory,
  IAccessControl__factory,
  IAccessManaged__factory,
  IAccessManager__factory,
  IERC20Errors__factory,
  IERC20Metadata,
  IERC20Metadata__factory,
  IGovernor__factory,
  MockStakeToken__factory,
  Nonces__factory,
  Pausable__factory,
  ReentrancyGuardTransient__factory,
  SafeCast__factory,
  SafeERC20__factory,
  ShortStrings__factory,
  Subnet__factory,
  SubnetFactory__factory,
  TetradAccessManager__factory,
  TetradGovernor,
  TetradGovernor__factory,
  TetradTimelock,
  TetradTimelock__factory,
  Tetrad__factory,
  TimelockController__factory,
  Treasury__factory,
  Votes__factory,
} from "../../../typechain-types";

// The file's format (the names, the shape) is shared with the web app: ../shared/deployments.
import { CONTRACT_NAMES, ContractName, Deployment } from "../shared/deployments";
import { DEPLOYED_ARTIFACTS, OPENZEPPELIN_ERROR_ARTIFACTS } from "../shared/error-sources";

export { CONTRACT_NAMES };
export type { ContractName, Deployment };

/** The artifact (contract type) behind each recorded name, for its ABI. */
export const ARTIFACT_OF: Record<ContractName, string> = {
  TetradAccessManager: "TetradAccessManager",
  Tetrad: "Tetrad",
  EmissionController: "EmissionController",
  CapitalPool: "CapitalPool",
  ProtectionFund: "Treasury",
  CodeBucket: "ContributionBucket",
  CommunityBucket: "ContributionBucket",
  ComputeBucket: "ContributionBucket",
  CodeSubnet: "Subnet",
  CommunitySubnet: "Subnet",
  ComputeSubnet: "Subnet",
  SubnetFactory: "SubnetFactory",
  StakingToken: "MockStakeToken",
  TetradGovernor: "TetradGovernor",
  TetradTimelock: "TetradTimelock",
};

/** The deployments folder: TETRAD_DEPLOYMENTS_DIR or `<project>/deployments`. */
export function deploymentsDir(): string {
  return process.env.TETRAD_DEPLOYMENTS_DIR ?? path.join(__dirname, "..", "..", "..", "deployments");
}

export function deploymentFile(chainId: number | bigint, dir = deploymentsDir()): string {
  return path.join(dir, `${chainId}.json`);
}

export class MissingDeploymentError extends Error {}

/** Reads `deployments/<chainId>.json`, with a plain-words error when there is none. */
export function readDeployment(chainId: number | bigint, dir = deploymentsDir()): Deployment {
  const file = deploymentFile(chainId, dir);
  if (!fs.existsSync(file)) {
    throw new MissingDeploymentError(
      `No Tetrad deployment for chain ${chainId}: ${path.relative(process.cwd(), file) || file} does not exist. ` +
        (Number(chainId) === 31337
          ? "Start `npx hardhat node` and run `npm run deploy:local` first."
          : "Deploy with `npx hardhat run --network <name> deploy/deploy.ts` first."),
    );
  }
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
  for (const name of CONTRACT_NAMES) {
    if (!parsed.contracts?.[name]) throw new MissingDeploymentError(`${file} has no address for ${name}`);
  }
  return parsed;
}

export function writeDeployment(deployment: Deployment, dir = deploymentsDir()): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = deploymentFile(deployment.chainId, dir);
  fs.writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
  return file;
}

/** Typed handles on every contract of a deployment. */
export interface Connected extends Pick<
  Core,
  "manager" | "token" | "controller" | "pool" | "protectionFund" | "buckets" | "subnets" | "factory"
> {
  deployment: Deployment;
  stakingToken: IERC20Metadata;
  governor: TetradGovernor;
  timelock: TetradTimelock;
}

export function connect(deployment: Deployment, runner: ContractRunner): Connected {
  const c = deployment.contracts;
  return {
    deployment,
    manager: TetradAccessManager__factory.connect(c.TetradAccessManager, runner),
    token: Tetrad__factory.connect(c.Tetrad, runner),
    controller: EmissionController__factory.connect(c.EmissionController, runner),
    pool: CapitalPool__factory.connect(c.CapitalPool, runner),
    protectionFund: Treasury__factory.connect(c.ProtectionFund, runner),
    buckets: [
      ContributionBucket__factory.connect(c.CodeBucket, runner),
      ContributionBucket__factory.connect(c.CommunityBucket, runner),
      ContributionBucket__factory.connect(c.ComputeBucket, runner),
    ],
    subnets: [
      Subnet__factory.connect(c.CodeSubnet, runner),
      Subnet__factory.connect(c.CommunitySubnet, runner),
      Subnet__factory.connect(c.ComputeSubnet, runner),
    ],
    factory: SubnetFactory__factory.connect(c.SubnetFactory, runner),
    stakingToken: IERC20Metadata__factory.connect(c.StakingToken, runner),
    governor: TetradGovernor__factory.connect(c.TetradGovernor, runner),
    timelock: TetradTimelock__factory.connect(c.TetradTimelock, runner),
  };
}

/** The subnet of a bucket by name (`code`, `community`, `compute`) or by address. */
export function subnetAddress(deployment: Deployment, which: string): string {
  const byName: Record<string, ContractName> = {
    code: "CodeSubnet",
    community: "CommunitySubnet",
    compute: "ComputeSubnet",
  };
  const key = byName[which.toLowerCase()];
  if (key) return deployment.contracts[key];
  if (/^0x[0-9a-fA-F]{40}$/.test(which)) return which;
  throw new Error(`Unknown subnet "${which}": use code, community, compute or a subnet address`);
}

/** The TypeChain factories' ABIs (readonly constants) as plain arrays, by name. */
function mutableAbis<K extends string>(abis: Record<K, readonly unknown[]>): Record<K, unknown[]> {
  const entries = Object.entries<readonly unknown[]>(abis).map(([k, v]) => [k, [...v]]);
  return Object.fromEntries(entries) as Record<K, unknown[]>;
}

/** The ABI of every artifact a deployment records, from the TypeChain factories. */
export function deploymentAbis(): Record<(typeof DEPLOYED_ARTIFACTS)[number], unknown[]> {
  const abis: Record<(typeof DEPLOYED_ARTIFACTS)[number], readonly unknown[]> = {
    TetradAccessManager: TetradAccessManager__factory.abi,
    Tetrad: Tetrad__factory.abi,
    EmissionController: EmissionController__factory.abi,
    CapitalPool: CapitalPool__factory.abi,
    Treasury: Treasury__factory.abi,
    ContributionBucket: ContributionBucket__factory.abi,
    Subnet: Subnet__factory.abi,
    SubnetFactory: SubnetFactory__factory.abi,
    MockStakeToken: MockStakeToken__factory.abi,
    TetradGovernor: TetradGovernor__factory.abi,
    TetradTimelock: TetradTimelock__factory.abi,
  };
  return mutableAbis(abis);
}

/** The OpenZeppelin error interfaces and libraries of ../shared/error-sources, from the TypeChain factories. */
export function openZeppelinErrorAbis(): Record<(typeof OPENZEPPELIN_ERROR_ARTIFACTS)[number], unknown[]> {
  const abis: Record<(typeof OPENZEPPELIN_ERROR_ARTIFACTS)[number], readonly unknown[]> = {
    IERC20Errors: IERC20Errors__factory.abi,
    ERC20Permit: ERC20Permit__factory.abi,
    Nonces: Nonces__factory.abi,
    ECDSA: ECDSA__factory.abi,
    SafeERC20: SafeERC20__factory.abi,
    Address: Address__factory.abi,
    Errors: Errors__factory.abi,
    IAccessManaged: IAccessManaged__factory.abi,
    IAccessManager: IAccessManager__factory.abi,
    IAccessControl: IAccessControl__factory.abi,
    Pausable: Pausable__factory.abi,
    ReentrancyGuardTransient: ReentrancyGuardTransient__factory.abi,
    IGovernor: IGovernor__factory.abi,
    TimelockController: TimelockController__factory.abi,
    Votes: Votes__factory.abi,
    Checkpoints: Checkpoints__factory.abi,
    SafeCast: SafeCast__factory.abi,
    ShortStrings: ShortStrings__factory.abi,
  };
  return mutableAbis(abis);
}

/**
 * Every custom error an entry point of a deployment can surface, once each (an ABI of `error` items):
 * the deployed contracts' own and those raised in what they call (the token's ERC-20 errors inside a
 * pool deposit, the AccessManager's, the Timelock's under the Governor), for one decoder of them all.
 * Recorded in the deployment file as `abis.Errors`.
 */
export function errorAbi(): unknown[] {
  const bySignature = new Map<string, unknown>();
  const type = (p: { type: string; components?: unknown[] }): string =>
    p.type.startsWith("tuple")
      ? `(${(p.components as { type: string }[]).map(type).join(",")})${p.type.slice(5)}`
      : p.type;
  for (const abi of [...Object.values(deploymentAbis()), ...Object.values(openZeppelinErrorAbis())]) {
    for (const item of abi as { type: string; name?: string; inputs?: { type: string }[] }[]) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${(item.inputs ?? []).map(type).join(",")})`;
      if (!bySignature.has(signature)) bySignature.set(signature, item);
    }
  }
  return [...bySignature.values()];
}

/** What a deployment file records as `abis`: each artifact's ABI, and `Errors` ({@link errorAbi}). */
export function recordedAbis(): Record<string, unknown[]> {
  return { ...deploymentAbis(), Errors: errorAbi() };
}

/** The deployment record of a system deployed with `deployCore` + `deployGovernance` (tests, demos). */
export async function describeDeployment(
  core: Core,
  governance: Governance,
  meta: { network: string; startBlock?: number; withAbis?: boolean },
): Promise<Deployment> {
  const provider = core.deployer.provider;
  if (!provider) throw new Error("describeDeployment: the deployer has no provider");
  const { chainId } = await provider.getNetwork();
  const contracts: Record<ContractName, string> = {
    TetradAccessManager: await core.manager.getAddress(),
    Tetrad: await core.token.getAddress(),
    EmissionController: await core.controller.getAddress(),
    CapitalPool: await core.pool.getAddress(),
    ProtectionFund: await core.protectionFund.getAddress(),
    CodeBucket: await core.buckets[0].getAddress(),
    CommunityBucket: await core.buckets[1].getAddress(),
    ComputeBucket: await core.buckets[2].getAddress(),
    CodeSubnet: await core.subnets[0].getAddress(),
    CommunitySubnet: await core.subnets[1].getAddress(),
    ComputeSubnet: await core.subnets[2].getAddress(),
    SubnetFactory: await core.factory.getAddress(),
    StakingToken: await core.stakingToken.getAddress(),
    TetradGovernor: await governance.governor.getAddress(),
    TetradTimelock: await governance.timelock.getAddress(),
  };
  return {
    network: meta.network,
    chainId: Number(chainId),
    deployer: await core.deployer.getAddress(),
    startBlock: meta.startBlock,
    scheduleStart: Number(core.schedule.start),
    contracts,
    admin: "TetradTimelock",
    ...(meta.withAbis === false ? {} : { abis: recordedAbis() }),
  };
}
