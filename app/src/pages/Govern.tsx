/** Govern: proposals (state, Markdown description, readable calls, votes, quorum, countdowns); vote
 * directly or by signature; delegate directly or by signature; relay signatures; create a proposal from
 * typed actions with a preview; queue and execute. */
import { useId, useMemo, useState } from "react";
import { encodeFunctionData, isAddress, type Address, type Hex } from "viem";
import { governorAbi, tetradAbi } from "../generated/abis";
import { useAction, useApp, useNow } from "../lib/app";
import { contractNames } from "../lib/deployment";
import { TTD, countdown, formatAmount, formatDate, formatShare, shortAddress } from "../lib/format";
import {
  SUPPORT,
  ballotTypedData,
  delegationTypedData,
  parseSigned,
  stringifySigned,
  useProposals,
  useVotingPower,
  type GovernorDomain,
  type ProposalView,
  type SignedMessage,
} from "../lib/governance";
import { describeCall, proposalTitle, type BuildContext } from "../lib/proposals";
import { splitSignature } from "../lib/permit";
import { useTokenMeta } from "../lib/tokens";
import { Markdown } from "../components/Markdown";
import { Card, ErrorNote, Loading, Stat, TxButton, TxStatus, WalletGate } from "../components/ui";
import { ProposalBuilder } from "../components/ProposalBuilder";

function useBuildContext(): BuildContext {
  const { contracts } = useApp();
  const stake = useTokenMeta(contracts.StakingToken);
  return useMemo(
    () => ({
      controller: contracts.EmissionController,
      protectionFund: contracts.ProtectionFund,
      names: contractNames(contracts),
      tokens: {
        [contracts.Tetrad.toLowerCase()]: TTD,
        ...(stake.data
          ? {
              [contracts.StakingToken.toLowerCase()]: {
                symbol: stake.data.symbol,
                decimals: stake.data.decimals,
              },
            }
          : {}),
      },
    }),
    [contracts, stake.data],
  );
}

/** The EIP-712 domain of the token or the Governor, and `account`'s nonce there: what a signature needs. */
async function signingContext(
  client: ReturnType<typeof useApp>["client"],
  address: Address,
  abi: typeof governorAbi | typeof tetradAbi,
  account: Address,
): Promise<{ domain: GovernorDomain; nonce: bigint }> {
  const contract = { address, abi: abi as typeof tetradAbi } as const;
  const [[, name, version, chainId, verifyingContract], nonce] = await Promise.all([
    client.readContract({ ...contract, functionName: "eip712Domain" }),
    client.readContract({ ...contract, functionName: "nonces", args: [account] }),
  ]);
  return { domain: { name, version, chainId: Number(chainId), verifyingContract }, nonce };
}

export default function Govern() {
  const power = useVotingPower();
  const proposals = useProposals();
  const ctx = useBuildContext();
  const now = useNow();
  return (
    <>
      <h1>Govern</h1>
      <p className="lede">
        TTD holders set every parameter through proposals: vote, delegate, propose. Executed proposals run
        through the Timelock after its delay.
      </p>
      {power.data ? <VotingPower power={power.data} /> : <Loading what="your voting power" />}
      <Card id="props-h" title="Proposals">
        {proposals.error ? <ErrorNote error={proposals.error} /> : null}
        {proposals.data?.length === 0 ? <p>No proposals yet.</p> : null}
        {proposals.data?.map((p) => (
          <ProposalCard key={String(p.id)} p={p} ctx={ctx} now={now} />
        ))}
      </Card>
      <Relay />
      <WalletGate what="create a proposal">
        <ProposalBuilder ctx={ctx} threshold={power.data?.threshold} votes={power.data?.votes} />
      </WalletGate>
    </>
  );
}

