/**
 * The subnet market: launch a subnet (burning the launch cost), vote a bucket's gauge, poke a ballot,
 * pay a subnet's service fee (EIP-2612 permit).
 */
import { lazyAction, withFrom } from "./common";
import { SUBNET, defineTask } from "./impl/params";
import type { LaunchArgs, PayArgs, PokeArgs, VoteArgs } from "./impl/market";

const BUCKET = "The contribution bucket: code, community or compute";

withFrom(
  defineTask(
    "subnet:launch",
    "Launches a subnet you own in a bucket: shows the launch cost, approves it, burns it, prints the subnet and its gauge id",
    ["bucket", BUCKET],
    ["name", "The subnet's name (1 to 32 bytes)"],
    ["uri", "Its metadata URI (what it does, how to take part)", { default: "" }],
    [
      "params",
      'Settings over the bucket\'s genesis subnet\'s: JSON inline or a file, e.g. {"bond": "20", "ownerShare": 300, "commitDuration": 72000}',
      "optional",
    ],
    [
      "weights",
      "Metric weights in basis points summing to 10,000 (default: the genesis subnet's)",
      "optional",
    ],
    [
      "maxCost",
      "Most TTD you accept to burn (default: the cost now); the factory is approved for this",
      "optional",
    ],
  ),
).setAction(lazyAction<LaunchArgs>(async () => (await import("./impl/market")).launch));

withFrom(
  defineTask(
    "gauge:vote",
    "Splits your voting power among a bucket's subnets (in force from the next period; carries over)",
    ["bucket", BUCKET],
    [
      "votes",
      "subnet:share pairs: gauge id, name or address, and basis points or a percentage (4:5000,alpha:25%); none withdraws",
    ],
  ),
).setAction(lazyAction<VoteArgs>(async () => (await import("./impl/market")).vote));

withFrom(
  defineTask(
    "gauge:poke",
    "Re-reads a voter's power for this period and re-applies its ballot from the next (anyone may)",
    ["voter", "Whose ballot (default: yours)", "optional"],
    ["bucket", "One bucket (default: every bucket where the voter has a ballot)", "optional"],
  ),
).setAction(lazyAction<PokeArgs>(async () => (await import("./impl/market")).poke));

withFrom(
  defineTask(
    "subnet:pay",
    "Pays a subnet's service fee in TTD (EIP-2612 permit): part is burned, the rest goes to its next round",
    SUBNET,
    ["amount", "TTD to pay (e.g. 25)"],
    ["ref", "What it pays for: text of at most 32 bytes, or a 0x… 32-byte hash", "optional"],
    ["noPermit", "Approve then pay instead of signing a permit", "flag"],
  ),
).setAction(lazyAction<PayArgs>(async () => (await import("./impl/market")).pay));
