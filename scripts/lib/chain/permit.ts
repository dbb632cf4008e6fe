/** EIP-2612 permit signatures, as a wallet makes them with eth_signTypedData_v4. */
import { Signature, Signer } from "ethers";
import { PERMIT_TYPES } from "../shared/eip712";

/** What this helper needs of an ERC20Permit token (any TypeChain ERC20Permit type fits). */
export interface PermitToken {
  /** The token's EIP-712 domain (ERC-5267), so name and version are never guessed. */
  eip712Domain(): Promise<{ name: string; version: string; chainId: bigint; verifyingContract: string }>;
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
  const { name, version, chainId, verifyingContract } = await token.eip712Domain();
  const message = { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline };
  return Signature.from(
    await owner.signTypedData({ name, version, chainId, verifyingContract }, PERMIT_TYPES, message),
  );
}