function VotingPower({ power }: { power: NonNullable<ReturnType<typeof useVotingPower>["data"]> }) {
  const { contracts, account, client, chain } = useApp();
  const now = useNow();
  const [mode, setMode] = useState<"self" | "other">("self");
  const [other, setOther] = useState("");
  const [signed, setSigned] = useState<SignedMessage | undefined>();
  const direct = useAction("delegate");
  const bySig = useAction("delegate-sig");
  const otherId = useId();
  const delegatee = (mode === "self" ? account : other.trim()) as Address | undefined;
  const delegateName =
    power.delegate === "0x0000000000000000000000000000000000000000"
      ? "nobody (your tokens do not vote yet)"
      : power.delegate.toLowerCase() === account?.toLowerCase()
        ? "yourself"
        : power.delegate;

  function check(a: ReturnType<typeof useAction>): Address | undefined {
    if (!delegatee || !isAddress(delegatee)) {
      a.fail("Delegate", "enter the delegate's address (0x…)");
      return undefined;
    }
    return delegatee;
  }

  async function onSign() {
    const to = check(bySig);
    if (!to || !account) return;
    const { domain, nonce } = await signingContext(client, contracts.Tetrad, tetradAbi, account);
    const expiry = now + 7n * 86_400n;
    const signature = await bySig.sign(
      "Delegation signature",
      delegationTypedData(domain, to, nonce, expiry),
    );
    if (!signature) return;
    setSigned({
      kind: "tetrad-delegation",
      chainId: chain.chainId,
      delegator: account,
      delegatee: to,
      nonce: String(nonce),
      expiry: String(expiry),
      signature,
    });
  }

  return (
    <Card id="vp-h" title="Your voting power">
      <dl className="stats">
        <Stat label="TTD balance" value={formatAmount(power.balance, "TTD", 18, 4)} />
        <Stat label="Votes" value={formatAmount(power.votes, "TTD", 18, 4)} testId="votes" />
        <Stat label="Delegated to" value={delegateName} testId="delegate" />
        <Stat label="Needed to propose" value={formatAmount(power.threshold, "TTD", 18, 2)} />
        <Stat label="Quorum" value={`${String(power.quorumNum)}% of the supply at the snapshot`} />
        <Stat
          label="Voting"
          value={`opens ${countdown(power.delay, 0n)} after a proposal, lasts ${countdown(power.period, 0n)}`}
        />
      </dl>
      <WalletGate what="delegate">
        <fieldset>
          <legend>Delegate your votes</legend>
          {(
            [
              ["self", "To yourself"],
              ["other", "To someone else"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="inline">
              <input
                type="radio"
                name="delegate-to"
                checked={mode === value}
                onChange={() => setMode(value)}
              />{" "}
              {text}
            </label>
          ))}
          {mode === "other" ? (
            <div className="field">
              <label htmlFor={otherId}>Delegate&apos;s address</label>
              <input
                id={otherId}
                value={other}
                onChange={(e) => setOther(e.target.value)}
                placeholder="0x…"
                className="mono"
              />
            </div>
          ) : null}
          <div className="row">
            <button
              type="button"
              disabled={direct.busy}
              onClick={() => {
                const to = check(direct);
                if (to)
                  void direct.send("Delegate", {
                    to: contracts.Tetrad,
                    data: encodeFunctionData({ abi: tetradAbi, functionName: "delegate", args: [to] }),
                  });
              }}
            >
              Delegate (transaction)
            </button>
            <button type="button" className="secondary" disabled={bySig.busy} onClick={() => void onSign()}>
              Delegate by signature
            </button>
          </div>
        </fieldset>
        <TxStatus action={direct} testId="delegate-status" />
        <TxStatus action={bySig} testId="delegate-sig-status" />
        {signed ? <SignedOutput signed={signed} /> : null}
      </WalletGate>
    </Card>
  );
}

/** A signature, to copy for a relayer, or to submit now from the connected wallet. */
function SignedOutput({ signed }: { signed: SignedMessage }) {
  const id = useId();
  const text = stringifySigned(signed);
  return (
    <div className="signed">
      <label htmlFor={id}>
        Signed {signed.kind === "tetrad-vote" ? "vote" : "delegation"}: anyone can submit it and pay the gas
      </label>
      <textarea id={id} readOnly value={text} rows={3} className="mono" data-testid="signed-output" />
      <RelayButton signed={signed} label="Submit this signature now" />
    </div>
  );
}

function relayCall(
  m: SignedMessage,
  contracts: ReturnType<typeof useApp>["contracts"],
): { to: Address; data: Hex } {
  if (m.kind === "tetrad-vote") {
    const id = BigInt(m.proposalId);
    return {
      to: contracts.TetradGovernor,
      data:
        m.reason === ""
          ? encodeFunctionData({
              abi: governorAbi,
              functionName: "castVoteBySig",
              args: [id, m.support, m.voter, m.signature],
            })
          : encodeFunctionData({
              abi: governorAbi,
              functionName: "castVoteWithReasonAndParamsBySig",
              args: [id, m.support, m.voter, m.reason, "0x", m.signature],
            }),
    };
  }
  const { v, r, s } = splitSignature(m.signature);
  return {
    to: contracts.Tetrad,
    data: encodeFunctionData({
      abi: tetradAbi,
      functionName: "delegateBySig",
      args: [m.delegatee, BigInt(m.nonce), BigInt(m.expiry), v, r, s],
    }),
  };
}

function RelayButton({ signed, label }: { signed: SignedMessage; label: string }) {
  const { contracts } = useApp();
  const relay = useAction(`relay-${signed.signature.slice(0, 10)}`);
  return (
    <>
      <button
        type="button"
        disabled={relay.busy}
        onClick={() =>
          void relay.send(
            signed.kind === "tetrad-vote" ? "Submit signed vote" : "Submit signed delegation",
            relayCall(signed, contracts),
          )
        }
      >
        {label}
      </button>
      <TxStatus action={relay} testId="relay-status" />
    </>
  );
}

function Relay() {
  const { contracts } = useApp();
  const [text, setText] = useState("");
  const relay = useAction("relay");
  const id = useId();
  const parsed = text.trim() === "" ? undefined : parseSigned(text.trim());
  return (
    <Card id="relay-h" title={<>Submit someone&apos;s signature</>}>
      <p className="hint">
        Votes and delegations signed in a wallet cost their signer no gas: paste one here and submit it.
      </p>
      <WalletGate what="submit a signature">
        <div className="field">
          <label htmlFor={id}>Signed vote or delegation (JSON)</label>
          <textarea
            id={id}
            rows={3}
            className="mono"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="relay-input"
          />
        </div>
        {typeof parsed === "string" ? <p role="alert">{parsed}</p> : null}
        {parsed && typeof parsed !== "string" ? (
          <p>
            {parsed.kind === "tetrad-vote"
              ? `${shortAddress(parsed.voter)} votes ${SUPPORT[parsed.support] ?? parsed.support} on proposal ${parsed.proposalId.slice(0, 10)}…${parsed.reason ? ` ("${parsed.reason}")` : ""}`
              : `${shortAddress(parsed.delegator)} delegates to ${shortAddress(parsed.delegatee)}`}
          </p>
        ) : null}
        <button
          type="button"
          disabled={relay.busy || !parsed || typeof parsed === "string"}
          onClick={async () => {
            if (parsed && typeof parsed !== "string") {
              const ok = await relay.send("Submit signature", relayCall(parsed, contracts));
              if (ok) setText("");
            }
          }}
        >
          Submit signature
        </button>
        <TxStatus action={relay} testId="relay-box-status" />
      </WalletGate>
    </Card>
  );
}

function Meter({
  label,
  value,
  max,
  testId,
}: {
  label: string;
  value: bigint;
  max: bigint;
  testId?: string;
}) {
  const pct = max === 0n ? 0 : Number((value * 1000n) / max) / 10;
  return (
    <div className="meter-row">
      <span>{label}</span>
      <meter min={0} max={100} value={Math.min(100, pct)} aria-label={label} />
      <span data-testid={testId}>
        {formatAmount(value, "TTD", 18, 2)} ({formatShare(value, max)})
      </span>
    </div>
  );
}

function ProposalCard({ p, ctx, now }: { p: ProposalView; ctx: BuildContext; now: bigint }) {
  const { contracts, account, client, chain } = useApp();
  const [support, setSupport] = useState(1);
  const [reason, setReason] = useState("");
  const [signed, setSigned] = useState<SignedMessage | undefined>();
  const vote = useAction(`vote-${p.id}`);
  const sigVote = useAction(`sigvote-${p.id}`);
  const lifecycle = useAction(`lifecycle-${p.id}`);
  const reasonId = useId();
  const total = p.for + p.against + p.abstain;
  const quorumVotes = p.for + p.abstain;
  const title = proposalTitle(p.description);
  const errCtx = { now, proposal: { snapshot: p.snapshot, deadline: p.deadline, eta: p.eta } };

  const when =
    p.state === "Pending"
      ? `voting opens in ${countdown(p.snapshot + 1n, now)}`
      : p.state === "Active"
        ? `voting ends in ${countdown(p.deadline, now)}`
        : p.state === "Queued"
          ? p.eta > now
            ? `executable in ${countdown(p.eta, now)}`
            : "executable now"
          : p.state === "Succeeded"
            ? "ready to queue"
            : "";

  async function onSignVote() {
    if (!account) return;
    const { domain, nonce } = await signingContext(client, contracts.TetradGovernor, governorAbi, account);
    const signature = await sigVote.sign(
      "Vote signature",
      ballotTypedData(domain, p.id, support, account, nonce, reason.trim()),
    );
    if (!signature) return;
    setSigned({
      kind: "tetrad-vote",
      chainId: chain.chainId,
      proposalId: String(p.id),
      support,
      voter: account,
      reason: reason.trim(),
      signature,
    });
  }

  return (
    <article className="proposal" aria-labelledby={`p-${p.id}`} data-testid="proposal">
      <header>
        <h3 id={`p-${p.id}`}>{title}</h3>
        <p>
          <span className={`badge state-${p.state.toLowerCase()}`} data-testid="proposal-state">
            {p.state}
          </span>{" "}
          {when ? <span data-testid="proposal-when">{when}</span> : null} · by {shortAddress(p.proposer)} · id{" "}
          <span className="mono">{String(p.id).slice(0, 10)}…</span>
        </p>
      </header>
      <details>
        <summary>Description</summary>
        <Markdown source={p.description} headingOffset={3} />
      </details>
      <h4>What it does</h4>
      <ol data-testid="proposal-calls">
        {p.targets.map((t, i) => (
          <li key={i}>{safeDescribe(t, p.calldatas[i] ?? "0x", ctx)}</li>
        ))}
      </ol>
      <h4>Votes</h4>
      <Meter label="For" value={p.for} max={total} testId="votes-for" />
      <Meter label="Against" value={p.against} max={total} />
      <Meter label="Abstain" value={p.abstain} max={total} />
      <div className="meter-row">
        <span>Quorum</span>
        <meter
          min={0}
          max={100}
          value={p.quorum === 0n ? 100 : Math.min(100, Number((quorumVotes * 1000n) / p.quorum) / 10)}
          aria-label="Quorum progress"
        />
        <span data-testid="quorum">
          {formatAmount(quorumVotes, "TTD", 18, 2)} of {formatAmount(p.quorum, "TTD", 18, 2)} (
          {formatShare(quorumVotes, p.quorum)})
        </span>
      </div>
      <p className="hint">
        Snapshot {formatDate(p.snapshot)}, deadline {formatDate(p.deadline)}
        {p.eta > 0n ? `, executable from ${formatDate(p.eta)}` : ""}.
      </p>
      <WalletGate what="vote">
        {p.state === "Active" ? (
          p.hasVoted ? (
            <p>You have voted on this proposal.</p>
          ) : (
            <fieldset>
              <legend>Your vote</legend>
              {SUPPORT.map((s, i) => (
                <label key={s} className="inline">
                  <input
                    type="radio"
                    name={`support-${p.id}`}
                    checked={support === i}
                    onChange={() => setSupport(i)}
                  />{" "}
                  {s}
                </label>
              ))}
              <div className="field">
                <label htmlFor={reasonId}>Reason (optional, recorded on chain)</label>
                <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} />
              </div>
              <div className="row">
                <button
                  type="button"
                  disabled={vote.busy}
                  onClick={() =>
                    void vote.send(
                      `Vote ${SUPPORT[support]}`,
                      {
                        to: contracts.TetradGovernor,
                        data:
                          reason.trim() === ""
                            ? encodeFunctionData({
                                abi: governorAbi,
                                functionName: "castVote",
                                args: [p.id, support],
                              })
                            : encodeFunctionData({
                                abi: governorAbi,
                                functionName: "castVoteWithReason",
                                args: [p.id, support, reason.trim()],
                              }),
                      },
                      errCtx,
                    )
                  }
                >
                  Vote
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={sigVote.busy}
                  onClick={() => void onSignVote()}
                >
                  Sign vote (gasless)
                </button>
              </div>
            </fieldset>
          )
        ) : null}
        <TxStatus action={vote} testId="vote-status" />
        <TxStatus action={sigVote} testId="sign-vote-status" />
        {signed ? <SignedOutput signed={signed} /> : null}
        {p.state === "Succeeded" || p.state === "Queued" ? (
          <TxButton
            action={lifecycle}
            label={p.state === "Succeeded" ? "Queue" : "Execute"}
            disabled={p.state === "Queued" && p.eta > now}
            to={contracts.TetradGovernor}
            data={encodeFunctionData({
              abi: governorAbi,
              functionName: p.state === "Succeeded" ? "queue" : "execute",
              args: [p.id],
            })}
            ctx={errCtx}
          >
            {p.state === "Succeeded" ? "Queue in the Timelock" : "Execute"}
          </TxButton>
        ) : null}
        <TxStatus action={lifecycle} testId="lifecycle-status" />
      </WalletGate>
    </article>
  );
}

function safeDescribe(target: Address, data: Hex, ctx: BuildContext): string {
  try {
    return describeCall(target, data, ctx);
  } catch {
    return `Call ${data.slice(0, 10)} on ${ctx.names[target.toLowerCase()] ?? target}`;
  }
}
