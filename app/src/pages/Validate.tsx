/** Validate: stake and unbond in a subnet, the validator permit, this round's commit and reveal status,
 * dividends, and how to run the validator client for automation. */
import { useId, useState } from "react";
import { encodeFunctionData, erc20Abi } from "viem";
import { ensureAllowance } from "../lib/tokens";
import { subnetAbi } from "../generated/abis";
import { useAction, useApp, useChainQuery, useNow, type Action } from "../lib/app";
import { countdown, formatAmount, formatDate } from "../lib/format";
import { ZERO, useSubnets } from "../lib/subnets";
import {
  AmountForm,
  Card,
  DataTable,
  ErrorNote,
  Loading,
  Stat,
  TxButton,
  TxStatus,
  WalletGate,
} from "../components/ui";
import { FinalizeButton } from "../components/Finalize";

const TTD = { symbol: "TTD", decimals: 18 } as const;

export default function Validate() {
  const { contracts, account, chain, client } = useApp();
  const now = useNow();
  const subnets = useSubnets();
  const [which, setWhich] = useState(0);
  const stake = useAction("stake");
  const unstake = useAction("unstake");
  const withdraw = useAction("withdraw-unbonded");
  const claim = useAction("validator-claim");
  const selectId = useId();
  const chosen = subnets.data?.[which];
  const dividends = useChainQuery(
    ["dividends", account ?? ZERO, chosen?.address ?? ZERO],
    async (c) => {
      if (!account || !chosen) return [];
      const logs = await c.getContractEvents({
        address: chosen.address,
        abi: subnetAbi,
        eventName: "ValidatorDividend",
        args: { validator: account },
        fromBlock: BigInt(chain.startBlock),
      });
      return logs
        .map((l) => ({
          round: l.args.round ?? 0n,
          agreement: l.args.agreementBps ?? 0n,
          reward: l.args.reward ?? 0n,
        }))
        .reverse();
    },
    { refetchMs: 10_000, enabled: chosen !== undefined },
  );
  const ttd = useChainQuery(["ttd-balance", account ?? ZERO], (c) =>
    c.readContract({
      address: contracts.Tetrad,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [account ?? ZERO],
    }),
  );

  if (subnets.error) return <ErrorNote error={subnets.error} />;
  if (!subnets.data || !chosen) return <Loading what="the subnets" />;
  const s = chosen;
  const v = s.validator;
  const committed = v !== undefined && v.commitRound === s.round && s.round > 0n;
  const revealed = v !== undefined && v.revealRound === s.round && s.round > 0n;

  async function onStake(amount: bigint): Promise<boolean> {
    if (!account) return false;
    const allowance = { token: contracts.Tetrad, owner: account, spender: s.address, amount };
    if (!(await ensureAllowance(client, stake, "Approve TTD", allowance))) return false;
    return sendStake(stake, "Stake", "stake", amount);
  }

  /** `stake` or `unstake` of `amount` TTD on the chosen subnet. */
  async function sendStake(action: Action, label: string, fn: "stake" | "unstake", amount: bigint) {
    const receipt = await action.send(
      label,
      { to: s.address, data: encodeFunctionData({ abi: subnetAbi, functionName: fn, args: [amount] }) },
      { units: TTD, now },
    );
    return receipt !== undefined;
  }

  return (
    <>
      <h1>Validate</h1>
      <p className="lede">
        Validators stake TTD for one of 64 permits per subnet, score contributors every round (commit, then
        reveal) and earn dividends by stake and agreement with the consensus.
      </p>
      <div className="field narrow">
        <label htmlFor={selectId}>Subnet</label>
        <select id={selectId} value={which} onChange={(e) => setWhich(Number(e.target.value))}>
          {subnets.data.map((x, i) => (
            <option key={x.key} value={i}>
              {x.name}
            </option>
          ))}
        </select>
      </div>

      <Card id="st-h" title={<>{s.name}: your validator</>}>
        <dl className="stats">
          <Stat
            label="Permit"
            testId="permit"
            value={
              s.validatorSlot !== undefined
                ? `held (slot ${String(s.validatorSlot)})`
                : `none: stake at least ${formatAmount(s.params.minValidatorStake, "TTD", 18, 2)}`
            }
          />
          <Stat
            label="Your stake"
            value={formatAmount(v?.stake ?? 0n, "TTD", 18, 4)}
            testId="validator-stake"
          />
          <Stat
            label="Validators"
            value={`${s.validators} / 64 (total stake ${formatAmount(s.totalStake, "TTD", 18, 0)})`}
          />
          <Stat
            label={`Round ${String(s.round)}`}
            value={
              <>
                {`${s.phase}${s.phase === "commit" ? `, reveal opens in ${countdown(s.commitEnd, now)}` : s.phase === "reveal" ? `, closes in ${countdown(s.revealEnd, now)}` : ", awaiting finalization"}`}
                {s.phase === "closed" ? (
                  <FinalizeButton subnet={s.address} round={s.round} name={s.name} />
                ) : null}
              </>
            }
          />
          <Stat
            label="This round's commit"
            value={committed ? "committed" : "not committed"}
            testId="commit-status"
          />
          <Stat
            label="This round's reveal"
            value={revealed ? "revealed" : "not revealed"}
            testId="reveal-status"
          />
          <Stat label="Strikes" value={`${v?.strikes ?? 0} of ${s.params.maxStrikes}`} />
          <Stat
            label="Unbonding"
            value={
              s.unbonding.amount > 0n
                ? `${formatAmount(s.unbonding.amount, "TTD", 18, 4)}, free ${s.unbonding.releaseAt <= now ? "now" : `at ${formatDate(s.unbonding.releaseAt)}`}`
                : "nothing"
            }
          />
          <Stat label="Dividends to claim" value={formatAmount(s.claimable, "TTD", 18, 4)} />
        </dl>
      </Card>

      <WalletGate what="stake, unbond or claim">
        <div className="grid2">
          <Card id="stk-h" title="Stake">
            <AmountForm verb="stake" units={TTD} max={ttd.data} action={stake} onSubmit={onStake}>
              <p className="hint">
                A stake larger than the smallest validator's takes its permit when all 64 are held.
              </p>
            </AmountForm>
          </Card>
          <Card id="unb-h" title="Unbond and claim">
            <AmountForm
              verb="unbond"
              name="unstake"
              units={TTD}
              action={unstake}
              onSubmit={(amount) => sendStake(unstake, "Unbond", "unstake", amount)}
            >
              <p className="hint">
                Unbonded stake is released after {countdown(BigInt(s.params.unbondingDelay), 0n)}; below the
                minimum the whole stake unbonds.
              </p>
            </AmountForm>
            <div className="row">
              <TxButton
                action={withdraw}
                label="Withdraw unbonded"
                secondary
                disabled={s.unbonding.amount === 0n || s.unbonding.releaseAt > now}
                to={s.address}
                data={encodeFunctionData({ abi: subnetAbi, functionName: "withdrawUnbonded" })}
                ctx={{ now }}
              >
                Withdraw unbonded
              </TxButton>
              <TxButton
                action={claim}
                label="Claim dividends"
                secondary
                disabled={s.claimable === 0n}
                to={s.address}
                data={encodeFunctionData({ abi: subnetAbi, functionName: "claim" })}
              >
                Claim dividends
              </TxButton>
            </div>
            <TxStatus action={withdraw} />
            <TxStatus action={claim} />
          </Card>
        </div>
      </WalletGate>

      <Card id="div-h" title="Dividends by round">
        {dividends.data && dividends.data.length > 0 ? (
          <DataTable columns={["Round", "Agreement", "Dividend"]}>
            {dividends.data.map((d) => (
              <tr key={String(d.round)}>
                <td>{String(d.round)}</td>
                <td>{(Number(d.agreement) / 100).toFixed(1)}%</td>
                <td>{formatAmount(d.reward, "TTD", 18, 4)}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>No dividends yet in this subnet.</p>
        )}
      </Card>

      <Card id="cli-h" title="Automate: run the validator client">
        <p>
          Scoring is automated by the validator client: it reads each round&apos;s metrics file, commits the
          scoresheet, keeps the salt on disk (<code>.validator/</code>) and reveals in the window. Run it from
          the project with your validator key configured for the network:
        </p>
        <pre>
          <code>{`# metrics.json: { "subnet": "${s.key}", "contributors": [ { "address": "0x…", "values": [52000, 48000, 45000, 60000] } ] }
npx hardhat --network ${chain.network} validator:run --subnet ${s.key} --metrics metrics.json

# from cron: one step each time, whatever the phase allows (commit, reveal, finalize)
npx hardhat --network ${chain.network} validator:run --subnet ${s.key} --metrics metrics.json --action step --finalize`}</code>
        </pre>
        <p className="hint">
          Name contributors by address, not slot: slots are reused after a contributor leaves.
        </p>
      </Card>
    </>
  );
}
