/**
 * The subnet market's part of the simulation report (market.ts): the `market` object of summary.json,
 * market-daily.csv and market-subnets.csv, its charts (vega-lite specs, rendered like the others) and
 * its section of index.html and of the text summary.
 */
import type { TopLevelSpec } from "vega-lite/build/index";
import { BUCKET_NAMES } from "../chain/constants";
import { fmt } from "../chain/format";
import { Chart, lineSpec } from "./charts";
import { escapeHtml, htmlTable } from "./html";
import { MARKET } from "./market-agents";
import { MarketResult, MarketSubnet, REVENUE_WINDOW_DAYS, revenue } from "./market";
import { fixed, sumBig, ttd, ttdNumber } from "./metrics";
import { Reconciliation } from "./reconcile";

const bucketName = (b: number) => BUCKET_NAMES[b];

/** Subnets live at the end of the run, by their last day's emission share (largest first). */
function liveByShare(m: MarketResult): MarketSubnet[] {
  const last = m.rows.length;
  return m.subnets
    .filter((s) => s.retiredDay === null)
    .sort((a, b) => (b.shareByDay.get(last) ?? 0) - (a.shareByDay.get(last) ?? 0) || a.index - b.index);
}

/** Sum of a bigint column over the last `days` rows. */
function lastDays(m: MarketResult, days: number, f: (r: MarketResult["rows"][number]) => bigint): bigint {
  return sumBig(m.rows.slice(-days).map(f));
}

/** The `market` object of summary.json (deterministic). */
export function marketSummary(m: MarketResult, r: Reconciliation): Record<string, unknown> {
  const last = m.rows.length;
  const ledger = r.market;
  const live = liveByShare(m);
  return {
    subnetsPerBucket: m.config.subnets,
    subnetsLaunched: m.subnets.length,
    subnetsRetired: m.subnets.filter((s) => s.retiredDay !== null).length,
    liveAtEnd: [0, 1, 2].map((b) => ({
      bucket: bucketName(b),
      live: live.filter((s) => s.bucket === b).length,
    })),
    // Every burn of the run: launch costs, fee burns, registration fees (all subnets).
    burnedTtd: ttd(r.burned),
    launchBurnedTtd: ttd(ledger?.launchBurned ?? 0n),
    feeBurnedTtd: ttd(ledger?.feesBurned ?? 0n),
    registrationBurnedTtd: ttd(r.burned - (ledger?.launchBurned ?? 0n) - (ledger?.feesBurned ?? 0n)),
    mintedTtd: ttd(r.minted),
    netIssuanceTtd: ttd(r.minted - r.burned),
    last30Days: {
      mintedTtd: ttd(lastDays(m, 30, (x) => x.minted)),
      burnedTtd: ttd(lastDays(m, 30, (x) => x.burned)),
      netIssuanceTtd: ttd(lastDays(m, 30, (x) => x.netIssuance)),
      feesPaidTtd: ttd(lastDays(m, 30, (x) => x.fees)),
    },
    feesPaidTtd: ttd(m.tally.feesPaid),
    unmetDemandTtd: ttd(m.tally.unmet),
    // Where the buyers' TTD came from: the desk bought it from holders (stakers, genesis contributors),
    // launched subnets' contributors (miners) and owners.
    desk: {
      boughtTtd: ttd(m.tally.bought),
      soldTtd: ttd(m.tally.sold),
      fromHoldersTtd: ttd(m.tally.sellers.holders),
      fromMinersTtd: ttd(m.tally.sellers.miners),
      fromOwnersTtd: ttd(m.tally.sellers.owners),
    },
    launchCostAtEndTtd: ttd(m.rows[last - 1]?.launchCost ?? 0n),
    launchesUnfunded: m.launchesUnfunded,
    gaugeVotes: m.voters.reduce((a, v) => a + v.votes, 0),
    pokes: m.pokes,
    voters: {
      informed: m.voters.filter((v) => v.kind === "informed").length,
      random: m.voters.filter((v) => v.kind === "random").length,
    },
    genesisShareBpsAtEnd: Number(fixed(m.rows[last - 1]?.genesisShareBps ?? 0, 2)),
    marketShareBpsAtEnd: Number(fixed(m.rows[last - 1]?.marketShareBps ?? 0, 2)),
    revenueWindowDays: REVENUE_WINDOW_DAYS,
    demandEmissionRankCorrelation: Number(fixed(m.demandEmissionRankCorrelation, 4)),
    liveSubnets: live.map((s) => ({
      name: s.name,
      bucket: bucketName(s.bucket),
      quality: Number(fixed(s.quality, 4)),
      launchedDay: s.launchedDay + 1,
      launchCostTtd: ttd(s.launchCost),
      feeRevenueTtd: ttd(revenue(s, last)),
      emissionShareBps: Number(fixed(s.shareByDay.get(last) ?? 0, 2)),
    })),
  };
}

