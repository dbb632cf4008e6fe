/** Subnets: the market. Each bucket's live subnets with their emission share (the gauge), votes, fees and
 * lifecycle; launch a subnet (the cost shown: approve, then launch); vote a bucket's gauge with your
 * power for this period (it applies from the next); pay a subnet's fee (one permit signature). */
import { useId, useState } from "react";
import { encodeFunctionData, parseEventLogs, type Address } from "viem";
import { contributionBucketAbi, subnetAbi, subnetFactoryAbi } from "../generated/abis";
import { useAction, useApp, useChainQuery, useNow } from "../lib/app";
import { contractNames } from "../lib/deployment";
import {
  TTD,
  countdown,
  formatAmount,
  formatBps,
  formatDate,
  formatDuration,
  formatTokens,
  shortAddress,
} from "../lib/format";
import {
  bucketTiming,
  useMarket,
  useMyGauges,
  type BucketView,
  type MarketView,
  type MyGauge,
} from "../lib/market";
import {
  ballotFromPercents,
  launchFromFields,
  percentTotalBps,
  percentsFromBallot,
  type LaunchFields,
} from "../lib/market-form";
import { permitDomain, signPermit } from "../lib/permit";
import { ensureAllowance } from "../lib/tokens";
import {
  LIFECYCLE_TEXT,
  MarketError,
  ballotText,
  costAfterLaunch,
  feeRef,
  feeSplit,
  gaugePoolText,
  noPowerReason,
  powerRuleText,
  voteAppliesText,
} from "../../../scripts/lib/shared/market";
import {
  AmountForm,
  Card,
  DataTable,
  ErrorNote,
  Loading,
  Stat,
  TxStatus,
  WalletGate,
} from "../components/ui";

const ttd = (wei: bigint, digits = 2) => formatAmount(wei, "TTD", 18, digits);
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export default function Subnets() {
  const market = useMarket();
  const mine = useMyGauges();
  const now = useNow();
  if (market.error) return <ErrorNote error={market.error} />;
  if (!market.data) return <Loading what="the subnet market" />;
  const m = market.data;
  return (
    <>
      <h1>Subnets</h1>
      <p className="lede">
        Anyone launches a subnet into a contribution bucket by burning the launch cost. TTD holders split each
        bucket&apos;s emission among its subnets with gauge votes, period by period. Users pay subnets&apos;
        fees in TTD: part is burned, the rest pays the subnet&apos;s contributors and validators.
      </p>
      <Card id="cost-h" title="Launch cost">
        <dl className="stats">
          <Stat label="Launch cost now (burned)" value={ttd(m.cost)} testId="launch-cost" />
          <Stat label="Right after the next launch" value={ttd(costAfterLaunch(m.cost, m.pricing))} />
          <Stat label="Subnets launched" value={String(m.launched)} testId="launched" />
          <Stat label="Owner share at most" value={formatBps(m.bounds.maxOwnerShareBps)} />
        </dl>
        <p className="hint">
          Each launch doubles the cost; it decays back linearly over{" "}
          {formatDuration(BigInt(m.pricing.decayPeriod))}, never under {ttd(m.pricing.minCost)} or over{" "}
          {ttd(m.pricing.maxCost)}. The cost is burned, not locked: a subnet retired to make room (or killed
          by governance) does not get it back.
        </p>
      </Card>
      {m.buckets.map((b) => (
        <BucketCard key={b.key} b={b} now={now} />
      ))}
      <WalletGate what="launch a subnet, vote or pay a fee">
        <div className="grid2">
          <LaunchForm m={m} balance={mine.data?.balance} />
          <VoteForm m={m} gauges={mine.data?.gauges} votes={mine.data?.votes} now={now} />
        </div>
        <PayForm m={m} now={now} balance={mine.data?.balance} />
      </WalletGate>
    </>
  );
}

