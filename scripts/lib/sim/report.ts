/**
 * The simulation's report: index.html (one self-contained page), CSV time series and per-agent tables
 * (csv-stringify), SVG charts (charts.ts), a deterministic summary.json (the same seed gives the same
 * file), run.json (wall time, addresses), and the text summary printed on stdout.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { BUCKET_NAMES, Bucket } from "../chain/constants";
import { fmt, table } from "../chain/format";
import { VALIDATOR_KINDS } from "./agents";
import { stringify } from "csv-stringify/sync";
import { renderSvg, reportCharts } from "./charts";
import { coalitionStats } from "./coalition";
import { Section, escapeHtml, htmlTable, reportHtml } from "./html";
import {
  marketCharts,
  marketDailyRows,
  marketHtml,
  marketLines,
  marketSubnetRows,
  marketSummary,
} from "./market-report";
import { fixed, gini, spearman, sumBig, ttd, ttdNumber } from "./metrics";
import { CONTRIBUTION_BUCKETS, DayRow, SimResult } from "./scenario";

const DAY_SECONDS = 86_400;

/** A CSV cell: numbers and bigints as they print, booleans as true/false, non-finite numbers empty. */
export type Cell = string | number | bigint | boolean;

/**
 * A CSV document (csv-stringify): the header line, then one line per row, `\n` line ends and a final
 * newline; cells holding a comma, a quote or a line break are quoted. A row whose length differs from
 * the header's is a RangeError.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  if (header.length === 0) throw new RangeError("toCsv: empty header");
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`toCsv: row ${i} has ${row.length} cells, the header ${header.length}`);
    }
  });
  return stringify([header, ...rows] as Cell[][], {
    cast: {
      boolean: (v) => String(v),
      bigint: (v) => v.toString(),
      number: (v) => (Number.isFinite(v) ? String(v) : ""),
    },
  });
}
const CONTRIB_NAMES = CONTRIBUTION_BUCKETS.map((b) => BUCKET_NAMES[b]);

/** Header and rows of daily.csv: one line per simulated day. */
export function dailyCsv(rows: readonly DayRow[]): string {
  const header = [
    "day",
    "elapsed_days",
    "supply_ttd",
    "schedule_cumulative_ttd",
    "burned_ttd",
    "supply_plus_burned_minus_schedule_wei",
    "minted_ttd",
    ...BUCKET_NAMES.map((n) => `emission_${n}_ttd`),
    ...BUCKET_NAMES.map((n) => `share_${n}_bps`),
    ...[...CONTRIB_NAMES, "capital"].map((n) => `gini_${n}`),
    "capital_staked_lp",
    "stakers_in",
    ...CONTRIB_NAMES.map((n) => `contributor_rewards_${n}_ttd`),
    ...CONTRIB_NAMES.map((n) => `carried_${n}_ttd`),
    ...CONTRIB_NAMES.map((n) => `reveals_${n}`),
    ...VALIDATOR_KINDS.map((k) => `dividends_${k}_ttd`),
    ...VALIDATOR_KINDS.map((k) => `validators_${k}`),
    "expelled",
    "protection_fund_ttd",
    "proposal",
    "transactions",
  ];
  const body = rows.map((r): Cell[] => [
    r.day,
    fixed(Number(r.elapsed) / DAY_SECONDS),
    ttd(r.supply),
    ttd(r.scheduleCumulative),
    ttd(r.burned),
    r.supply + r.burned - r.scheduleCumulative,
    ttd(r.minted),
    ...r.emission.map(ttd),
    ...r.shares,
    ...r.gini.map((g) => fixed(g)),
    ttd(r.capitalStaked),
    r.stakersIn,
    ...r.contributorRewards.map(ttd),
    ...r.carried.map(ttd),
    ...r.reveals,
    ...r.dividends.map(ttd),
    ...r.activeValidators,
    r.expelled,
    ttd(r.protectionFund),
    r.proposal,
    r.transactions,
  ]);
  return toCsv(header, body);
}

/** contributors.csv: every contributor's profile and what it earned. */
export function contributorsCsv(result: SimResult): string {
  return toCsv(
    [
      "bucket",
      "index",
      "quality",
      "reliability",
      "friend",
      "slot",
      "registered_day",
      "output",
      "earned_ttd",
      "claimed_ttd",
    ],
    result.contributors.map((c) => [
      BUCKET_NAMES[c.bucket],
      c.index,
      fixed(c.profile.quality),
      fixed(c.profile.reliability),
      c.profile.friend,
      c.slot,
      c.registeredDay,
      c.output,
      ttd(c.earned),
      ttd(c.claimed),
    ]),
  );
}

