/** Capital: stake the pool's token for the capital bucket; live rewards; deposit (one permit signature
 * when the token supports EIP-2612, approve + deposit otherwise), withdraw (with its lock), claim. */
import { encodeFunctionData, erc20Abi, type Hex } from "viem";
import { capitalPoolAbi, stakeTokenAbi } from "../generated/abis";
import { useAction, useApp, useChainQuery, useNow, type Action } from "../lib/app";
import { countdown, formatAmount, formatDate, formatShare, formatTokens } from "../lib/format";
import { permitDomain, signPermit } from "../lib/permit";
import { ensureAllowance, useTokenMeta } from "../lib/tokens";
import { AmountForm, Card, Loading, Stat, TxButton, TxStatus, WalletGate } from "../components/ui";

const ZERO = "0x0000000000000000000000000000000000000000" as const;

export default function Capital() {
  const { contracts, account, chain, client } = useApp();
  const now = useNow();
  const stakeMeta = useTokenMeta(contracts.StakingToken);
  const me = account ?? ZERO;
  const pool = { address: contracts.CapitalPool, abi: capitalPoolAbi } as const;
  const q = useChainQuery(
    ["capital", me],
    async (c) => {
      const [staked, pending, total, unlock, lock, minDeposit, stream, ttd, wallet, allowance] =
        await Promise.all([
          c.readContract({ ...pool, functionName: "balanceOf", args: [me] }),
          c.readContract({ ...pool, functionName: "pendingRewards", args: [me] }),
          c.readContract({ ...pool, functionName: "totalStaked" }),
          c.readContract({ ...pool, functionName: "unlockTime", args: [me] }),
          c.readContract({ ...pool, functionName: "withdrawLock" }),
          c.readContract({ ...pool, functionName: "minDeposit" }),
          c.readContract({ ...pool, functionName: "rewardStream" }),
          c.readContract({ address: contracts.Tetrad, abi: erc20Abi, functionName: "balanceOf", args: [me] }),
          c.readContract({
            address: contracts.StakingToken,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [me],
          }),
          c.readContract({
            address: contracts.StakingToken,
            abi: erc20Abi,
            functionName: "allowance",
            args: [me, contracts.CapitalPool],
          }),
        ]);
      return {
        staked,
        pending,
        total,
        unlock,
        lock,
        minDeposit,
        rate: stream[0],
        finish: stream[1],
        ttd,
        wallet,
        allowance,
      };
    },
    { refetchMs: 2_000 },
  );
  const permit = useChainQuery(["permit-domain", contracts.StakingToken], (c) =>
    permitDomain(c, contracts.StakingToken, chain.chainId),
  );
  const deposit = useAction("deposit");
  const withdraw = useAction("withdraw");
  const claim = useAction("claim");
  const faucet = useAction("faucet");

  if (!q.data || !stakeMeta.data) return <Loading what="the capital pool" />;
  const d = q.data;
  const { symbol, decimals } = stakeMeta.data;
  const units = { symbol, decimals };
  const locked = d.unlock > now && d.staked > 0n;
  const local = chain.chainId === 31337 || chain.chainId === 1337;

  async function onDeposit(amount: bigint): Promise<boolean> {
    if (!account) return false;
    const allowance = {
      token: contracts.StakingToken,
      owner: account,
      spender: contracts.CapitalPool,
      amount,
    };
    const domain = permit.data;
    if (domain) {
      const signed = await signPermit(client, deposit, domain, allowance, now);
      if (!signed) return false;
      const { deadline, v, r, s } = signed;
      const args = [amount, deadline, v, r, s] as const;
      return poolCall(
        deposit,
        "Deposit",
        encodeFunctionData({ ...pool, functionName: "depositWithPermit", args }),
      );
    }
    if (!(await ensureAllowance(client, deposit, "Approve", allowance))) return false;
    return poolCall(
      deposit,
      "Deposit",
      encodeFunctionData({ ...pool, functionName: "deposit", args: [amount] }),
    );
  }

  async function onWithdraw(amount: bigint): Promise<boolean> {
    return poolCall(
      withdraw,
      "Withdraw",
      encodeFunctionData({ ...pool, functionName: "withdraw", args: [amount] }),
    );
  }

  /** A capital pool call through `action`, amounts in the stake token; true once confirmed. */
  async function poolCall(action: Action, label: string, data: Hex): Promise<boolean> {
    const ctx = { units, now };
    return (await action.send(label, { to: contracts.CapitalPool, data }, ctx)) !== undefined;
  }

  return (
    <>
      <h1>Capital</h1>
      <p className="lede">
        Stake {symbol} in the capital pool and earn the capital bucket of the emission, pro rata to stake and
        time.
      </p>
      <Card id="pos-h" title="Your position">
        <dl className="stats">
          <Stat label="Staked" value={formatAmount(d.staked, symbol, decimals)} testId="staked" />
          <Stat
            label="Pending rewards (live)"
            value={formatAmount(d.pending, "TTD", 18, 6)}
            testId="pending-rewards"
          />
          <Stat label="TTD in your wallet" value={formatAmount(d.ttd, "TTD", 18, 6)} testId="ttd-balance" />
          <Stat
            label={`${symbol} in your wallet`}
            value={formatAmount(d.wallet, symbol, decimals)}
            testId="stake-balance"
          />
          <Stat label="Your share of the pool" value={formatShare(d.staked, d.total)} />
          <Stat
            label="Withdraw lock"
            value={
              locked
                ? `locked until ${formatDate(d.unlock)} (${countdown(d.unlock, now)})`
                : d.lock > 0n
                  ? "unlocked"
                  : "none"
            }
            testId="lock"
          />
        </dl>
        <p className="hint">
          Pool: {formatAmount(d.total, symbol, decimals)} staked; rewards stream at{" "}
          {formatTokens(d.rate * 86_400n, 18, 2)} TTD a day
          {d.finish > now ? ` until ${formatDate(d.finish)}` : " (no stream running)"}.
        </p>
      </Card>

      <WalletGate what="deposit, withdraw or claim">
        <div className="grid2">
          <Card id="dep-h" title="Deposit">
            <AmountForm
              verb="deposit"
              units={units}
              max={d.wallet}
              action={deposit}
              submit={permit.data ? "Sign permit and deposit" : "Approve and deposit"}
              onSubmit={onDeposit}
            >
              <p className="hint">
                {permit.data
                  ? `${symbol} supports permits: one signature and one transaction.`
                  : `Two steps: approve ${symbol}, then deposit.`}{" "}
                Minimum {formatAmount(d.minDeposit, symbol, decimals)}.
              </p>
            </AmountForm>
            {local ? (
              <p className="hint">
                Test network:{" "}
                <TxButton
                  action={faucet}
                  label="Faucet"
                  secondary
                  disabled={!account}
                  to={contracts.StakingToken}
                  data={encodeFunctionData({
                    abi: stakeTokenAbi,
                    functionName: "mint",
                    args: [account ?? ZERO, 1000n * 10n ** BigInt(decimals)],
                  })}
                >
                  Get 1,000 test {symbol}
                </TxButton>
              </p>
            ) : null}
            <TxStatus action={faucet} testId="faucet-status" />
          </Card>

          <Card id="wd-h" title="Withdraw and claim">
            <AmountForm verb="withdraw" action={withdraw} onSubmit={onWithdraw} units={units} max={d.staked}>
              {locked ? (
                <p className="hint">Your last deposit is locked until {formatDate(d.unlock)}.</p>
              ) : null}
            </AmountForm>
            <hr />
            <p>
              Claimable now: <strong>{formatAmount(d.pending, "TTD", 18, 6)}</strong>
            </p>
            <TxButton
              action={claim}
              label="Claim"
              disabled={d.pending === 0n}
              to={contracts.CapitalPool}
              data={encodeFunctionData({ abi: capitalPoolAbi, functionName: "claim" })}
            >
              Claim rewards
            </TxButton>
            <TxStatus action={claim} testId="claim-status" />
          </Card>
        </div>
      </WalletGate>
    </>
  );
}
