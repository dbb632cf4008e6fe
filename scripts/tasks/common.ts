/**
 * What every task module shares. Loaded with hardhat.config.ts, before TypeChain's output exists on a
 * fresh clone: nothing here (or in the task modules) imports typechain-types or a module that does;
 * the implementations under `impl/` are imported inside the actions.
 */
import { types } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { CommonArgs } from "./impl/args";

export type { CommonArgs } from "./impl/args";

/** The plugin name the CLI prints: `Error in plugin tetrad: <message>`. */
export const PLUGIN = "tetrad";

/** Adds `--from <index>` (which of the network's accounts signs; the first by default). */
export function withFrom(definition: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return definition.addOptionalParam(
    "from",
    "Index of the account that signs, among the network's accounts",
    0,
    types.int,
  );
}

/**
 * A failure in plain words. Hardhat prints the stack of any error on CI and on Linux without a display
 * (`console.error(error)`, which goes through Node's inspect hook): there the hook shows a hint instead.
 * (HardhatPluginError resets the prototype of subclasses, hence an own property, not a subclass.)
 */
function plainError(message: string): HardhatPluginError {
  const error = new HardhatPluginError(PLUGIN, message);
  Object.defineProperty(error, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => "(run with --show-stack-traces for the details)",
  });
  return error;
}

/** The one line the CLI shows for `e`: its message, up to the first newline. */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (
    e instanceof Error &&
    "code" in e &&
    e.code === "MODULE_NOT_FOUND" &&
    text.includes("typechain-types")
  ) {
    return "the contracts' TypeScript bindings (typechain-types/) are missing: run `npx hardhat compile` first";
  }
  return text.split("\n")[0];
}

/**
 * A task action that loads its implementation when it runs and turns any failure into a
 * HardhatPluginError, so the CLI prints one line (`--show-stack-traces` keeps the stack and the cause).
 *
 * @param load Imports the implementation, e.g. `async () => (await import("./impl/capital")).deposit`.
 */
export function lazyAction<A extends CommonArgs>(
  load: () => Promise<(args: A, hre: HardhatRuntimeEnvironment) => Promise<unknown>>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<unknown> {
  return async (args, hre) => {
    try {
      const run = await load();
      return await run(args, hre);
    } catch (e) {
      if (HardhatPluginError.isHardhatPluginError(e)) throw e;
      if (e instanceof Error && "_isHardhatError" in e) throw e; // Hardhat's own (bad arguments, ...)
      if (hre.hardhatArguments.showStackTraces) {
        throw new HardhatPluginError(PLUGIN, oneLine(e), e instanceof Error ? e : undefined);
      }
      throw plainError(oneLine(e));
    }
  };
}
