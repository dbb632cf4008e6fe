/**
 * Validator client CLI. Hardhat 2's `run` passes no arguments, so it reads the environment:
 *
 *   SUBNET=0x… METRICS=round-7.json ACTION=commit npx hardhat run --network <net> scripts/validator.ts
 *   SUBNET=0x… ACTION=reveal npx hardhat run --network <net> scripts/validator.ts
 *   SUBNET=0x… ACTION=status npx hardhat run --network <net> scripts/validator.ts
 *
 *   SUBNET         the subnet's address (required)
 *   ACTION         commit | reveal | step (default: step, whatever the current phase allows; run it
 *                  from cron) | status (permit, strikes, the sheet's standing with a warning before an
 *                  expulsion for inactivity, the last round's agreement, median, lag and dividend)
 *   METRICS        path of the round's metrics JSON (needed to commit; see scripts/lib/validator/client.ts)
 *   SALT_DIR       where salts wait between commit and reveal (default: .validator/)
 *   VALIDATOR_KEY  the validator's private key (default: the network's first signer)
 *   FINALIZE=1     with ACTION=step, finalize a closed round (one page a run) instead of waiting
 */
import { readFile } from "fs/promises";
import { ethers } from "hardhat";
import { Signer, Wallet, isAddress } from "ethers";
import { Subnet__factory } from "../typechain-types";
import {
  SaltStore,
  commitScores,
  formatTime,
  revealScores,
  step,
  validatorStatus,
} from "./lib/validator/client";

const ACTIONS = ["commit", "reveal", "step", "status"] as const;
type Action = (typeof ACTIONS)[number];

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readMetrics(file: string | undefined): Promise<unknown> {
  if (!file) throw new Error("METRICS is not set: give the path of the round's metrics JSON file");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new Error(`METRICS: cannot read ${file} (${message(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`METRICS: ${file} is not valid JSON (${message(e)})`);
  }
}

async function signerFromEnv(key: string | undefined): Promise<Signer> {
  if (!key) return (await ethers.getSigners())[0];
  try {
    return new Wallet(key.startsWith("0x") ? key : `0x${key}`, ethers.provider);
  } catch {
    throw new Error("VALIDATOR_KEY is not a valid private key"); // never echo the key
  }
}

async function main(): Promise<void> {
  const env = process.env;
  if (!env.SUBNET || !isAddress(env.SUBNET)) {
    throw new Error(`SUBNET must be the subnet's address, got ${JSON.stringify(env.SUBNET ?? "")}`);
  }
  const action = (env.ACTION || "step").toLowerCase();
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new Error(`ACTION must be one of ${ACTIONS.join(", ")}, got ${JSON.stringify(env.ACTION)}`);
  }
  const signer = await signerFromEnv(env.VALIDATOR_KEY);
  const subnet = Subnet__factory.connect(env.SUBNET, signer);
  const store = new SaltStore(env.SALT_DIR || ".validator");
  const who = `${await signer.getAddress()} on subnet ${env.SUBNET}`;

  switch (action as Action) {
    case "commit": {
      const r = await commitScores(subnet, signer, await readMetrics(env.METRICS), store);
      console.log(
        `committed round ${r.round} for ${who}: ${r.rows} rows, commitment ${r.commitment}, tx ${r.txHash}`,
      );
      console.log(`salt saved in ${r.saltFile}; reveal window opens at ${formatTime(r.revealOpensAt)}`);
      break;
    }
    case "reveal": {
      const r = await revealScores(subnet, signer, store);
      console.log(`revealed round ${r.round} for ${who}: ${r.rows} rows, tx ${r.txHash}`);
      break;
    }
    case "step": {
      const r = await step(subnet, signer, store, {
        loadMetrics: () => readMetrics(env.METRICS),
        finalize: env.FINALIZE === "1" || env.FINALIZE === "true",
      });
      console.log(`${who}: ${r.message}`);
      break;
    }
    case "status": {
      const r = await validatorStatus(subnet, signer);
      console.log(`validator ${who}`);
      for (const line of r.lines) console.log(`  ${line}`);
      break;
    }
  }
}

main().catch((e: unknown) => {
  console.error(`validator: ${message(e)}`);
  process.exitCode = 1;
});
