/**
 * Task definitions from a short list of parameters. Loaded with hardhat.config.ts (through the task
 * modules): imports nothing but Hardhat's config API, never typechain-types.
 */
import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition } from "hardhat/types";

/**
 * `[name, help]`: a required string; `[name, help, "optional"]`: an optional string; `[name, help, "flag"]`:
 * a flag; `[name, help, { default }]`: optional with a default (an int when the default is a number).
 */
export type ParamSpec = readonly [
  name: string,
  help: string,
  how?: "optional" | "flag" | { default: string | number },
];

export const SUBNET: ParamSpec = [
  "subnet",
  "The subnet: code, community, compute, a launched subnet's name, or its address",
];
export const PROPOSAL: ParamSpec = [
  "proposal",
  "The proposal: its id, #index (as status lists them) or latest",
];

/** `task(name, description)` with its parameters, in order. */
export function defineTask(
  name: string,
  description: string,
  ...params: ParamSpec[]
): ConfigurableTaskDefinition {
  let definition = task(name, description);
  for (const [param, help, how] of params) {
    if (how === undefined) definition = definition.addParam(param, help, undefined, types.string);
    else if (how === "optional")
      definition = definition.addOptionalParam(param, help, undefined, types.string);
    else if (how === "flag") definition = definition.addFlag(param, help);
    else {
      const type = typeof how.default === "number" ? types.int : types.string;
      definition = definition.addOptionalParam(param, help, how.default, type);
    }
  }
  return definition;
}
