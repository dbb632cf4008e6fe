/**
 * Validator tasks: stake for a permit, unstake, withdraw unbonded stake, claim dividends, and run the
 * validator client (scripts/lib/validator/client.ts) through the commit and reveal phases.
 */
import { task, types } from "hardhat/config";
import { lazyAction, withFrom } from "./common";
import type { StakeArgs, SubnetArgs } from "./impl/subnet";
import type { RunArgs } from "./impl/validator-run";

const SUBNET_HELP = "The subnet: code, community, compute or its address";

withFrom(
  task(
    "validator:stake",
    "Stakes TTD in a subnet (the first stake takes a validator permit); approval included",
  )
    .addParam("subnet", SUBNET_HELP, undefined, types.string)
    .addParam("amount", "TTD to add to your stake (e.g. 150)", undefined, types.string),
).setAction(lazyAction<StakeArgs>(async () => (await import("./impl/subnet")).stake));

withFrom(
  task("validator:unstake", "Moves stake to unbonding (withdraw it with validator:withdraw after the delay)")
    .addParam("subnet", SUBNET_HELP, undefined, types.string)
    .addParam("amount", "TTD to unstake, or all", undefined, types.string),
).setAction(lazyAction<StakeArgs>(async () => (await import("./impl/subnet")).unstake));

withFrom(
  task("validator:withdraw", "Withdraws your unbonded stake once the unbonding delay has passed").addParam(
    "subnet",
    SUBNET_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<SubnetArgs>(async () => (await import("./impl/subnet")).withdrawUnbonded));

withFrom(
  task("validator:claim", "Claims your validator dividends from a subnet").addParam(
    "subnet",
    SUBNET_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<SubnetArgs>(async () => (await import("./impl/subnet")).validatorClaim));

withFrom(
  task(
    "validator:run",
    "Scores a round: commits the scoresheet from a metrics file, then reveals it in the window",
  )
    .addParam("subnet", SUBNET_HELP, undefined, types.string)
    .addOptionalParam("metrics", "The round's metrics JSON file (needed to commit)", undefined, types.string)
    .addOptionalParam(
      "action",
      "run (commit, wait, reveal: one round), step (what the phase allows, once: for cron), commit or reveal",
      "run",
      types.string,
    )
    .addOptionalParam("saltDir", "Where salts wait between commit and reveal", ".validator", types.string)
    .addFlag("finalize", "Finalize a closed round (one page a step) instead of waiting for someone else to")
    .addOptionalParam("page", "Contributors per finalization transaction", 32, types.int)
    .addOptionalParam("poll", "Seconds between checks while waiting for a phase", 15, types.int)
    .addFlag("fastForward", "Local chain only: move the clock forward instead of waiting"),
).setAction(lazyAction<RunArgs>(async () => (await import("./impl/validator-run")).run));
