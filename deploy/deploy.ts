/**
 * Deploys the whole Tetrad system with Hardhat Ignition and writes `deployments/<chainId>.json`:
 *
 *     npx hardhat node                     # terminal 1: a local JSON-RPC chain on 127.0.0.1:8545
 *     npm run deploy:local                 # terminal 2 (re-running it is a no-op)
 *     RPC_URL=... DEPLOYER_KEY=... npx hardhat run --network testnet deploy/deploy.ts
 *
 * Parameters per network are in deploy/parameters.json. Every admin power ends with the Timelock.
 * Environment: TETRAD_DEPLOYMENTS_DIR (where <chainId>.json goes), TETRAD_DEPLOYMENT_ID (Ignition
 * journal id, default chain-<chainId>), LOCALHOST_URL (the local node), IGNITION_UI=0 (quiet).
 */
import hre from "hardhat";
import * as path from "path";
import { deploySystem } from "./system";

async function main(): Promise<void> {
  const { deployment, file, alreadyDeployed } = await deploySystem(hre, {
    displayUi: process.env.IGNITION_UI !== "0" && hre.network.name !== "hardhat",
    // A separate Ignition journal (tests and the app's launcher use their own).
    deploymentId: process.env.TETRAD_DEPLOYMENT_ID,
    log: (line) => console.log(line),
  });
  if (!alreadyDeployed) {
    console.log(`Deployed Tetrad on ${hre.network.name} (chain ${deployment.chainId}).`);
  }
  for (const [name, address] of Object.entries(deployment.contracts))
    console.log(`  ${name.padEnd(20)} ${address}`);
  if (file) console.log(`Addresses and ABIs: ${path.relative(process.cwd(), file)}`);
  else console.log("In-process network: nothing written (its contracts vanish with this process).");
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