/** validators.csv: every validator's kind, stake, rounds, agreement, dividends and expulsions. */
export function validatorsCsv(result: SimResult): string {
  return toCsv(
    [
      "bucket",
      "index",
      "kind",
      "stake_ttd",
      "dividend_rounds",
      "mean_agreement_bps",
      "earned_ttd",
      "expelled_no_reveal",
      "expelled_low_agreement",
      "expelled_inactive",
      "status",
    ],
    result.validators.map((v) => [
      BUCKET_NAMES[v.bucket],
      v.index,
      v.kind,
      ttd(v.stake),
      v.reveals,
      v.reveals === 0 ? "" : fixed(v.agreementSum / v.reveals, 1),
      ttd(v.earned),
      v.expelledNoReveal,
      v.expelledLowAgreement,
      v.expelledInactive,
      v.status,
    ]),
  );
}

/** stakers.csv: every capital staker's plan and rewards. */
export function stakersCsv(result: SimResult): string {
  return toCsv(
    ["index", "kind", "budget_lp", "entry_day", "deposits", "exits", "staked_lp", "claimed_ttd", "owed_ttd"],
    result.stakers.map((s) => [
      s.index,
      s.plan.kind,
      ttd(s.plan.budget),
      s.plan.entryDay,
      s.deposits,
      s.exits,
      ttd(s.staked),
      ttd(s.claimed),
      ttd(s.pending),
    ]),
  );
}

/** Per validator kind: how many, their dividends, agreement and expulsions. */
export function validatorStats(result: SimResult) {
  return VALIDATOR_KINDS.map((kind) => {
    const vs = result.validators.filter((v) => v.kind === kind);
    const dividends = sumBig(vs.map((v) => v.earned));
    const stake = sumBig(vs.map((v) => v.stake));
    const rounds = vs.reduce((a, v) => a + v.reveals, 0);
    return {
      kind,
      count: vs.length,
      dividends,
      perValidator: vs.length === 0 ? 0n : dividends / BigInt(vs.length),
      /** Dividends per staked TTD, in TTD. */
      perStakedTtd: stake === 0n ? 0 : Number((dividends * 10n ** 12n) / stake) / 1e12,
      meanAgreementBps: rounds === 0 ? 0 : vs.reduce((a, v) => a + v.agreementSum, 0) / rounds,
      expelledNoReveal: vs.reduce((a, v) => a + v.expelledNoReveal, 0),
      expelledLowAgreement: vs.reduce((a, v) => a + v.expelledLowAgreement, 0),
      expelledInactive: vs.reduce((a, v) => a + v.expelledInactive, 0),
    };
  });
}

/** Per contribution bucket: contributors, Gini, rank correlation of reward with quality, the friends' take. */
export function bucketStats(result: SimResult) {
  return CONTRIBUTION_BUCKETS.map((b) => {
    const cs = result.contributors.filter((c) => c.bucket === b && c.slot >= 0);
    const earned = sumBig(cs.map((c) => c.earned));
    const output = sumBig(cs.map((c) => c.output));
    const friends = cs.filter((c) => c.profile.friend);
    const share = (part: bigint, whole: bigint) =>
      whole === 0n ? 0 : Number((part * 10n ** 9n) / whole) / 1e9;
    return {
      bucket: BUCKET_NAMES[b],
      contributors: cs.length,
      earned,
      gini: gini(cs.map((c) => c.earned)),
      rewardQualityRankCorrelation: spearman(
        cs.map((c) => c.profile.quality),
        cs.map((c) => ttdNumber(c.earned)),
      ),
      friends: friends.length,
      friendsRewardShare: share(sumBig(friends.map((c) => c.earned)), earned),
      friendsOutputShare: share(sumBig(friends.map((c) => c.output)), output),
    };
  });
}

