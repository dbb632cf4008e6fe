/** Capital pool tasks: deposit stake (permit or approve), withdraw it, claim rewards. */
import { lazyAction, withFrom } from "./common";
import { defineTask } from "./impl/params";
import type { ClaimArgs, DepositArgs, WithdrawArgs } from "./impl/capital";

withFrom(
  defineTask(
    "capital:deposit",
    "Deposits stake tokens into the capital pool (EIP-2612 permit when the token has it)",
    ["amount", "How much, in stake-token units (e.g. 12.5)"],
    [
      "faucet",
      "Mint what is missing from the mock stake token's faucet (local and test deployments)",
      "flag",
    ],
    ["noPermit", "Approve then deposit even when the token supports permits", "flag"],
  ),
).setAction(lazyAction<DepositArgs>(async () => (await import("./impl/capital")).deposit));

const WITHDRAW = "Withdraws stake from the capital pool (pending rewards stay claimable)";
withFrom(
  defineTask("capital:withdraw", WITHDRAW, ["amount", "How much, in stake-token units, or all"]),
).setAction(lazyAction<WithdrawArgs>(async () => (await import("./impl/capital")).withdraw));

const TO = "Pay them to this address instead of yours";
withFrom(
  defineTask("capital:claim", "Claims your capital pool rewards (TTD)", ["to", TO, "optional"]),
).setAction(lazyAction<ClaimArgs>(async () => (await import("./impl/capital")).claim));