function BucketCard({ b, now }: { b: BucketView; now: bigint }) {
  const t = bucketTiming(b, now);
  return (
    <Card id={`bucket-${b.key}-h`} title={`${capitalized(b.key)} bucket`}>
      <p>
        {formatBps(b.emissionShare)} of all emission; {b.subnets.length} of {b.maxSubnets} subnet slots used.
        Gauge period <strong data-testid={`period-${b.key}`}>{String(t.period)}</strong> ends{" "}
        {formatDate(t.next)} (in {countdown(t.next, now)}): {gaugePoolText(b.floorSum)}, each subnet&apos;s
        gauge part capped at {formatBps(b.capBps)} of the bucket; {formatBps(b.feeBurnBps)} of every fee is
        burned.
      </p>
      <DataTable
        columns={[
          "Id",
          "Subnet",
          "Owner",
          "Share of the bucket",
          "Votes in force",
          "Next period",
          "Fees paid",
          "Burned",
          "Lifecycle",
        ]}
        caption={`Live subnets of the ${b.key} bucket`}
      >
        {b.subnets.map((x) => (
          <tr key={x.subnet} data-testid={`subnet-${b.key}-${x.id}`}>
            <td>#{x.id}</td>
            <th scope="row">
              {x.uri.startsWith("https://") ? <a href={x.uri}>{x.label}</a> : x.label}
              {x.floor > 0 ? <span className="hint"> (floor {formatBps(x.floor)})</span> : null}
            </th>
            <td title={x.owner}>{shortAddress(x.owner)}</td>
            <td data-testid={`subnet-share-${b.key}-${x.id}`}>{formatBps(x.shareBps)}</td>
            <td data-testid={`subnet-votes-${b.key}-${x.id}`}>{ttd(x.votes.current)}</td>
            <td>{ttd(x.votes.next)}</td>
            <td data-testid={`subnet-fees-${b.key}-${x.id}`}>{ttd(x.fees.paid)}</td>
            <td>{ttd(x.fees.burned)}</td>
            <td title={LIFECYCLE_TEXT[x.lifecycle]}>{x.lifecycle}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

/** A labelled select of the three buckets. */
function BucketSelect({ value, onChange, m }: { value: number; onChange(i: number): void; m: MarketView }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Bucket</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {m.buckets.map((b) => (
          <option key={b.key} value={b.index}>
            {b.key}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextField(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string;
  inputMode?: "decimal" | "text";
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete="off"
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function LaunchForm({ m, balance }: { m: MarketView; balance?: bigint }) {
  const { contracts, account, client } = useApp();
  const launch = useAction("launch");
  const [bucket, setBucket] = useState(0);
  const [uri, setUri] = useState("");
  const b = m.buckets[bucket] ?? m.buckets[0];
  const [fields, setFields] = useState<LaunchFields>({
    name: "",
    ownerShare: String(m.bounds.maxOwnerShareBps / 100),
    bond: formatTokens(b?.base.settings.bond ?? 0n, 18, 18).replace(/,/g, ""),
  });
  const [result, setResult] = useState<string>();
  if (!b) return null;
  const checked = launchFromFields(fields, b.base.settings, b.base.weights, m.bounds);
  const set = (k: keyof LaunchFields) => (v: string) => setFields((f) => ({ ...f, [k]: v }));

  async function onLaunch() {
    if (!account || !b) return;
    if (!checked.ok) return launch.fail("Launch", checked.error);
    setResult(undefined);
    const factory = contracts.SubnetFactory;
    // The cost now (it moves with other launches and decays with time): approve exactly it, and refuse
    // to burn more (maxCost).
    const cost = await client.readContract({
      address: factory,
      abi: subnetFactoryAbi,
      functionName: "launchCost",
    });
    const allowance = { token: contracts.Tetrad, owner: account, spender: factory, amount: cost };
    if (!(await ensureAllowance(client, launch, "Approve the launch cost", allowance))) return;
    const data = encodeFunctionData({
      abi: subnetFactoryAbi,
      functionName: "launch",
      args: [BigInt(b.index), fields.name, uri.trim(), checked.value, b.base.weights, cost],
    });
    const receipt = await launch.send("Launch", { to: factory, data }, { units: TTD });
    if (!receipt) return;
    const [ev] = parseEventLogs({ abi: subnetFactoryAbi, logs: receipt.logs, eventName: "SubnetLaunched" });
    if (ev) {
      setResult(
        `${ev.args.name} launched in the ${b.key} bucket: gauge id ${ev.args.id}, subnet ${ev.args.subnet}; ` +
          `${ttd(ev.args.cost)} burned`,
      );
      setFields((f) => ({ ...f, name: "" }));
      setUri("");
    }
  }

  return (
    <Card id="launch-h" title="Launch a subnet">
      <p>
        Launch cost now: <strong data-testid="launch-form-cost">{ttd(m.cost)}</strong>, burned
        {balance !== undefined ? <> (you have {ttd(balance)})</> : null}.
      </p>
      <BucketSelect value={bucket} onChange={setBucket} m={m} />
      <TextField label="Subnet name" value={fields.name} onChange={set("name")} placeholder="1 to 32 bytes" />
      <TextField label="Metadata URI" value={uri} onChange={setUri} placeholder="https://… or ipfs://…" />
      <TextField
        label="Owner share (%)"
        value={fields.ownerShare}
        onChange={set("ownerShare")}
        inputMode="decimal"
      />
      <TextField
        label="Contributor bond (TTD)"
        value={fields.bond}
        onChange={set("bond")}
        inputMode="decimal"
      />
      <p className="hint">
        You own the subnet: you earn the owner share (at most {formatBps(m.bounds.maxOwnerShareBps)}) of each
        round, set its metadata and, through governance&apos;s bounds, its bond ({ttd(m.bounds.minBond)} to{" "}
        {ttd(m.bounds.maxBond)}). Other settings and the metric weights start as the {b.key} bucket&apos;s
        genesis subnet&apos;s ({b.base.weights.map((w) => formatBps(w)).join(", ")}).
      </p>
      {!checked.ok && fields.name !== "" ? (
        <p className="hint" data-testid="launch-problems">
          {checked.error}
        </p>
      ) : null}
      <button type="button" onClick={() => void onLaunch()} disabled={launch.busy}>
        Approve and launch
      </button>
      <TxStatus action={launch} testId="launch-status" />
      {result ? (
        <p role="status" data-testid="launch-result">
          {result}
        </p>
      ) : null}
    </Card>
  );
}

function VoteForm({
  m,
  gauges,
  votes,
  now,
}: {
  m: MarketView;
  gauges?: MyGauge[];
  votes?: bigint;
  now: bigint;
}) {
  const { contracts, account } = useApp();
  const vote = useAction("gauge-vote");
  const poke = useAction("gauge-poke");
  const [bucket, setBucket] = useState(0);
  const [edited, setEdited] = useState<Record<number, string> | undefined>();
  const b = m.buckets[bucket] ?? m.buckets[0];
  const g = gauges?.[bucket];
  if (!b) return null;
  const known = contractNames(contracts);
  const t = bucketTiming(b, now);
  const percents = edited ?? (g ? percentsFromBallot(g.ballot) : {});
  const total = percentTotalBps(percents);
  const checked = ballotFromPercents(percents, b.subnets, b.maxVotes);
  const why = g && votes !== undefined ? noPowerReason(g.power, votes, t) : undefined;
  const stale = g !== undefined && g.ballot.ids.length > 0 && g.ballotPower !== g.power;

  async function onVote() {
    if (!b) return;
    if (!checked.ok) return vote.fail("Vote", checked.error);
    const data = encodeFunctionData({
      abi: contributionBucketAbi,
      functionName: "vote",
      args: [checked.value.ids.map(BigInt), checked.value.bps.map(BigInt)],
    });
    if (await vote.send("Vote", { to: b.address, data })) setEdited(undefined);
  }

  async function onPoke() {
    if (!b || !account) return;
    const data = encodeFunctionData({ abi: contributionBucketAbi, functionName: "poke", args: [account] });
    await poke.send("Poke", { to: b.address, data });
  }

  return (
    <Card id="vote-h" title="Vote the gauge">
      <BucketSelect
        value={bucket}
        onChange={(i) => {
          setBucket(i);
          setEdited(undefined);
        }}
        m={m}
      />
      <p>
        Your voting power in period {String(t.period)}:{" "}
        <strong data-testid="gauge-power">{g ? ttd(g.power) : "…"}</strong>
      </p>
      <p className="hint">
        Your {powerRuleText(b.lookback)}.{why ? ` It is zero: ${why}.` : ""}
      </p>
      <p>
        Your ballot:{" "}
        <span data-testid="gauge-ballot">
          {g ? ballotText(g.ballot, b.subnets, known) : "…"}
          {g && g.ballot.ids.length > 0
            ? ` with ${ttd(g.ballotPower)} (read in period ${String(g.ballotPeriod)})`
            : ""}
        </span>
      </p>
      {stale ? (
        <p className="hint">
          Your ballot applies {ttd(g.ballotPower)}, your power now is {ttd(g.power)}: voting again or a poke
          (anyone may) re-reads it.{" "}
          <button type="button" className="secondary" onClick={() => void onPoke()} disabled={poke.busy}>
            Poke my ballot
          </button>
        </p>
      ) : null}
      <TxStatus action={poke} testId="poke-status" />
      <fieldset>
        <legend>Share of your power per subnet</legend>
        {b.subnets.map((x) => (
          <TextField
            key={x.subnet}
            label={`${x.label} (%)`}
            value={percents[x.id] ?? ""}
            inputMode="decimal"
            placeholder="0"
            onChange={(v) => setEdited({ ...percents, [x.id]: v })}
          />
        ))}
      </fieldset>
      <p className="hint">
        Total: <span data-testid="vote-total">{Number.isNaN(total) ? "—" : formatBps(total)}</span> of your
        power (at most 100%; at most {b.maxVotes} subnets). Your vote{" "}
        <span data-testid="vote-applies">{voteAppliesText(t, formatDate)}</span>: a vote never counts in the
        period it is cast in. It carries over until you change it.
      </p>
      {!checked.ok ? <p className="hint">{checked.error}</p> : null}
      <button type="button" onClick={() => void onVote()} disabled={vote.busy}>
        Vote
      </button>
      <TxStatus action={vote} testId="vote-status" />
    </Card>
  );
}

function PayForm({ m, now, balance }: { m: MarketView; now: bigint; balance?: bigint }) {
  const { contracts, account, client, chain } = useApp();
  const pay = useAction("pay-fee");
  const subnetId = useId();
  const options = m.buckets.flatMap((b) =>
    b.subnets.filter((x) => x.lifecycle === "live").map((x) => ({ b, x })),
  );
  const [selected, setSelected] = useState<string>("");
  const [ref, setRef] = useState("");
  const permit = useChainQuery(["permit-domain", contracts.Tetrad], (c) =>
    permitDomain(c, contracts.Tetrad, chain.chainId),
  );
  const chosen = options.find((o) => o.x.subnet === selected) ?? options[0];
  if (!chosen) return null;
  const split = feeSplit(10_000n, chosen.b.feeBurnBps);

  async function onPay(amount: bigint): Promise<boolean> {
    if (!account || !chosen) return false;
    let refHex: `0x${string}`;
    try {
      refHex = feeRef(ref);
    } catch (e) {
      pay.fail("Pay", e instanceof MarketError ? e.message : String(e));
      return false;
    }
    const subnet: Address = chosen.x.subnet;
    const ctx = { units: TTD, now };
    const allowance = { token: contracts.Tetrad, owner: account, spender: subnet, amount };
    const domain = permit.data;
    if (domain) {
      const signed = await signPermit(client, pay, domain, allowance, now);
      if (!signed) return false;
      const { deadline, v, r, s } = signed;
      const data = encodeFunctionData({
        abi: subnetAbi,
        functionName: "payFeeWithPermit",
        args: [amount, refHex, deadline, v, r, s],
      });
      if ((await pay.send("Pay", { to: subnet, data }, ctx)) === undefined) return false;
      setRef("");
      return true;
    }
    if (!(await ensureAllowance(client, pay, "Approve", allowance))) return false;
    const data = encodeFunctionData({ abi: subnetAbi, functionName: "payFee", args: [amount, refHex] });
    if ((await pay.send("Pay", { to: subnet, data }, ctx)) === undefined) return false;
    setRef("");
    return true;
  }

  return (
    <Card id="pay-h" title="Pay a subnet's fee">
      <div className="field">
        <label htmlFor={subnetId}>Subnet</label>
        <select id={subnetId} value={chosen.x.subnet} onChange={(e) => setSelected(e.target.value)}>
          {options.map(({ b, x }) => (
            <option key={x.subnet} value={x.subnet}>
              {x.label} ({b.key} bucket, #{x.id})
            </option>
          ))}
        </select>
      </div>
      <TextField label="Reference (what you pay for)" value={ref} onChange={setRef} placeholder="order-42" />
      <AmountForm
        verb="pay"
        units={TTD}
        max={balance}
        action={pay}
        submit={permit.data ? "Sign permit and pay" : "Approve and pay"}
        onSubmit={onPay}
      >
        <p className="hint">
          {formatBps(Number(split.burned))} of a fee is burned; {formatBps(Number(split.toRound))} goes to the{" "}
          {chosen.x.label}&apos;s next round (its contributors and validators). It has taken{" "}
          {ttd(chosen.x.fees.paid)} in fees so far, {ttd(chosen.x.fees.burned)} of it burned.
          {permit.data ? " TTD supports permits: one signature and one transaction." : ""}
        </p>
      </AmountForm>
    </Card>
  );
}