/** The deterministic summary (no wall time, no addresses): what summary.json holds. */
export function buildSummary(result: SimResult): Record<string, unknown> {
  const last = result.rows[result.rows.length - 1];
  const first = result.rows[0];
  const r = result.reconciliation;
  const g = result.governance;
  const everStaked = result.stakers.filter((s) => s.everStaked);
  return {
    scenario: result.config,
    transactions: result.transactions,
    supplyTtd: ttd(r.supply),
    scheduleCumulativeTtd: ttd(r.scheduleCumulative),
    burnedTtd: ttd(r.burned),
    // supply + registration fees burned - the schedule's cumulative amount (0: every wei reconciled).
    supplyMinusScheduleWei: (r.supply + r.burned - r.scheduleCumulative).toString(),
    lastDistributionElapsedSeconds: last ? last.elapsed.toString() : "0",
    // The protection fund's balance as a share of the supply at the end of the run (issue 15 item 5).
    protectionFundSupplyPct:
      last && last.supply > 0n ? Number((last.protectionFund * 1_000_000n) / last.supply) / 10_000 : 0,
    buckets: BUCKET_NAMES.map((name, i) => ({
      bucket: name,
      shareStartBps: first ? first.shares[i] : null,
      shareEndBps: last ? last.shares[i] : null,
      receivedWei: r.received[i].toString(),
      receivedTtd: ttd(r.received[i]),
      giniEnd: i < 4 && last ? Number(fixed(last.gini[i])) : null,
    })),
    contributors: bucketStats(result).map((b) => ({
      ...b,
      earned: ttd(b.earned),
      gini: Number(fixed(b.gini)),
      rewardQualityRankCorrelation: Number(fixed(b.rewardQualityRankCorrelation, 4)),
      friendsRewardShare: Number(fixed(b.friendsRewardShare, 4)),
      friendsOutputShare: Number(fixed(b.friendsOutputShare, 4)),
    })),
    coalition: coalitionSummary(result),
    validators: validatorStats(result).map((v) => ({
      ...v,
      dividends: ttd(v.dividends),
      perValidator: ttd(v.perValidator),
      perStakedTtd: Number(fixed(v.perStakedTtd, 6)),
      meanAgreementBps: Number(fixed(v.meanAgreementBps, 1)),
    })),
    capital: {
      stakers: result.stakers.length,
      everStaked: everStaked.length,
      claimedTtd: ttd(r.capital.claimed),
      owedTtd: ttd(r.capital.pending),
      unstreamedTtd: ttd(r.capital.unstreamed),
      carryWei: r.capital.carry.toString(),
      floorsWei: r.capital.floors.toString(),
      giniEnd: last ? Number(fixed(last.gini[3])) : 0,
    },
    governance: {
      ...g,
      votesFor: ttd(g.votesFor),
      votesAgainst: ttd(g.votesAgainst),
      votesAbstain: ttd(g.votesAbstain),
      quorum: ttd(g.quorum),
    },
    reconciliation: { ok: r.ok, checks: r.checks },
    ...(result.market ? { market: marketSummary(result.market, r) } : {}),
  };
}

/**
 * The coalition's friends' premium (coalition.ts): `friendsPremium` round by round after onboarding,
 * the subnets pooled; `sharePremium` the whole run's reward share over output share of the worst subnet.
 */
export function coalitionSummary(result: SimResult): Record<string, unknown> {
  const c = coalitionStats(result);
  const n = (x: number) => Number(fixed(x, 4));
  return {
    friendsPremium: n(c.friendsPremium),
    worstSubnetPremium: n(c.worstSubnetPremium),
    sharePremium: n(c.sharePremium),
    pooledSharePremium: n(c.pooledSharePremium),
    subnets: c.subnets.map((s) => ({
      bucket: s.bucket,
      friends: s.friends,
      colludingStakeShare: n(s.colludingStakeShare),
      sharePremium: n(s.sharePremium),
      roundPremium: n(s.roundPremium),
      onboardedPremium: n(s.onboardedPremium),
      onboardedRounds: s.onboardedRounds,
      coalitionMajorityRounds: s.coalitionMajorityRounds,
    })),
  };
}

/** JSON with bigints as strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
}

/** The report's charts rendered to SVG, in the report's order. */
export async function renderCharts(
  result: SimResult,
): Promise<{ file: string; title: string; svg: string }[]> {
  const out: { file: string; title: string; svg: string }[] = [];
  for (const c of [...reportCharts(result), ...(result.market ? marketCharts(result.market) : [])])
    out.push({ file: c.file, title: c.title, svg: await renderSvg(c.spec) });
  return out;
}

