/** The protocol at a glance, read-only: supply against the schedule, today's emission and its split,
 * the protection fund, subnets and weights, the next distribution, and a Distribute button for anyone. */
import { erc20Abi, encodeFunctionData } from "viem";
import { contributionBucketAbi, emissionControllerAbi, subnetAbi } from "../generated/abis";
import { readAll, useAction, useApp, useChainQuery, useNow } from "../lib/app";
import { SUBNETS } from "../lib/deployment";
import { compactTokens, countdown, formatAmount, formatBps, formatDate, formatShare } from "../lib/format";
import { BUCKETS } from "../lib/proposals";
import { Card, DataTable, ErrorNote, Loading, Stat, TxButton, TxStatus, WalletGate } from "../components/ui";
import { SupplyChart } from "../components/SupplyChart";
import { netIssuance, subnetDisplayName } from "../../../scripts/lib/shared/market";

const DAY = 86_400n;

export function useEmission() {
  const { contracts } = useApp();
  const controller = { address: contracts.EmissionController, abi: emissionControllerAbi } as const;
  return useChainQuery(["emission"], async (c) => {
    const [[start, end, total, emitted, pending, last, shares], supply, fund] = await Promise.all([
      readAll(c, controller, [
        "scheduleStart",
        "scheduleEnd",
        "scheduleTotal",
        "totalEmitted",
        "pendingEmission",
        "lastDistribution",
        "shares",
      ]),
      c.readContract({ address: contracts.Tetrad, abi: erc20Abi, functionName: "totalSupply" }),
      c.readContract({
        address: contracts.Tetrad,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [contracts.ProtectionFund],
      }),
    ]);
    const [day0, day1] = await Promise.all([
      c.readContract({ ...controller, functionName: "emittedBetween", args: [start, start + DAY] }),
      c.readContract({
        ...controller,
        functionName: "emittedBetween",
        args: [start + DAY, start + 2n * DAY],
      }),
    ]);
    return {
      start,
      end,
      total,
      emitted,
      pending,
      last,
      shares: shares.map(Number),
      supply,
      fund,
      day0,
      decrease: day0 - day1,
    };
  });
}

function useToday(start?: bigint, end?: bigint, now?: bigint) {
  const { contracts } = useApp();
  const day = start !== undefined && now !== undefined && now >= start ? (now - start) / DAY : 0n;
  const from = start !== undefined ? start + day * DAY : 0n;
  const to = end !== undefined && from + DAY > end ? end : from + DAY;
  return useChainQuery(
    ["today", String(from)],
    async (c) =>
      from < to
        ? c.readContract({
            address: contracts.EmissionController,
            abi: emissionControllerAbi,
            functionName: "emittedBetween",
            args: [from, to],
          })
        : 0n,
    { enabled: start !== undefined, refetchMs: 60_000 },
  );
}

/** Each bucket's live subnets, their share of it now and their names (launched subnets name themselves). */
function useSubnetWeights() {
  const { contracts } = useApp();
  return useChainQuery(["bucket-weights"], async (c) =>
    Promise.all(
      SUBNETS.map(async (s) => {
        const [subnets, bps] = await c.readContract({
          address: contracts[s.bucket],
          abi: contributionBucketAbi,
          functionName: "weights",
        });
        const names = await Promise.all(
          subnets.map((address) => c.readContract({ address, abi: subnetAbi, functionName: "name" })),
        );
        return [subnets, bps, names] as const;
      }),
    ),
  );
}

