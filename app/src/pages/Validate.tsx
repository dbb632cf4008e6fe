/** Validate: stake and unbond in a subnet, the validator permit, this round's commit and reveal status,
 * dividends, and how to run the validator client for automation. */
import { useId, useState } from "react";
import { encodeFunctionData, erc20Abi } from "viem";
import { ensureAllowance } from "../lib/tokens";
import { subnetAbi } from "../generated/abis";
import { useAction, useApp, useChainQuery, useNow, type Action } from "../lib/app";
import { TTD, countdown, formatAmount, formatDate } from "../lib/format";
import { ZERO, useSubnets } from "../lib/subnets";
import { bpsCell, roundTable, sheetStanding, struckCell } from "../lib/validator";
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

/** Rounds in the "Your rounds" table. */
const ROUNDS_SHOWN = 10;

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
  const rounds = useChainQuery(
    ["validator-rounds", account ?? ZERO, chosen?.address ?? ZERO],
    async (c) => {
      if (!account || !chosen) return { dividends: [], agreements: [] };
      const from = { address: chosen.address, abi: subnetAbi, fromBlock: BigInt(chain.startBlock) } as const;
      const [dividends, agreements] = await Promise.all([
        c.getContractEvents({ ...from, eventName: "ValidatorDividend", args: { validator: account } }),
        c.getContractEvents({ ...from, eventName: "RoundAgreement" }),
      ]);
      return { dividends, agreements };
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
  const standing =
    v !== undefined
      ? sheetStanding({ ...v, round: s.round, activityCutoff: s.params.activityCutoff, phase: s.phase })
      : undefined;
  const table = rounds.data
    ? roundTable(rounds.data.dividends, rounds.data.agreements, s.params, {
        limit: ROUNDS_SHOWN,
        // Without a permit, only the rounds it was paid or struck in (no "no reveal" rows).
        fromRound: v?.joinRound ?? s.round + 1n,
      })
    : [];

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
        reveal) and earn dividends by stake, for agreement with the consensus beyond what copying last
        round&apos;s consensus would score. A revealed sheet stays in force for a few rounds.
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
          <Stat
            label="Your sheet"
            testId="sheet-standing"
            value={
              standing === undefined
                ? "no permit"
                : standing.activeUntil === undefined
                  ? "none revealed yet"
                  : `revealed in round ${String(standing.lastRevealed)}, active until round ${String(standing.activeUntil)}${standing.inForce ? "" : " (no longer in force)"}`
            }
          />
          <Stat
            label="Strikes"
            testId="strikes"
            value={`${v?.strikes ?? 0} of ${s.params.maxStrikes} (struck under ${bpsCell(BigInt(s.params.agreementThreshold))} agreement or ${bpsCell(BigInt(s.params.relativeThreshold))} of the median)`}
          />
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
        {standing?.warning ? (
          <p className="warning" role="alert" data-testid="standing-warning">
            {standing.certain ? "Your permit will be expelled" : "Warning"}: {standing.warning}.
          </p>
        ) : null}
        {v !== undefined ? (
          <p className="hint">
            A revealed sheet stays in force for {s.params.activityCutoff} rounds (it counts in the consensus
            but earns nothing); a permit with no reveal for {s.params.activityCutoff} rounds is expelled when
            the round is finalized.
          </p>
        ) : null}
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

      <Card id="div-h" title="Your rounds">
        {table.length > 0 ? (
          <DataTable
            caption={`Your last ${ROUNDS_SHOWN} rounds: agreement, the round's median and lagged agreement, edge, dividend and strike`}
            columns={["Round", "Agreement", "Median", "Lagged", "Edge", "Dividend", "Struck"]}
          >
            {table.map((r) => (
              <tr key={String(r.round)}>
                <td>{String(r.round)}</td>
                <td>{bpsCell(r.agreement)}</td>
                <td>{bpsCell(r.median)}</td>
                <td>{bpsCell(r.lagged)}</td>
                <td>{bpsCell(r.edge, true)}</td>
                <td>{r.reward === undefined ? "–" : formatAmount(r.reward, "TTD", 18, 4)}</td>
                <td>{struckCell(r)}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>No rounds of yours yet in this subnet.</p>
        )}
        <p className="hint">
          Edge is your agreement minus the lagged agreement (what copying last round&apos;s consensus scores);
          dividends pay for edge once the median moves past it. Strikes are judged with the thresholds in
          force now.
        </p>
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
