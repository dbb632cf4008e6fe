/**
 * Deploys the whole system with the Ignition module (`deploy/modules/Tetrad.ts`) and records it in
 * `deployments/<chainId>.json`. Used by `deploy/deploy.ts`, the wallet test and the app's launcher.
 *
 * Re-running is idempotent: when the recorded contracts are on chain it does nothing; when an
 * interrupted deployment left an Ignition journal it resumes with the same resolved parameters; when
 * a local chain was restarted (the journal's contracts are gone) it starts afresh.
 */
import * as fs from "fs";
import * as path from "path";
import { getCreateAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { tetradModule } from "./modules/Tetrad";
import { ROLES } from "../scripts/lib/chain/constants";
import {
  NetworkParameters,
  PARAMETERS_FILE,
  SystemConfig,
  controllerNonceOffset,
  loadNetworkParameters,
  resolveConfig,
} from "./modules/config";
import {
  CONTRACT_NAMES,
  ContractName,
  Deployment,
  recordedAbis,
  deploymentFile,
  deploymentsDir,
  readDeployment,
  writeDeployment,
} from "../scripts/lib/deploy/deployments";
import { Tetrad__factory, TetradAccessManager__factory } from "../typechain-types";

/** Chains that are reset at will (a restarted `hardhat node`): a stale journal there is wiped. */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

export interface DeploySystemOptions {
  /** Entry of deploy/parameters.json; defaults to the Hardhat network's name. */
  parametersNetwork?: string;
  parametersFile?: string;
  /** Field overrides on top of the file's parameters. */
  overrides?: Partial<NetworkParameters>;
  /** Ignition deployment id; defaults to `chain-<chainId>` (Ignition's own default). */
  deploymentId?: string;
  /** Where deployments/<chainId>.json goes; defaults to deploymentsDir(). */
  deploymentsDir?: string;
  /** Print Ignition's progress UI. */
  displayUi?: boolean;
  log?: (line: string) => void;
}

export interface DeploySystemResult {
  deployment: Deployment;
  /** The written file, or undefined on the in-process network (its contracts vanish with the process). */
  file?: string;
  /** True when the recorded deployment was already on chain and nothing was sent. */
  alreadyDeployed: boolean;
}

interface SavedConfig {
  predictedController: string;
  config: SystemConfig;
}

const bigintReplacer = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);
const bigintReviver = (_k: string, v: unknown): unknown =>
  typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v;

