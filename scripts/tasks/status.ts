/** `status`: what the deployment and your account look like right now. */
import { task, types } from "hardhat/config";
import { lazyAction, withFrom } from "./common";
import type { StatusArgs } from "./impl/status";

withFrom(
  task(
    "status",
    "Summary: supply vs schedule, split and buckets, subnets and rounds, your balances and votes, open proposals",
  ).addOptionalParam("account", "Whose balances to show (default: the signer)", undefined, types.string),
).setAction(lazyAction<StatusArgs>(async () => (await import("./impl/status")).status));
