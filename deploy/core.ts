/**
 * Deploys the core economy to the selected network and writes its addresses to
 * `deployments/<chainId>.json`:
 *
 *     npx hardhat run deploy/core.ts                       # in-process network (throwaway)
 *     npx hardhat node   # then, in another terminal:
 *     npx hardhat run --network localhost deploy/core.ts
 *
 * Governance (Governor + Timelock) is deployed too and takes every admin power; set GUARDIAN to an
 * address that may pause and cancel proposals. KEEP_ADMIN=1 skips governance and leaves the deployer
 * as admin (development only).
 */
import { ethers, network } from "hardhat";
import * as fs from "fs";
import * as path from "path";
import { deployCore } from "../scripts/lib/deploy";
import { deployGovernance } from "../scripts/lib/deploy-governance";

async function main(): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const core = await deployCore(deployer);
  const governance =
    process.env.KEEP_ADMIN === "1"
      ? undefined
      : await deployGovernance(core, { guardian: process.env.GUARDIAN });
  const { chainId } = await ethers.provider.getNetwork();
  const addresses = {
    network: network.name,
    chainId: Number(chainId),
    deployer: await deployer.getAddress(),
    scheduleStart: Number(core.schedule.start),
    contracts: {
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
      StakingToken: await core.stakingToken.getAddress(),
      ...(governance
        ? {
            TetradGovernor: await governance.governor.getAddress(),
            TetradTimelock: await governance.timelock.getAddress(),
          }
        : {}),
    },
    admin: governance ? "TetradTimelock" : "deployer",
  };
  const dir = path.join(__dirname, "..", "deployments");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${chainId}.json`);
  fs.writeFileSync(file, JSON.stringify(addresses, null, 2) + "\n");
  console.log(
    `Deployed the core economy on ${network.name} (chain ${chainId}); addresses in ${path.relative(process.cwd(), file)}`,
  );
  for (const [name, address] of Object.entries(addresses.contracts))
    console.log(`  ${name.padEnd(20)} ${address}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
