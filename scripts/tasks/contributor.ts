/** Contributor tasks: register in a subnet (bond approval included), claim rewards, leave. */
import { lazyAction, withFrom } from "./common";
import { SUBNET, defineTask } from "./impl/params";
import type { RegisterArgs } from "./impl/subnet";

const subnetImpl = (fn: "register" | "contributorClaim" | "deregister") =>
  lazyAction<RegisterArgs>(async () => (await import("./impl/subnet"))[fn]);

const METADATA = "Metadata URI of your contribution (repository, model card, endpoint)";
const REGISTER = "Registers you as a contributor of a subnet, locking its bond (approved for you)";
withFrom(
  defineTask("contributor:register", REGISTER, SUBNET, ["metadata", METADATA, { default: "" }]),
).setAction(subnetImpl("register"));

for (const [name, description, fn] of [
  ["contributor:claim", "Claims your contributor rewards from a subnet", "contributorClaim"],
  ["contributor:deregister", "Leaves a subnet: your bond and rewards are paid back", "deregister"],
] as const)
  withFrom(defineTask(name, description, SUBNET)).setAction(subnetImpl(fn));
