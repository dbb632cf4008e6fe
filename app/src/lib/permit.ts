/** EIP-2612 permits: detection, the typed data a wallet signs, and the v/r/s a contract takes. */
import { parseSignature, type Address, type Hex, type PublicClient, type TypedDataDefinition } from "viem";
import { stakeTokenAbi } from "../generated/abis";
import type { Action } from "./app";
import { PERMIT_TYPES } from "../../../scripts/lib/shared/eip712";

export interface PermitDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

/** The token's EIP-712 domain when it supports permits (ERC-5267, else name + version "1"); undefined if not. */
export async function permitDomain(
  c: PublicClient,
  token: Address,
  chainId: number,
): Promise<PermitDomain | undefined> {
  try {
    await c.readContract({ address: token, abi: stakeTokenAbi, functionName: "DOMAIN_SEPARATOR" });
  } catch {
    return undefined;
  }
  try {
    const [, name, version, , verifyingContract] = await c.readContract({
      address: token,
      abi: stakeTokenAbi,
      functionName: "eip712Domain",
    });
    return { name, version, chainId, verifyingContract };
  } catch {
    const name = await c.readContract({ address: token, abi: stakeTokenAbi, functionName: "name" });
    return { name, version: "1", chainId, verifyingContract: token };
  }
}

export function permitTypedData(
  domain: PermitDomain,
  owner: Address,
  spender: Address,
  value: bigint,
  nonce: bigint,
  deadline: bigint,
): TypedDataDefinition {
  return {
    domain,
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message: { owner, spender, value, nonce, deadline },
  } as TypedDataDefinition;
}

/** `v`, `r`, `s` of a 65-byte signature (v as 27/28). */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  const sig = parseSignature(signature);
  const v = sig.v !== undefined ? Number(sig.v) : (sig.yParity ?? 0) + 27;
  return { v: v < 27 ? v + 27 : v, r: sig.r, s: sig.s };
}

/**
 * Has the wallet sign (a signature of `action`) a permit for `spender` to take `amount` of `token` from
 * `owner`, good for an hour from `now`: its deadline and v/r/s, or undefined when the signature was refused
 * or failed.
 */
export async function signPermit(
  c: PublicClient,
  action: Action,
  domain: PermitDomain,
  allowance: { token: Address; owner: Address; spender: Address; amount: bigint },
  now: bigint,
): Promise<{ deadline: bigint; v: number; r: Hex; s: Hex } | undefined> {
  const { token, owner, spender, amount } = allowance;
  const nonce = await c.readContract({
    address: token,
    abi: stakeTokenAbi,
    functionName: "nonces",
    args: [owner],
  });
  const deadline = now + 3600n;
  const typed = permitTypedData(domain, owner, spender, amount, nonce, deadline);
  const signature = await action.sign("Permit signature", typed);
  if (!signature) return undefined;
  return { deadline, ...splitSignature(signature) };
}