/** Where the run took place, in words: "the in-process Hardhat network" or "anvil/v1.7.1". */
export function chainText(result: SimResult): string {
  const client = result.environment.client;
  return client.startsWith("HardhatNetwork") ? "the in-process Hardhat network" : client;
}

/**
 * Writes the report folder: index.html (the whole report in one self-contained page), the CSV tables,
 * summary.json, run.json and the charts as SVG files. Returns the paths written. `runtime` goes into
 * run.json as well (scripts/simulate.ts: the anvil child's memory and CPU).
 */
export async function writeReport(
  result: SimResult,
  dir: string,
  runtime: Record<string, unknown> = {},
): Promise<string[]> {
  await fs.mkdir(path.join(dir, "charts"), { recursive: true });
  const files: Record<string, string> = {
    "daily.csv": dailyCsv(result.rows),
    "contributors.csv": contributorsCsv(result),
    "validators.csv": validatorsCsv(result),
    "stakers.csv": stakersCsv(result),
    ...(result.market
      ? (() => {
          const daily = marketDailyRows(result.market);
          const subnets = marketSubnetRows(result.market);
          return {
            "market-daily.csv": toCsv(daily.header, daily.rows),
            "market-subnets.csv": toCsv(subnets.header, subnets.rows),
          };
        })()
      : {}),
    "summary.json": toJson(buildSummary(result)),
    "run.json": toJson({
      wallSeconds: result.wallMs / 1000,
      transactions: result.transactions,
      daysPerSecond: result.config.days / (result.wallMs / 1000),
      transactionsPerSecond: result.transactions / (result.wallMs / 1000),
      // The in-process chain keeps every block's state: most of the resident memory is the node's.
      memory: {
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
        heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      },
      environment: result.environment,
      ...runtime,
    }),
  };
  const charts = await renderCharts(result);
  for (const c of charts) files[path.join("charts", c.file)] = c.svg;
  files["index.html"] = indexHtml(result, charts, Object.keys(files));
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    await fs.writeFile(p, content);
    written.push(p);
  }
  return written;
}

/** The report folder's index.html: parameters, headline numbers, every chart inline, the reconciliation. */
export function indexHtml(
  result: SimResult,
  charts: readonly { file: string; title: string; svg: string }[],
  files: readonly string[],
): string {
  const { config } = result;
  const r = result.reconciliation;
  const seconds = result.wallMs / 1000;
  const command = `npm run simulate -- --days ${config.days} --contributors ${config.contributors} --validators ${config.validators} --stakers ${config.stakers} --seed ${config.seed}${config.subnets ? ` --subnets ${config.subnets} --launch-decay ${config.launchDecay ?? 14}` : ""}`;
  const paragraphs = (lines: readonly string[]) =>
    lines.map((l) => `<p>${escapeHtml(l.trim())}</p>`).join("\n");
  const sections: Section[] = [
    {
      id: "parameters",
      heading: "Run parameters",
      html: [
        htmlTable(
          ["days", "contributors per bucket", "validators per subnet", "capital stakers", "seed"],
          [[config.days, config.contributors, config.validators, config.stakers, config.seed].map(String)],
        ),
        `<p>${result.transactions.toLocaleString("en-US")} transactions in ${seconds.toFixed(1)} s on ${escapeHtml(chainText(result))}. The same command gives the same run to the wei:</p>`,
        `<pre>${escapeHtml(command)}</pre>`,
      ].join("\n"),
    },
    {
      id: "headlines",
      heading: "Headline numbers",
      html: [
        htmlTable(
          [
            "total supply (TTD)",
            "burned (TTD)",
            "schedule cumulative (TTD)",
            "supply + burned - schedule (wei)",
            "reconciliation",
          ],
          [
            [
              fmt(r.supply, 2),
              fmt(r.burned, 2),
              fmt(r.scheduleCumulative, 2),
              String(r.supply + r.burned - r.scheduleCumulative),
              r.ok ? "exact" : "FAILED",
            ],
          ],
        ),
        "<h3>Emission per bucket</h3>",
        htmlTable(...bucketTable(result)),
        "<h3>Validators (all subnets)</h3>",
        htmlTable(...validatorTable(result)),
        ...(coalitionLines(result).length > 0
          ? ["<h3>Coalition friends</h3>", paragraphs(coalitionLines(result))]
          : []),
        "<h3>Governance</h3>",
        paragraphs(governanceLines(result)),
      ].join("\n"),
    },
    ...(result.market
      ? [{ id: "market", heading: "Subnet market", html: marketHtml(result.market, r) }]
      : []),
    {
      id: "charts",
      heading: "Charts",
      html: charts
        .map(
          (c) =>
            `<figure id="chart-${c.file.replace(/\.svg$/, "")}">\n${c.svg}\n<figcaption>${escapeHtml(c.title)} (charts/${escapeHtml(c.file)})</figcaption>\n</figure>`,
        )
        .join("\n"),
    },
    {
      id: "reconciliation",
      heading: "Reconciliation",
      html: [
        `<p class="${r.ok ? "ok" : "fail"}">${r.ok ? "Exact: every check passed." : "FAILED: see the checks marked FAIL."}</p>`,
        paragraphs(reconciliationLines(result)),
        htmlTable(
          ["result", "check", "detail"],
          r.checks.map((c) => [c.ok ? "ok" : "FAIL", c.name, c.detail]),
        ),
      ].join("\n"),
    },
    {
      id: "files",
      heading: "Files",
      html: `<p>Beside this page in the report folder:</p>\n<ul>\n${files.map((f) => `<li><code>${escapeHtml(f.split(path.sep).join("/"))}</code></li>`).join("\n")}\n</ul>`,
    },
  ];
  return reportHtml(`Tetrad simulation: seed ${config.seed}, ${config.days} days`, sections);
}

