/** Contributor tasks: register in a subnet (bond approval included), claim rewards, leave. */
import { task, types } from "hardhat/config";
import { lazyAction, withFrom } from "./common";
import type { RegisterArgs, SubnetArgs } from "./impl/subnet";

const SUBNET_HELP = "The subnet: code, community, compute or its address";

withFrom(
  task(
    "contributor:register",
    "Registers you as a contributor of a subnet, locking its bond (approved for you)",
  )
    .addParam("subnet", SUBNET_HELP, undefined, types.string)
    .addOptionalParam(
      "metadata",
      "Metadata URI of your contribution (repository, model card, endpoint)",
      "",
      types.string,
    ),
).setAction(lazyAction<RegisterArgs>(async () => (await import("./impl/subnet")).register));

withFrom(
  task("contributor:claim", "Claims your contributor rewards from a subnet").addParam(
    "subnet",
    SUBNET_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<SubnetArgs>(async () => (await import("./impl/subnet")).contributorClaim));

withFrom(
  task("contributor:deregister", "Leaves a subnet: your bond and rewards are paid back").addParam(
    "subnet",
    SUBNET_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<SubnetArgs>(async () => (await import("./impl/subnet")).deregister));
