/** Shared by several pages: the TTD token's and the stake token's symbol and decimals; approvals. */
import { encodeFunctionData, erc20Abi, type Address, type PublicClient } from "viem";
import { useChainQuery, type Action } from "./app";

export interface TokenMeta {
  address: Address;
  symbol: string;
  decimals: number;
}

export function useTokenMeta(address: Address) {
  return useChainQuery(
    ["token-meta", address],
    async (c): Promise<TokenMeta> => {
      const [symbol, decimals] = await Promise.all([
        c.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        c.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { address, symbol, decimals };
    },
    { refetchMs: 600_000 },
  );
}

/**
 * Approves `spender` for `amount` of `token` (a transaction of `action`, named `label`) unless `owner`'s
 * allowance already covers it; false when the approval was refused or failed.
 */
export async function ensureAllowance(
  c: PublicClient,
  action: Action,
  label: string,
  allowance: { token: Address; owner: Address; spender: Address; amount: bigint },
): Promise<boolean> {
  const { token, owner, spender, amount } = allowance;
  const current = await c.readContract({
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [owner, spender],
  });
  if (current >= amount) return true;
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, amount] });
  return (await action.send(label, { to: token, data })) !== undefined;
}