/** Where the system was deployed (differs between processes; stdout only, not summary.json). */
export function deploymentText(result: SimResult): string {
  const e = result.environment;
  return [
    `Deployed on ${chainText(result)}:`,
    `  TTD token          ${e.token}`,
    `  EmissionController ${e.controller}`,
    `  CapitalPool        ${e.pool}`,
    `  TetradGovernor     ${e.governor ?? "(not deployed: onboarding did not finish)"}`,
  ].join("\n");
}

const pct = (bps: number) => `${(bps / 100).toFixed(2)}%`;

/** Supply against the schedule, the mint per bucket, the capital bucket's whereabouts. */
export function reconciliationLines(result: SimResult): string[] {
  const r = result.reconciliation;
  return [
    `total supply ${fmt(r.supply)} TTD + burned ${fmt(r.burned)} TTD; schedule says ${fmt(r.scheduleCumulative)} TTD; difference ${r.supply + r.burned - r.scheduleCumulative} wei`,
    `minted ${fmt(r.minted)} TTD in ${r.distributions} distributions = ${BUCKET_NAMES.map((n, i) => `${n} ${fmt(r.received[i])}`).join(" + ")}`,
    `capital bucket ${fmt(r.received[Bucket.Capital])} = claimed ${fmt(r.capital.claimed)} + still in pool ${fmt(r.capital.inPool)} (owed ${fmt(r.capital.pending)}, unstreamed ${fmt(r.capital.unstreamed)}, carry ${r.capital.carry} wei, floors ${r.capital.floors} wei)`,
  ];
}