/** market-daily.csv: one line per day. */
export function marketDailyRows(m: MarketResult): { header: string[]; rows: (string | number | bigint)[][] } {
  return {
    header: [
      "day",
      ...[0, 1, 2].map((b) => `live_${bucketName(b)}`),
      "launched",
      "retired",
      "launch_cost_ttd",
      "fees_ttd",
      "fee_burned_ttd",
      "launch_burned_ttd",
      "registration_burned_ttd",
      "burned_ttd",
      "minted_ttd",
      "net_issuance_ttd",
      "supply_ttd",
      "genesis_share_bps",
      "market_share_bps",
      "unmet_demand_ttd",
      "desk_ttd",
      "market_transactions",
    ],
    rows: m.rows.map((r) => [
      r.day,
      ...r.live,
      r.launched,
      r.retired,
      ttd(r.launchCost),
      ttd(r.fees),
      ttd(r.feesBurned),
      ttd(r.launchBurned),
      ttd(r.registrationBurned),
      ttd(r.burned),
      ttd(r.minted),
      ttd(r.netIssuance),
      ttd(r.supply),
      fixed(r.genesisShareBps, 2),
      fixed(r.marketShareBps, 2),
      ttd(r.unmet),
      ttd(r.desk),
      r.transactions,
    ]),
  };
}

/** market-subnets.csv: every launched subnet. */
export function marketSubnetRows(m: MarketResult): {
  header: string[];
  rows: (string | number | bigint)[][];
} {
  const last = m.rows.length;
  return {
    header: [
      "index",
      "name",
      "bucket",
      "gauge_id",
      "quality",
      "launched_day",
      "retired_day",
      "closed_day",
      "launch_cost_ttd",
      "fees_paid_ttd",
      "fees_burned_ttd",
      `fee_revenue_last_${REVENUE_WINDOW_DAYS}d_ttd`,
      "unmet_demand_ttd",
      "emission_pulled_ttd",
      "emission_share_end_bps",
      "rounds",
    ],
    rows: m.subnets.map((s) => [
      s.index,
      s.name,
      bucketName(s.bucket),
      s.id,
      fixed(s.quality, 4),
      s.launchedDay + 1,
      s.retiredDay === null ? "" : s.retiredDay + 1,
      s.closedDay === null ? "" : s.closedDay + 1,
      ttd(s.launchCost),
      ttd(s.feesPaid),
      ttd(s.feesBurned),
      ttd(revenue(s, last)),
      ttd(s.unmet),
      ttd(s.pulled),
      s.retiredDay === null ? fixed(s.shareByDay.get(last) ?? 0, 2) : "",
      s.rounds,
    ]),
  };
}

