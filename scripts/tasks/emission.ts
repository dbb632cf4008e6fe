/** `distribute`: anyone can mint the emission due and split it among the buckets. */
import { task } from "hardhat/config";
import { CommonArgs, lazyAction, withFrom } from "./common";

withFrom(
  task("distribute", "Mints the TTD emitted since the last distribution and splits it among the buckets"),
).setAction(lazyAction<CommonArgs>(async () => (await import("./impl/emission")).distribute));
