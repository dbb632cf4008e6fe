/** `distribute`: mints the emission due since the last call and splits it among the buckets. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { BUCKET_NAMES } from "../../lib/chain/constants";
import type { CommonArgs } from "./args";
import { TaskError, log, open } from "./context";

/** What `distribute` did. */
export interface DistributeResult {
  /** TTD minted (0 when nothing was due: no transaction then). */
  minted: bigint;
  /** Per bucket: code, community, compute, capital, protection. */
  amounts: bigint[];
  txHash?: string;
}

/**
 * Runs `EmissionController.distribute()` as the chosen account and prints the split. Does nothing
 * (and says so) when no emission is due; fails in plain words when the controller is paused.
 */
export async function distribute(
  args: CommonArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<DistributeResult> {
  const s = await open(hre, args.from);
  const { controller } = s.contracts;
  const [pending, paused, last, now] = await Promise.all([
    controller.pendingEmission(),
    controller.paused(),
    controller.lastDistribution(),
    s.now(),
  ]);
  if (paused)
    throw new TaskError(
      "the emission controller is paused: nothing can be distributed until governance unpauses it",
    );
  if (pending === 0n) {
    log(`nothing to distribute: the last distribution was at ${s.timeText(last, now)}`);
    return { minted: 0n, amounts: [0n, 0n, 0n, 0n, 0n] };
  }
  const receipt = await s.send(() => controller.distribute());
  let minted = 0n;
  let amounts: bigint[] = [0n, 0n, 0n, 0n, 0n];
  for (const entry of receipt.logs) {
    const parsed = controller.interface.parseLog(entry);
    if (parsed?.name === "Distributed") {
      minted = parsed.args.minted as bigint;
      amounts = [...(parsed.args.amounts as bigint[])];
    }
    if (parsed?.name === "ReceiverNotificationFailed") {
      log(
        `warning: the ${BUCKET_NAMES[Number(parsed.args.bucket)]} bucket's hook failed; it picks its tokens up at the next notification`,
      );
    }
  }
  log(`distributed ${s.ttdText(minted)} (tx ${receipt.hash}):`);
  amounts.forEach((a, i) => log(`  ${BUCKET_NAMES[i].padEnd(10)} ${s.ttdText(a)}`));
  return { minted, amounts, txHash: receipt.hash };
}
