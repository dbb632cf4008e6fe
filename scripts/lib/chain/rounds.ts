/** Driving a subnet's rounds on the Hardhat network (demo, benchmark, tests): phase moves, finalization. */
import { ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Subnet } from "../../../typechain-types";

/** Moves the clock to the start of the current round's reveal phase, or to its close (never back). */
export async function toPhase(subnet: Subnet, phase: "reveal" | "closed"): Promise<void> {
  const [, commitEnd, revealEnd] = await subnet.roundTimes();
  const target = phase === "reveal" ? commitEnd : revealEnd;
  if (BigInt(await time.latest()) < target) await time.increaseTo(target);
}

/**
 * Finalizes the closed round completely, `maxSteps` contributors a page; returns every transaction.
 * The page that closes the round is the one that emits `RoundFinalized`, so each page runs once
 * (no `staticCall` beforehand to ask whether it will be the last).
 */
export async function finalizeRound(
  subnet: Subnet,
  maxSteps = 1_000,
): Promise<ContractTransactionResponse[]> {
  const txs: ContractTransactionResponse[] = [];
  const address = (await subnet.getAddress()).toLowerCase();
  const closed = subnet.interface.getEvent("RoundFinalized").topicHash;
  for (;;) {
    const tx = await subnet.finalizeRound(maxSteps);
    const receipt = await tx.wait();
    txs.push(tx);
    if (receipt?.logs.some((l) => l.address.toLowerCase() === address && l.topics[0] === closed)) return txs;
  }
}
