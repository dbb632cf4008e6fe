/** Many funded accounts on the in-process Hardhat network (for benchmarks, simulations and tests). */
import { network, ethers } from "hardhat";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { keccak256, toUtf8Bytes, getAddress, dataSlice, toBeHex } from "ethers";

/**
 * Returns `count` distinct impersonated signers derived from `label`, each with 1,000 ETH for gas.
 * Impersonation avoids key management; only for the Hardhat network.
 */
export async function fundedAccounts(label: string, count: number): Promise<HardhatEthersSigner[]> {
  const signers: HardhatEthersSigner[] = [];
  for (let i = 0; i < count; i++) {
    const address = getAddress(dataSlice(keccak256(toUtf8Bytes(`${label}/${i}`)), 12));
    await network.provider.request({ method: "hardhat_impersonateAccount", params: [address] });
    await network.provider.request({ method: "hardhat_setBalance", params: [address, toBeHex(10n ** 21n)] });
    signers.push(await ethers.getSigner(address));
  }
  return signers;
}
