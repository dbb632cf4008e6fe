/** Reads shared by several pages: the TTD token's and the stake token's symbol and decimals. */
import { erc20Abi, type Address } from "viem";
import { useChainQuery } from "./app";

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
