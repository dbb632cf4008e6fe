/** Capital pool tasks: deposit stake (permit or approve), withdraw it, claim rewards. */
import { task, types } from "hardhat/config";
import { lazyAction, withFrom } from "./common";
import type { ClaimArgs, DepositArgs, WithdrawArgs } from "./impl/capital";

withFrom(
  task(
    "capital:deposit",
    "Deposits stake tokens into the capital pool (EIP-2612 permit when the token has it)",
  )
    .addParam("amount", "How much, in stake-token units (e.g. 12.5)", undefined, types.string)
    .addFlag("faucet", "Mint what is missing from the mock stake token's faucet (local and test deployments)")
    .addFlag("noPermit", "Approve then deposit even when the token supports permits"),
).setAction(lazyAction<DepositArgs>(async () => (await import("./impl/capital")).deposit));

withFrom(
  task("capital:withdraw", "Withdraws stake from the capital pool (pending rewards stay claimable)").addParam(
    "amount",
    "How much, in stake-token units, or all",
    undefined,
    types.string,
  ),
).setAction(lazyAction<WithdrawArgs>(async () => (await import("./impl/capital")).withdraw));

withFrom(
  task("capital:claim", "Claims your capital pool rewards (TTD)").addOptionalParam(
    "to",
    "Pay them to this address instead of yours",
    undefined,
    types.string,
  ),
).setAction(lazyAction<ClaimArgs>(async () => (await import("./impl/capital")).claim));