/** Deploys (or finds, or resumes) the whole system on `hre`'s network. */
export async function deploySystem(
  hre: HardhatRuntimeEnvironment,
  options: DeploySystemOptions = {},
): Promise<DeploySystemResult> {
  const log = options.log ?? (() => undefined);
  const { ethers, network } = hre;
  const [deployer] = await ethers.getSigners();
  if (!deployer) throw new Error(`No deployer account on network "${network.name}"`);
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const ephemeral = network.name === "hardhat";
  const dir = options.deploymentsDir ?? deploymentsDir();
  const deploymentId = options.deploymentId ?? `chain-${chainId}`;
  const journalDir = path.join(hre.config.paths.ignition, "deployments", deploymentId);
  const savedFile = path.join(journalDir, "tetrad-config.json");

  // 1. Already deployed and still on chain: nothing to do.
  if (!ephemeral && fs.existsSync(deploymentFile(chainId, dir))) {
    const existing = readDeployment(chainId, dir);
    if (await allOnChain(hre, existing)) {
      log(`Tetrad is already deployed on ${network.name} (chain ${chainId}); nothing to do.`);
      return { deployment: existing, file: deploymentFile(chainId, dir), alreadyDeployed: true };
    }
    log(
      `deployments/${chainId}.json points to contracts that are not on chain (restarted node?): redeploying.`,
    );
  }

  // 2. A journal whose contracts vanished (restarted local node): start afresh; else resume with its config.
  let saved: SavedConfig | undefined;
  if (!ephemeral && fs.existsSync(journalDir)) {
    const addressesFile = path.join(journalDir, "deployed_addresses.json");
    const recorded = fs.existsSync(addressesFile)
      ? (JSON.parse(fs.readFileSync(addressesFile, "utf8")) as Record<string, string>)
      : {};
    const first = Object.values(recorded)[0];
    const stale = first !== undefined && (await ethers.provider.getCode(first)) === "0x";
    if (stale || !fs.existsSync(savedFile)) {
      if (!LOCAL_CHAIN_IDS.has(chainId)) {
        throw new Error(
          `The Ignition journal ${journalDir} does not match chain ${chainId}; move it away to deploy afresh.`,
        );
      }
      log(`Discarding the stale Ignition journal of a restarted local chain (${journalDir}).`);
      fs.rmSync(journalDir, { recursive: true, force: true });
    } else {
      saved = JSON.parse(fs.readFileSync(savedFile, "utf8"), bigintReviver) as SavedConfig;
      log(`Resuming the Ignition deployment ${deploymentId}.`);
    }
  }

  // 3. Resolve the parameters and predict the controller (the token's immutable minter).
  if (!saved) {
    const params = loadNetworkParameters(
      options.parametersNetwork ?? network.name,
      options.parametersFile ?? PARAMETERS_FILE,
    );
    const merged = { ...params, ...options.overrides } as NetworkParameters;
    const latest = await ethers.provider.getBlock("latest");
    const config = resolveConfig(merged, BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)));
    const nonce = await deployer.getNonce("pending");
    const predictedController = getCreateAddress({
      from: deployer.address,
      nonce: nonce + controllerNonceOffset(config).controller,
    });
    saved = { predictedController, config };
    if (!ephemeral) {
      fs.mkdirSync(journalDir, { recursive: true });
      fs.writeFileSync(savedFile, JSON.stringify(saved, bigintReplacer, 2) + "\n");
    }
  }

  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const result = await hre.ignition.deploy(tetradModule(saved.config, saved.predictedController), {
    deploymentId,
    displayUi: options.displayUi ?? false,
    // In process, blocks are mined at once: poll for them every millisecond instead of every second.
    config: ephemeral
      ? { requiredConfirmations: 1, blockPollingInterval: 1 }
      : LOCAL_CHAIN_IDS.has(chainId)
        ? { requiredConfirmations: 1 }
        : {},
  });

  const address = async (c: { getAddress(): Promise<string> }): Promise<string> => c.getAddress();
  const contracts: Record<ContractName, string> = {
    TetradAccessManager: await address(result.manager),
    Tetrad: await address(result.token),
    EmissionController: await address(result.controller),
    CapitalPool: await address(result.pool),
    ProtectionFund: await address(result.protectionFund),
    CodeBucket: await address(result.codeBucket),
    CommunityBucket: await address(result.communityBucket),
    ComputeBucket: await address(result.computeBucket),
    CodeSubnet: await address(result.codeSubnet),
    CommunitySubnet: await address(result.communitySubnet),
    ComputeSubnet: await address(result.computeSubnet),
    SubnetFactory: await address(result.subnetFactory),
    StakingToken:
      saved.config.stakingToken ??
      (await address((result as { stakingToken: typeof result.token }).stakingToken)),
    TetradGovernor: await address(result.governor),
    TetradTimelock: await address(result.timelock),
  };

  // 4. Check what the module cannot express: the minter prediction and the hand-over.
  const minter = await Tetrad__factory.connect(contracts.Tetrad, deployer).minter();
  if (minter !== contracts.EmissionController) {
    throw new Error(
      `The token's minter is ${minter} but the controller is at ${contracts.EmissionController}: another ` +
        `transaction from ${deployer.address} ran during the deployment. Redeploy from a quiet account.`,
    );
  }
  const manager = TetradAccessManager__factory.connect(contracts.TetradAccessManager, deployer);
  const [deployerAdmin] = await manager.hasRole(ROLES.ADMIN, deployer.address);
  const [timelockAdmin] = await manager.hasRole(ROLES.ADMIN, contracts.TetradTimelock);
  if (deployerAdmin || !timelockAdmin) throw new Error("The admin role was not handed to the Timelock");

  const deployment: Deployment = {
    network: network.name,
    chainId,
    deployer: deployer.address,
    startBlock,
    scheduleStart: Number(saved.config.schedule.start),
    contracts,
    admin: "TetradTimelock",
    abis: recordedAbis(),
  };
  if (ephemeral) return { deployment, alreadyDeployed: false };
  const file = writeDeployment(deployment, dir);
  return { deployment, file, alreadyDeployed: false };
}

async function allOnChain(hre: HardhatRuntimeEnvironment, d: Deployment): Promise<boolean> {
  for (const name of CONTRACT_NAMES) {
    if ((await hre.ethers.provider.getCode(d.contracts[name])) === "0x") return false;
  }
  return true;
}
