/**
 * Validator tasks: stake for a permit, unstake, withdraw unbonded stake, claim dividends, and run the
 * validator client (scripts/lib/validator/client.ts) through the commit and reveal phases.
 */
import { lazyAction, withFrom } from "./common";
import { SUBNET, defineTask } from "./impl/params";
import type { StakeArgs } from "./impl/subnet";
import type { RunArgs } from "./impl/validator-run";

const subnetImpl = (fn: "stake" | "unstake" | "withdrawUnbonded" | "validatorClaim") =>
  lazyAction<StakeArgs>(async () => (await import("./impl/subnet"))[fn]);

for (const [name, description, fn, amount] of [
  [
    "validator:stake",
    "Stakes TTD in a subnet (the first stake takes a validator permit); approval included",
    "stake",
    "TTD to add to your stake (e.g. 150)",
  ],
  [
    "validator:unstake",
    "Moves stake to unbonding (withdraw it with validator:withdraw after the delay)",
    "unstake",
    "TTD to unstake, or all",
  ],
] as const)
  withFrom(defineTask(name, description, SUBNET, ["amount", amount])).setAction(subnetImpl(fn));

for (const [name, description, fn] of [
  [
    "validator:withdraw",
    "Withdraws your unbonded stake once the unbonding delay has passed",
    "withdrawUnbonded",
  ],
  ["validator:claim", "Claims your validator dividends from a subnet", "validatorClaim"],
] as const)
  withFrom(defineTask(name, description, SUBNET)).setAction(subnetImpl(fn));

withFrom(
  defineTask(
    "validator:run",
    "Scores a round: commits the scoresheet from a metrics file, then reveals it in the window",
    SUBNET,
    ["metrics", "The round's metrics JSON file (needed to commit)", "optional"],
    [
      "action",
      "run (commit, wait, reveal: one round), step (what the phase allows, once: for cron), commit, reveal, or status (sheet standing, strikes, last round)",
      { default: "run" },
    ],
    ["saltDir", "Where salts wait between commit and reveal", { default: ".validator" }],
    ["finalize", "Finalize a closed round (one page a step) instead of waiting for someone else to", "flag"],
    ["page", "Contributors per finalization transaction", { default: 32 }],
    ["poll", "Seconds between checks while waiting for a phase", { default: 15 }],
    ["fastForward", "Local chain only: move the clock forward instead of waiting", "flag"],
  ),
).setAction(lazyAction<RunArgs>(async () => (await import("./impl/validator-run")).run));