export function Overview() {
  const { contracts } = useApp();
  const now = useNow();
  const e = useEmission();
  const today = useToday(e.data?.start, e.data?.end, now);
  const weights = useSubnetWeights();
  const distribute = useAction("distribute");
  const names: Record<string, string> = {};
  for (const s of SUBNETS) names[contracts[s.subnet].toLowerCase()] = s.name;

  if (e.error) return <ErrorNote error={e.error} />;
  if (!e.data) return <Loading what="the emission" />;
  const d = e.data;
  const dayIndex = now >= d.start ? (now - d.start) / DAY : 0n;
  const nextDay = d.start + (dayIndex + 1n) * DAY;
  const scheduledNow = d.emitted + d.pending;
  const todays = today.data;
  const issuance = netIssuance(d.emitted, d.supply);

  return (
    <>
      <h1>Overview</h1>
      <p className="lede">
        TTD is minted on a fixed schedule and split into five buckets. Anyone can trigger the distribution.
      </p>
      <Card id="supply-h" title="Supply against the schedule">
        <dl className="stats">
          <Stat label="TTD supply" value={formatAmount(d.supply, "TTD", 18, 2)} testId="supply" />
          <Stat label="Scheduled by now" value={formatAmount(scheduledNow, "TTD", 18, 2)} />
          <Stat label="Cap (whole schedule)" value={`${compactTokens(d.total)} TTD`} />
          <Stat
            label="Schedule"
            value={`${formatDate(d.start).slice(0, 10)} → ${formatDate(d.end).slice(0, 10)}`}
          />
        </dl>
        <SupplyChart
          start={d.start}
          end={d.end}
          total={d.total}
          day0={d.day0}
          decrease={d.decrease}
          now={now}
          supply={d.supply}
        />
      </Card>

      <Card id="today-h" title={<>Today&apos;s emission</>}>
        <p>
          Day {String(dayIndex + 1n)}:{" "}
          <strong data-testid="today">
            {todays !== undefined ? formatAmount(todays, "TTD", 18, 2) : "…"}
          </strong>
          , split by bucket:
        </p>
        <DataTable columns={["Bucket", "Share", "Today"]} caption="Today's emission by bucket">
          {BUCKETS.map((b, i) => (
            <tr key={b}>
              <th scope="row">{b}</th>
              <td data-testid={`share-${b}`}>{formatBps(d.shares[i] ?? 0)}</td>
              <td>
                {todays !== undefined
                  ? formatAmount((todays * BigInt(d.shares[i] ?? 0)) / 10_000n, "TTD", 18, 2)
                  : "…"}
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>

      <div className="grid2">
        <Card id="dist-h" title="Distribution">
          <dl className="stats">
            <Stat
              label="Waiting to be minted"
              value={formatAmount(d.pending, "TTD", 18, 2)}
              testId="pending-emission"
            />
            <Stat label="Last distribution" value={d.last > 0n ? formatDate(d.last) : "never"} />
            <Stat
              label="Next daily distribution in"
              value={<span data-testid="next-distribution">{countdown(nextDay, now)}</span>}
            />
          </dl>
          <p className="hint">Emission accrues every second; anyone may mint and split it at any time.</p>
          <WalletGate what="distribute">
            <TxButton
              action={distribute}
              label="Distribute"
              to={contracts.EmissionController}
              data={encodeFunctionData({ abi: emissionControllerAbi, functionName: "distribute" })}
            >
              Distribute
            </TxButton>
          </WalletGate>
          <TxStatus action={distribute} testId="distribute-status" />
        </Card>

        <Card id="issuance-h" title="Net issuance">
          <p className="big" data-testid="net-issuance">
            {formatAmount(issuance.net, "TTD", 18, 2)}
          </p>
          <dl className="stats">
            <Stat
              label="Minted (emission so far)"
              value={formatAmount(issuance.minted, "TTD", 18, 2)}
              testId="minted"
            />
            <Stat label="Burned" value={formatAmount(issuance.burned, "TTD", 18, 2)} testId="burned" />
          </dl>
          <p className="hint">
            Minted less burned. Subnet launch costs, the burn share of subnets&apos; fees and registration
            fees are burned: when usage burns more than the emission mints, net issuance falls.
          </p>
        </Card>

        <Card id="fund-h" title="Protection fund">
          <p className="big" data-testid="protection-fund">
            {formatAmount(d.fund, "TTD", 18, 2)}
          </p>
          <p className="hint">
            An emergency reserve ({formatBps(d.shares[4] ?? 0)} of the emission plus slashed stake); only
            governance can spend it.
          </p>
        </Card>
      </div>

      <Card id="subnets-h" title="Subnets and their shares">
        {weights.data ? (
          <DataTable columns={["Bucket", "Subnet", "Share of the bucket", "Of all emission"]}>
            {SUBNETS.flatMap((s, i) => {
              const [subnets, bps, labels] = weights.data[i] ?? [[], [], []];
              if (subnets.length === 0)
                return [
                  <tr key={s.key}>
                    <th scope="row">{s.key}</th>
                    <td colSpan={3}>no subnet yet (the bucket accumulates)</td>
                  </tr>,
                ];
              return subnets.map((addr, j) => (
                <tr key={`${s.key}-${addr}`}>
                  <th scope="row">{s.key}</th>
                  <td>{subnetDisplayName(labels[j] ?? "", addr, names)}</td>
                  <td>{formatBps(bps[j] ?? 0)}</td>
                  <td>{formatShare(BigInt(bps[j] ?? 0) * BigInt(d.shares[i] ?? 0), 100_000_000n)}</td>
                </tr>
              ));
            })}
          </DataTable>
        ) : (
          <Loading what="subnet weights" />
        )}
      </Card>
    </>
  );
}
