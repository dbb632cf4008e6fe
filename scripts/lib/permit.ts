/** EIP-2612 permit signatures, as a wallet makes them with eth_signTypedData_v4. */
import { Signature, Signer } from "ethers";

/** The subset of an ERC20Permit contract this helper needs (any TypeChain ERC20Permit type fits). */
export interface PermitToken {
  getAddress(): Promise<string>;
  name(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
}

export async function signPermit(
  token: PermitToken,
  owner: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<Signature> {
  const ownerAddress = await owner.getAddress();
  const network = await owner.provider!.getNetwork();
  const domain = {
    name: await token.name(),
    version: "1",
    chainId: network.chainId,
    verifyingContract: await token.getAddress(),
  };
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const message = { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline };
  return Signature.from(await owner.signTypedData(domain, types, message));
}
