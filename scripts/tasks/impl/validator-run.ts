/**
 * `validator:run`: the validator client of scripts/lib/validator/client.ts (the loop scripts/validator.ts
 * runs) as a task: commit, reveal, one step of whatever the phase allows, or a whole round.
 */
import { readFile } from "fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  Clock,
  CommitResult,
  RevealResult,
  SaltStore,
  StepResult,
  chainClock,
  commitScores,
  formatTime,
  revealScores,
  runValidator,
  step,
  validatorStatus,
  ValidatorStatus,
} from "../../lib/validator/client";
import { TaskError, log, open, subnetOf } from "./context";
import type { SubnetArgs } from "./subnet";

export const RUN_ACTIONS = ["run", "step", "commit", "reveal", "status"] as const;

/** `validator:run` arguments. */
export interface RunArgs extends SubnetArgs {
  /** The round's metrics JSON file (needed to commit). */
  metrics?: string;
  /**
   * run (commit, wait, reveal: one whole round), step (whatever the phase allows, once: for cron),
   * commit, reveal, or status (permit, strikes, sheet standing, last round; sends nothing).
   */
  action: string;
  /** Where salts wait between commit and reveal. */
  saltDir: string;
  /** With step or run: finalize a closed round (one page a step) instead of waiting for someone else to. */
  finalize: boolean;
  /** Contributors per finalization transaction. */
  page: number;
  /** Seconds between polls while waiting for a phase. */
  poll: number;
  /** Local chains only: move the chain's clock forward instead of waiting. */
  fastForward: boolean;
}

/** What `validator:run` did. */
export type RunResult =
  | { action: "commit"; commit: CommitResult }
  | { action: "reveal"; reveal: RevealResult }
  | { action: "step"; step: StepResult }
  | { action: "status"; status: ValidatorStatus }
  | { action: "run"; commit: CommitResult | null; reveal: RevealResult };

/** Reads and parses the metrics file, with the file named in any failure. */
export async function readMetricsFile(file: string | undefined): Promise<unknown> {
  if (!file)
    throw new TaskError("--metrics is required to commit: the path of the round's metrics JSON file");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new TaskError(`--metrics: cannot read ${file} (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TaskError(
      `--metrics: ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** A clock that jumps a local chain's time (evm_increaseTime + evm_mine) instead of sleeping. */
function fastForwardClock(hre: HardhatRuntimeEnvironment, pollSeconds: number): Clock {
  const now = async (): Promise<bigint> =>
    BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  return {
    now,
    async waitUntil(timestamp) {
      const left = timestamp === null ? BigInt(pollSeconds) : timestamp - (await now());
      if (left <= 0n) return;
      await hre.network.provider.send("evm_increaseTime", [Number(left)]);
      await hre.network.provider.send("evm_mine", []);
    },
  };
}

/** Runs the validator client on the subnet as the chosen account. */
export async function run(args: RunArgs, hre: HardhatRuntimeEnvironment): Promise<RunResult> {
  const action = args.action.trim().toLowerCase();
  if (!(RUN_ACTIONS as readonly string[]).includes(action)) {
    throw new TaskError(`--action must be one of ${RUN_ACTIONS.join(", ")}, got "${args.action}"`);
  }
  if (!Number.isInteger(args.poll) || args.poll < 1)
    throw new TaskError("--poll must be a whole number of seconds, at least 1");
  if (!Number.isInteger(args.page) || args.page < 1)
    throw new TaskError("--page must be a positive number of contributors");
  const s = await open(hre, args.from);
  const ref = await subnetOf(s, args.subnet);
  if (args.fastForward && s.chainId !== 31337n) {
    throw new TaskError(
      "--fast-forward moves the chain's clock: only on a local Hardhat chain (chain 31337)",
    );
  }
  const clock = args.fastForward
    ? fastForwardClock(hre, args.poll)
    : chainClock(hre.ethers.provider, args.poll);
  const store = new SaltStore(args.saltDir);
  const who = `${s.me} on the ${ref.label}`;

  switch (action) {
    case "commit": {
      const commit = await commitScores(ref.subnet, s.signer, await readMetricsFile(args.metrics), store, {
        clock,
      });
      log(
        `committed round ${commit.round} for ${who}: ${commit.rows} rows, commitment ${commit.commitment}, tx ${commit.txHash}`,
      );
      log(
        `  salt saved in ${commit.saltFile}; the reveal window opens at ${formatTime(commit.revealOpensAt, await clock.now())}`,
      );
      return { action: "commit", commit };
    }
    case "reveal": {
      const reveal = await revealScores(ref.subnet, s.signer, store, { clock });
      log(`revealed round ${reveal.round} for ${who}: ${reveal.rows} rows, tx ${reveal.txHash}`);
      return { action: "reveal", reveal };
    }
    case "step": {
      const result = await step(ref.subnet, s.signer, store, {
        clock,
        loadMetrics: () => readMetricsFile(args.metrics),
        finalize: args.finalize,
        finalizePage: args.page,
      });
      log(`${who}: ${result.message}`);
      return { action: "step", step: result };
    }
    case "status": {
      const status = await validatorStatus(ref.subnet, s.signer, {
        clock,
        fromBlock: s.deployment.startBlock ?? 0,
      });
      log(`validator ${who}`);
      for (const line of status.lines) log(`  ${line}`);
      return { action: "status", status };
    }
    default: {
      const metrics = await readMetricsFile(args.metrics);
      log(
        `validator ${who}: one round, commit then reveal${args.fastForward ? " (fast-forwarding the local chain)" : ""}`,
      );
      const result = await runValidator(ref.subnet, s.signer, metrics, store, {
        clock,
        finalize: args.finalize,
        finalizePage: args.page,
        onStep: (r) => log(`  ${r.message}`),
      });
      return { action: "run", ...result };
    }
  }
}
