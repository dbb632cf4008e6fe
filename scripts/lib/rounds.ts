/** Driving a subnet's rounds on the Hardhat network (demo, benchmark, tests): phase moves, finalization. */
import { ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Subnet } from "../../typechain-types";

/** Moves the clock to the start of the current round's reveal phase, or to its close (never back). */
export async function toPhase(subnet: Subnet, phase: "reveal" | "closed"): Promise<void> {
  const [, commitEnd, revealEnd] = await subnet.roundTimes();
  const target = phase === "reveal" ? commitEnd : revealEnd;
  if (BigInt(await time.latest()) < target) await time.increaseTo(target);
}

/** Finalizes the closed round completely, `maxSteps` contributors a page; returns every transaction. */
export async function finalizeRound(
  subnet: Subnet,
  maxSteps = 1_000,
): Promise<ContractTransactionResponse[]> {
  const txs: ContractTransactionResponse[] = [];
  for (;;) {
    const done = await subnet.finalizeEpoch.staticCall(maxSteps);
    const tx = await subnet.finalizeEpoch(maxSteps);
    await tx.wait();
    txs.push(tx);
    if (done) return txs;
  }
}
