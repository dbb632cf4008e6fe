/**
 * Small chain helpers shared by the Hardhat tests: a mined transaction's receipt and timestamp, the
 * parsed events of one contract in a receipt, a funded signer for a contract's address, and a
 * distribution with its Distributed event. No tests here.
 */
import { ethers, network } from "hardhat";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  BaseContract,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  LogDescription,
  toBeHex,
} from "ethers";
import { EmissionController } from "../../typechain-types";

/** The receipt of a mined `tx` (throws when there is none). */
export async function receiptOf(tx: ContractTransactionResponse): Promise<ContractTransactionReceipt> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/** Timestamp of the block that mined `tx`. */
export async function minedAt(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await receiptOf(tx);
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("no block");
  return BigInt(block.timestamp);
}

/** The `name` events `contract` emitted in `receipt`, parsed. */
export async function eventsOf(
  contract: BaseContract,
  receipt: ContractTransactionReceipt,
  name: string,
): Promise<LogDescription[]> {
  const address = await contract.getAddress();
  const out: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed !== null && parsed.name === name) out.push(parsed);
  }
  return out;
}

/** A signer for `address` (a contract's, typically), funded with 100 ETH for gas. */
export async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [address] });
  await network.provider.request({ method: "hardhat_setBalance", params: [address, toBeHex(10n ** 20n)] });
  return ethers.getSigner(address);
}

/** Calls `controller.distribute()`; returns the receipt and the Distributed event it emitted. */
export async function distributeWithEvent(controller: EmissionController) {
  const receipt = await receiptOf(await controller.distribute());
  const [log] = await controller.queryFilter(
    controller.filters.Distributed,
    receipt.blockNumber,
    receipt.blockNumber,
  );
  return { receipt, log };
}
