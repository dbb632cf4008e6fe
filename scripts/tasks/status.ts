/** `status`: what the deployment and your account look like right now. */
import { lazyAction, withFrom } from "./common";
import { defineTask } from "./impl/params";
import type { StatusArgs } from "./impl/status";

withFrom(
  defineTask(
    "status",
    "Summary: supply vs schedule, split and buckets, subnets and rounds, your balances and votes, open proposals",
    ["account", "Whose balances to show (default: the signer)", "optional"],
  ),
).setAction(lazyAction<StatusArgs>(async () => (await import("./impl/status")).status));
