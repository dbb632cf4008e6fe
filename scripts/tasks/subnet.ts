/** Keeper task: finalize a subnet's closed round (anyone may; no permit or registration needed). */
import { lazyAction, withFrom } from "./common";
import { SUBNET, defineTask } from "./impl/params";
import type { FinalizeArgs } from "./impl/subnet";

withFrom(
  defineTask(
    "subnet:finalize",
    "Finalizes a subnet's closed round, page by page, so the next round starts (anyone may)",
    SUBNET,
    ["page", "Finalization steps per transaction", { default: 32 }],
  ),
).setAction(lazyAction<FinalizeArgs>(async () => (await import("./impl/subnet")).finalize));