/** The reconciliation lines: supply against the schedule, the capital bucket's whereabouts, every check. */
export function reconciliationText(result: SimResult): string {
  return [
    ...reconciliationLines(result),
    ...result.reconciliation.checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`),
  ]
    .map((l) => `  ${l}`)
    .join("\n");
}

/** Per bucket: shares at the start and the end, TTD received, participants, Gini, reward~quality. */
export function bucketTable(result: SimResult): [string[], string[][]] {
  const { rows } = result;
  const last = rows[rows.length - 1];
  const first = rows[0];
  const buckets = bucketStats(result);
  return [
    ["bucket", "share start", "share end", "TTD received", "participants", "Gini", "reward~quality"],
    BUCKET_NAMES.map((n, i) => [
      n,
      first ? pct(first.shares[i]) : "-",
      last ? pct(last.shares[i]) : "-",
      fmt(result.reconciliation.received[i], 2),
      i < 3
        ? String(buckets[i].contributors)
        : i === Bucket.Capital
          ? String(result.stakers.filter((s) => s.everStaked).length)
          : "-",
      i < 4 && last ? last.gini[i].toFixed(3) : "-",
      i < 3 ? buckets[i].rewardQualityRankCorrelation.toFixed(2) : "-",
    ]),
  ];
}

/** Per validator behaviour: count, expulsions, dividends, agreement. */
export function validatorTable(result: SimResult): [string[], string[][]] {
  return [
    [
      "behaviour",
      "count",
      "expelled: no reveal",
      "low agreement",
      "inactive",
      "dividends TTD",
      "per validator",
      "per staked TTD",
      "agreement",
    ],
    validatorStats(result).map((v) => [
      v.kind,
      String(v.count),
      String(v.expelledNoReveal),
      String(v.expelledLowAgreement),
      String(v.expelledInactive),
      fmt(v.dividends, 2),
      fmt(v.perValidator, 2),
      v.perStakedTtd.toFixed(4),
      v.meanAgreementBps === 0 ? "-" : `${(v.meanAgreementBps / 100).toFixed(1)}%`,
    ]),
  ];
}

/** What the coalition's friends earned against what they produced (no lines without friends). */
export function coalitionLines(result: SimResult): string[] {
  const stats = coalitionStats(result);
  const lines = stats.subnets.map(
    (s) =>
      `${s.bucket}: ${s.friends} friend(s) earned ${(s.friendsRewardShare * 100).toFixed(1)}% of contributor rewards for ${(s.friendsOutputShare * 100).toFixed(1)}% of the true output (x${s.sharePremium.toFixed(2)}; round by round after onboarding x${s.onboardedPremium.toFixed(2)})`,
  );
  if (lines.length > 0)
    lines.push(
      `friends' premium: x${stats.friendsPremium.toFixed(2)} round by round after onboarding, subnets pooled (whole run, worst subnet: x${stats.sharePremium.toFixed(2)})`,
    );
  return lines;
}

/** The mid-run proposal: who proposed it when, the votes, whether it was executed. */
export function governanceLines(result: SimResult): string[] {
  const g = result.governance;
  if (g.proposedDay === null) {
    return [
      `"${g.title}": ${g.deployedDay === null ? "the DAO was not deployed yet (onboarding not finished)" : `not proposed (DAO deployed on day ${g.deployedDay + 1}; the run is too short or no holder reached the threshold)`}`,
    ];
  }
  return [
    `"${g.title}" (${g.sharesBefore.map(pct).join("/")} -> ${g.sharesAfter.map(pct).join("/")})`,
    `DAO deployed day ${(g.deployedDay ?? 0) + 1}; proposed day ${g.proposedDay + 1} by ${g.proposer}; ${g.queuedDay === null ? "" : `queued day ${g.queuedDay + 1}; `}${g.executedDay === null ? `state at the end: ${g.state}` : `executed day ${g.executedDay + 1}`}`,
    `votes: for ${fmt(g.votesFor, 0)}, against ${fmt(g.votesAgainst, 0)}, abstain ${fmt(g.votesAbstain, 0)} TTD from ${g.voters} voters (quorum ${fmt(g.quorum, 0)})`,
  ];
}

/** The text summary for stdout. */
export function summaryText(result: SimResult): string {
  const { config } = result;
  const seconds = result.wallMs / 1000;
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  const coalition = coalitionLines(result);
  return [
    `Tetrad simulation: seed ${config.seed}, ${config.days} days; ${config.contributors} contributors per bucket, ${config.validators} validators per subnet, ${config.stakers} capital stakers`,
    `  ${result.transactions.toLocaleString("en-US")} transactions in ${seconds.toFixed(1)} s (${(config.days / seconds).toFixed(2)} days/s, ${(result.transactions / seconds).toFixed(0)} tx/s)`,
    "",
    "Emission per bucket:",
    table(...bucketTable(result)),
    "",
    "Validators (all subnets):",
    table(...validatorTable(result)),
    ...(coalition.length > 0
      ? [
          "",
          "Coalition friends (the colluders score them at the maximum; the stake-weighted consensus clips that):",
          ...indent(coalition),
        ]
      : []),
    "",
    "Governance:",
    ...indent(governanceLines(result)),
    "",
    ...(result.market
      ? ["Subnet market:", ...indent(marketLines(result.market, result.reconciliation)), ""]
      : []),
    `Reconciliation (${result.reconciliation.ok ? "exact" : "FAILED"}):`,
    reconciliationText(result),
  ].join("\n");
}