/** Each live subnet's fee revenue against its emission share at the last day: one point per subnet. */
function demandSpec(m: MarketResult): TopLevelSpec {
  const last = m.rows.length;
  const values = liveByShare(m).map((s) => ({
    subnet: s.name,
    bucket: bucketName(s.bucket),
    revenue: ttdNumber(revenue(s, last)),
    share: (s.shareByDay.get(last) ?? 0) / 100,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Fee revenue (last ${REVENUE_WINDOW_DAYS} days) vs emission share at the end, live launched subnets (Spearman ${m.demandEmissionRankCorrelation.toFixed(2)})`,
    width: 820,
    height: 300,
    config: {
      background: "white",
      font: "Helvetica, Arial, sans-serif",
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e6e6e6" },
      legend: { orient: "top", labelFontSize: 11, title: null },
      title: { fontSize: 15, anchor: "start" },
    },
    data: { values },
    mark: { type: "point", filled: true, size: 70 },
    encoding: {
      x: { field: "revenue", type: "quantitative", title: "fee revenue (TTD)" },
      y: { field: "share", type: "quantitative", title: "share of all emission (%)" },
      color: {
        field: "bucket",
        type: "nominal",
        scale: { domain: ["code", "community", "compute"], range: ["#0072B2", "#E69F00", "#009E73"] },
      },
    },
  } as TopLevelSpec;
}

/** The market's charts, after the run's own. */
export function marketCharts(m: MarketResult): Chart[] {
  const days = m.rows.map((r) => r.day);
  const chart = (file: string, spec: TopLevelSpec): Chart => ({ file, title: String(spec.title), spec });
  /** TTD per day: a line for each column of the rows, `dashed` for a reference line. */
  const ttdPerDay = (
    file: string,
    title: string,
    lines: readonly [name: string, column: (r: MarketResult["rows"][number]) => bigint, dashed?: boolean][],
  ): Chart =>
    chart(
      file,
      lineSpec({
        title,
        yTitle: "TTD per day",
        days,
        lines: lines.map(([name, column, dashed]) => ({
          name,
          values: m.rows.map((r) => ttdNumber(column(r))),
          dashed,
        })),
      }),
    );
  // Emission share by subnet: the five largest at the end, the rest of the launched ones, the genesis subnets.
  const top = liveByShare(m).slice(0, 5);
  const topSet = new Set(top.map((s) => s.index));
  const others = m.rows.map((r) => {
    let sum = 0;
    for (const s of m.subnets) if (!topSet.has(s.index)) sum += s.shareByDay.get(r.day) ?? 0;
    return sum / 100;
  });
  return [
    chart(
      "market-live.svg",
      lineSpec({
        title: "Live launched subnets per bucket",
        yTitle: "subnets",
        days,
        lines: [0, 1, 2].map((b) => ({ name: bucketName(b), values: m.rows.map((r) => r.live[b]) })),
      }),
    ),
    chart(
      "market-shares.svg",
      lineSpec({
        title: "Share of all emission by subnet (end of day)",
        yTitle: "% of emission",
        days,
        lines: [
          ...top.map((s) => ({
            name: `${s.name} (usefulness ${s.quality.toFixed(2)})`,
            values: m.rows.map((r) =>
              s.shareByDay.has(r.day) ? (s.shareByDay.get(r.day) ?? 0) / 100 : Number.NaN,
            ),
          })),
          { name: "other launched subnets", values: others },
          {
            name: "genesis subnets (floor)",
            values: m.rows.map((r) => r.genesisShareBps / 100),
            dashed: true,
          },
        ],
      }),
    ),
    ttdPerDay("market-fees.svg", "Fees paid to launched subnets per day", [
      ["fees paid", (r) => r.fees],
      ["of which burned", (r) => r.feesBurned, true],
    ]),
    ttdPerDay("market-burned.svg", "Burned per day", [
      ["all burns", (r) => r.burned],
      ["fee burns", (r) => r.feesBurned],
      ["launch costs", (r) => r.launchBurned],
    ]),
    ttdPerDay("market-issuance.svg", "Net issuance per day (minted - burned)", [
      ["net issuance", (r) => r.netIssuance],
      ["minted", (r) => r.minted, true],
    ]),
    chart("market-demand.svg", demandSpec(m)),
  ];
}

/** The market's headline lines (index.html and the text summary). */
export function marketLines(m: MarketResult, r: Reconciliation): string[] {
  const s = marketSummary(m, r) as {
    subnetsLaunched: number;
    subnetsRetired: number;
    burnedTtd: string;
    netIssuanceTtd: string;
  };
  const ledger = r.market;
  const live = [0, 1, 2].map((b) => `${bucketName(b)} ${m.rows[m.rows.length - 1]?.live[b] ?? 0}`).join(", ");
  const last30 = (f: (x: MarketResult["rows"][number]) => bigint) => fmt(lastDays(m, 30, f), 0);
  return [
    `${s.subnetsLaunched} subnets launched, ${s.subnetsRetired} retired (a launch into a full bucket replaces its weakest); live at the end: ${live} (at most ${m.config.subnets} per bucket, beside the genesis subnet with a ${MARKET.genesisFloorBps / 100}% floor)`,
    `burned ${fmt(r.burned, 0)} TTD: launch costs ${fmt(ledger?.launchBurned ?? 0n, 0)}, fee burns ${fmt(ledger?.feesBurned ?? 0n, 0)}, registration fees ${fmt(r.burned - (ledger?.launchBurned ?? 0n) - (ledger?.feesBurned ?? 0n), 0)}; minted ${fmt(r.minted, 0)}; net issuance ${fmt(r.minted - r.burned, 0)} TTD`,
    `last 30 days: minted ${last30((x) => x.minted)}, burned ${last30((x) => x.burned)}, net issuance ${last30((x) => x.netIssuance)} TTD; fees paid ${last30((x) => x.fees)} TTD`,
    `users paid ${fmt(m.tally.feesPaid, 0)} TTD of fees (${fmt(m.tally.unmet, 0)} TTD of demand unmet: the desk had no TTD to sell); a launch costs ${fmt(m.rows[m.rows.length - 1]?.launchCost ?? 0n, 0)} TTD at the end`,
    `the desk bought ${fmt(m.tally.bought, 0)} TTD: ${fmt(m.tally.sellers.holders, 0)} from stakers and genesis contributors, ${fmt(m.tally.sellers.miners, 0)} from launched subnets' contributors, ${fmt(m.tally.sellers.owners, 0)} from their owners`,
    `gauge: ${m.voters.length} holders on the panel (${m.voters.filter((v) => v.kind === "random").length} vote at random), ${m.voters.reduce((a, v) => a + v.votes, 0)} ballots, ${m.pokes} pokes`,
    `fee revenue (last ${REVENUE_WINDOW_DAYS} days) vs emission share at the end, live launched subnets: Spearman ${m.demandEmissionRankCorrelation.toFixed(3)}`,
  ];
}

/** The market's section of index.html. */
export function marketHtml(m: MarketResult, r: Reconciliation): string {
  const last = m.rows.length;
  const live = liveByShare(m);
  return [
    ...marketLines(m, r).map((l) => `<p>${escapeHtml(l)}</p>`),
    "<h3>Live launched subnets at the end</h3>",
    htmlTable(
      [
        "subnet",
        "bucket",
        "usefulness",
        "launched day",
        "launch cost TTD",
        `fees ${REVENUE_WINDOW_DAYS} d TTD`,
        "emission share",
      ],
      live.map((s) => [
        s.name,
        bucketName(s.bucket),
        s.quality.toFixed(2),
        String(s.launchedDay + 1),
        fmt(s.launchCost, 0),
        fmt(revenue(s, last), 2),
        `${((s.shareByDay.get(last) ?? 0) / 100).toFixed(2)}%`,
      ]),
    ),
  ].join("\n");
}
