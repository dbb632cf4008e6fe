/** Contribute: the subnets with their metrics and weights; register (bond); my consensus scores and
 * earnings per round; claim. */
import { useId, useState } from "react";
import { encodeFunctionData } from "viem";
import { ensureAllowance } from "../lib/tokens";
import { subnetAbi } from "../generated/abis";
import { useAction, useApp, useChainQuery, useNow } from "../lib/app";
import { SUBNETS } from "../lib/deployment";
import { TTD, countdown, formatAmount, formatBps } from "../lib/format";
import { METRIC_NAMES, ZERO, useSubnets } from "../lib/subnets";
import { Card, DataTable, ErrorNote, Loading, TxButton, TxStatus, WalletGate } from "../components/ui";
import { FinalizeButton } from "../components/Finalize";

function useMyScores() {
  const { contracts, account, chain } = useApp();
  return useChainQuery(
    ["my-scores", account ?? ZERO],
    async (c) => {
      if (!account) return [];
      const all = await Promise.all(
        SUBNETS.map(async (s) => {
          const logs = await c.getContractEvents({
            address: contracts[s.subnet],
            abi: subnetAbi,
            eventName: "ConsensusScore",
            args: { contributor: account },
            fromBlock: BigInt(chain.startBlock),
          });
          return logs.map((l) => ({
            subnet: s.name,
            round: l.args.round ?? 0n,
            score: l.args.score ?? 0n,
            reward: l.args.reward ?? 0n,
          }));
        }),
      );
      return all.flat().sort((a, b) => Number(b.round - a.round));
    },
    { refetchMs: 10_000 },
  );
}

export default function Contribute() {
  const { contracts, account, client } = useApp();
  const now = useNow();
  const subnets = useSubnets();
  const scores = useMyScores();
  const register = useAction("register");
  const claim = useAction("contrib-claim");
  const [which, setWhich] = useState(0);
  const [uri, setUri] = useState("");
  const subnetId = useId();
  const uriId = useId();

  if (subnets.error) return <ErrorNote error={subnets.error} />;
  if (!subnets.data) return <Loading what="the subnets" />;
  const list = subnets.data;
  const chosen = list[which] ?? list[0];

  async function onRegister() {
    if (!chosen || !account) return;
    const bond = chosen.params.bond;
    const spender = chosen.address;
    // The registration fee (burned, priced by demand) is pulled with the bond.
    const fee = await client.readContract({
      address: spender,
      abi: subnetAbi,
      functionName: "registrationFee",
    });
    const allowance = { token: contracts.Tetrad, owner: account, spender, amount: bond + fee };
    if (!(await ensureAllowance(client, register, "Approve bond and fee", allowance))) return;
    const ok = await register.send(
      "Register",
      {
        to: chosen.address,
        data: encodeFunctionData({ abi: subnetAbi, functionName: "register", args: [uri.trim()] }),
      },
      {
        units: TTD,
        now,
        round: { round: chosen.round, commitEnd: chosen.commitEnd, revealEnd: chosen.revealEnd },
      },
    );
    if (ok) setUri("");
  }

  return (
    <>
      <h1>Contribute</h1>
      <p className="lede">
        Builders, community and compute providers register in a subnet with a bond (paid back when they leave)
        and a registration fee (burned; priced by demand). Validators score every contributor each round; the
        stake-weighted consensus decides who earns what.
      </p>
      <Card id="sn-h" title="Subnets">
        <DataTable columns={["Subnet", "Weight", "Metrics (weights)", "Contributors", "Bond", "Round"]}>
          {list.map((s) => (
            <tr key={s.key}>
              <th scope="row">{s.name}</th>
              <td>
                {formatBps(s.weight)} of the {s.bucketName} ({formatBps(s.bucketShare)} of emission)
              </td>
              <td>
                <ul className="plain">
                  {s.metricWeights.map((w, i) => (
                    <li key={i}>
                      {(s.metricWeights.length === METRIC_NAMES.length ? METRIC_NAMES[i] : undefined) ??
                        `metric ${i + 1}`}
                      : {formatBps(w)}
                    </li>
                  ))}
                </ul>
              </td>
              <td>{s.contributors} / 256</td>
              <td>{formatAmount(s.params.bond, "TTD", 18, 2)}</td>
              <td>
                {String(s.round)}: {s.phase}
                {s.phase === "commit" ? ` (reveal in ${countdown(s.commitEnd, now)})` : ""}
                {s.phase === "reveal" ? ` (closes in ${countdown(s.revealEnd, now)})` : ""}
                {s.phase === "closed" ? (
                  <FinalizeButton subnet={s.address} round={s.round} name={s.name} />
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>

      <WalletGate what="register or claim">
        <div className="grid2">
          <Card id="reg-h" title="Register as a contributor">
            <ul className="plain" data-testid="my-registrations">
              {list.map((s) => (
                <li key={s.key}>
                  {s.name}:{" "}
                  {s.contributorSlot !== undefined ? (
                    <strong>registered (slot {String(s.contributorSlot)})</strong>
                  ) : (
                    "not registered"
                  )}
                </li>
              ))}
            </ul>
            <div className="field">
              <label htmlFor={subnetId}>Subnet</label>
              <select id={subnetId} value={which} onChange={(e) => setWhich(Number(e.target.value))}>
                {list.map((s, i) => (
                  <option key={s.key} value={i}>
                    {s.name} (bond {formatAmount(s.params.bond, "TTD", 18, 2)})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={uriId}>Link to your work (repository, app, endpoint)</label>
              <input
                id={uriId}
                name="uri"
                value={uri}
                onChange={(e) => setUri(e.target.value)}
                placeholder="https://…"
              />
            </div>
            <p className="hint">
              The bond is locked while you are registered and returned when you leave or are replaced.
            </p>
            <button type="button" onClick={() => void onRegister()} disabled={register.busy}>
              Approve bond and register
            </button>
            <TxStatus action={register} testId="register-status" />
          </Card>

          <Card id="earn-h" title="Your scores and earnings">
            {scores.data && scores.data.length > 0 ? (
              <DataTable columns={["Subnet", "Round", "Consensus score", "Earned"]}>
                {scores.data.map((r) => (
                  <tr key={`${r.subnet}-${r.round}`}>
                    <td>{r.subnet}</td>
                    <td>{String(r.round)}</td>
                    <td>{String(r.score)}</td>
                    <td>{formatAmount(r.reward, "TTD", 18, 4)}</td>
                  </tr>
                ))}
              </DataTable>
            ) : (
              <p>No scored finalizedEvents yet.</p>
            )}
            <ul className="plain">
              {list.map((s) => (
                <li key={s.key}>
                  {s.name}: <strong>{formatAmount(s.claimable, "TTD", 18, 4)}</strong> to claim{" "}
                  <TxButton
                    action={claim}
                    label={`Claim from ${s.name}`}
                    secondary
                    disabled={s.claimable === 0n}
                    to={s.address}
                    data={encodeFunctionData({ abi: subnetAbi, functionName: "claim" })}
                  >
                    Claim
                  </TxButton>
                </li>
              ))}
            </ul>
            <TxStatus action={claim} />
          </Card>
        </div>
      </WalletGate>
    </>
  );
}
