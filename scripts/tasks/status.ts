/** `status`: what the deployment and your account look like right now. */
import { lazyAction, withFrom } from "./common";
import { defineTask } from "./impl/params";
import type { StatusArgs } from "./impl/status";

const SUMMARY =
  "Summary: supply vs schedule, split and buckets, subnets and rounds, your balances and votes, open proposals";
const ACCOUNT = ["account", "Whose balances to show (default: the signer)", "optional"] as const;
withFrom(defineTask("status", SUMMARY, ACCOUNT)).setAction(
  lazyAction<StatusArgs>(async () => (await import("./impl/status")).status),
);
