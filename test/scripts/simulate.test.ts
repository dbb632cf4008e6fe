import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ethers, network } from "hardhat";
import { parseEther } from "ethers";
import { EmissionController__factory, Tetrad__factory } from "../../typechain-types";
import { BUCKET_NAMES, DEFAULT_SCHEDULE, DEFAULT_SHARES, Shares } from "../../scripts/lib/chain/constants";
import { ScheduleParams, cumulative, emitted, split } from "../../scripts/lib/models/schedule";
import { parse } from "csv-parse/sync";
import { DEFAULT_SIZE, createProgress, parseSimArgs, silentProgress } from "../../scripts/lib/sim/cli";
import { barSpec, lineSpec, renderSvg, reportCharts } from "../../scripts/lib/sim/charts";
import { escapeHtml } from "../../scripts/lib/sim/html";
import { gini, spearman } from "../../scripts/lib/sim/metrics";
import { PROPOSED_SHARES, SimResult, runSimulation } from "../../scripts/lib/sim/scenario";
import { systemStages } from "../utils/deploy";
import { buildSummary, dailyCsv, toCsv, toJson, writeReport } from "../../scripts/lib/sim/report";
import { coalitionMajority, coalitionPremium, roundPremium } from "../../scripts/lib/sim/coalition";

/** CSV text back to rows of strings (csv-parse). */
const parseCsv = (text: string): string[][] => parse(text) as string[][];

/** Gini by its definition: mean absolute difference over all pairs, divided by twice the mean. */
function giniByPairs(xs: number[]): number {
  const n = xs.length;
  const mu = xs.reduce((a, b) => a + b, 0) / n;
  if (mu === 0) return 0;
  let s = 0;
  for (const a of xs) for (const b of xs) s += Math.abs(a - b);
  return s / (2 * n * n * mu);
}

/**
 * A strict-enough XML check for the charts: every tag closes in order, attributes are quoted, text
 * holds no raw `<` or bare `&`, numbers are finite. Returns the problems found.
 */
function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let rest = doc.replace(/^<\?xml[^>]*\?>\s*/, "");
  let roots = 0;
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) problems.push(`bare & in text: ${text.slice(0, 40)}`);
    if (stack.length === 0 && text.trim() !== "")
      problems.push(`text outside the root: ${text.slice(0, 40)}`);
    if (lt === -1) break;
    const gt = rest.indexOf(">", lt);
    if (gt === -1) {
      problems.push("unterminated tag");
      break;
    }
    const tag = rest.slice(lt + 1, gt);
    rest = rest.slice(gt + 1);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
      continue;
    }
    const m = /^([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)$/.exec(tag);
    if (!m) {
      problems.push(`malformed tag <${tag.slice(0, 60)}>`);
      continue;
    }
    if (/NaN|Infinity|undefined/.test(m[2])) problems.push(`non-finite attribute in <${tag.slice(0, 60)}>`);
    if (stack.length === 0) roots++;
    if (m[3] !== "/") stack.push(m[1]);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(" > ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

describe("scripts: economy simulation (scripts/lib/sim)", function () {
  describe("gini", () => {
    it("is 0 for nobody, for equal amounts and for an all-zero population", () => {
      expect(gini([])).to.equal(0);
      expect(gini([5, 5, 5, 5])).to.equal(0);
      expect(gini([0, 0, 0])).to.equal(0);
      expect(gini([3n, 3n, 3n])).to.equal(0);
    });

    it("is (n - 1) / n when one holder has everything", () => {
      expect(gini([0, 0, 0, 7])).to.be.closeTo(0.75, 1e-12);
      expect(gini([0n, 0n, 0n, 0n, 10n ** 24n])).to.equal(0.8);
      expect(gini([42])).to.equal(0);
    });

    it("gives the textbook values and agrees with the pairwise definition", () => {
      expect(gini([1, 2, 3, 4, 5])).to.be.closeTo(4 / 15, 1e-12);
      expect(gini([1, 1, 2, 2])).to.be.closeTo(1 / 6, 1e-12);
      let seed = 12345;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let k = 0; k < 50; k++) {
        const xs = Array.from({ length: 1 + Math.floor(next() * 30) }, () => Math.floor(next() * 1000));
        expect(gini(xs)).to.be.closeTo(giniByPairs(xs), 1e-9);
        // Order does not matter; wei (bigint) input gives the same value; scaling does not change it.
        expect(gini([...xs].reverse())).to.be.closeTo(gini(xs), 1e-12);
        expect(gini(xs.map((x) => BigInt(x) * 10n ** 18n))).to.be.closeTo(giniByPairs(xs), 1e-9);
      }
    });

    it("rejects negative and non-finite amounts", () => {
      expect(() => gini([1, -1])).to.throw(RangeError);
      expect(() => gini([1n, -1n])).to.throw(RangeError);
      expect(() => gini([1, Number.NaN])).to.throw(RangeError);
    });

    it("spearman: +1 for the same order, -1 for the reverse, 0 for a constant", () => {
      expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).to.be.closeTo(1, 1e-12);
      expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).to.be.closeTo(-1, 1e-12);
      expect(spearman([1, 2, 3], [5, 5, 5])).to.equal(0);
    });
  });

  describe("CSV (csv-stringify, read back with csv-parse)", () => {
    it("quotes commas, quotes and line breaks, and reads back to the same cells", () => {
      const header = ["name", "amount", "note"];
      const rows = [
        ["plain", 1n, true],
        ['with "quotes"', 2.5, "a, b"],
        ["multi\nline", -3, ""],
        ["not a number", Number.NaN, false],
      ];
      const text = toCsv(header, rows);
      expect(text.endsWith("\n")).to.equal(true);
      expect(text.split("\n")[2]).to.equal('"with ""quotes""",2.5,"a, b"');
      expect(parseCsv(text)).to.deep.equal([
        header,
        ["plain", "1", "true"],
        ['with "quotes"', "2.5", "a, b"],
        ["multi\nline", "-3", ""],
        ["not a number", "", "false"],
      ]);
    });

    it("refuses a row whose length differs from the header's", () => {
      expect(() => toCsv(["a", "b"], [["1"]])).to.throw(RangeError, "row 0 has 1 cells");
      expect(() => toCsv([], [])).to.throw(RangeError);
    });
  });

  describe("charts (vega-lite specs rendered by vega)", function () {
    this.timeout(60_000);

    it("a line chart is a well-formed SVG with one line per series, dashes, markers and escaped text", async () => {
      const svg = await renderSvg(
        lineSpec({
          title: 'Supply <vs> "schedule" & co',
          yTitle: "TTD",
          days: [1, 2, 3, 4],
          lines: [
            { name: "a & b", values: [0, 10, 20, 30] },
            { name: "reference", values: [5, 5, 5, 5], dashed: true },
          ],
          markers: [{ day: 2, label: "<vote>" }],
        }),
      );
      expect(xmlProblems(svg)).to.deep.equal([]);
      expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).to.contain("Supply &lt;vs&gt; &quot;schedule&quot; &amp; co");
      expect(svg).to.contain("&lt;vote&gt;");
      expect(svg).to.contain(">a &amp; b</text>");
      expect(svg.match(/aria-roledescription="line mark"/g)).to.have.length(2);
      expect(svg.match(/aria-roledescription="rule mark"/g)).to.have.length(1);
      expect(svg).to.contain('stroke-dasharray="6,4"');
    });

    it("breaks a line at non-finite values and copes with flat or empty data", async () => {
      const gap = await renderSvg(
        lineSpec({
          title: "gap",
          yTitle: "y",
          days: [1, 2, 3, 4, 5],
          lines: [{ name: "s", values: [1, 2, Number.NaN, 4, 5] }],
        }),
      );
      expect(xmlProblems(gap)).to.deep.equal([]);
      const path = /aria-roledescription="line mark" d="([^"]*)"/.exec(gap);
      expect(path, "the line's path").to.not.equal(null);
      expect(path![1].match(/M/g)).to.have.length(2);
      const flat = await renderSvg(
        lineSpec({ title: "flat", yTitle: "y", days: [7], lines: [{ name: "s", values: [0] }] }),
      );
      expect(xmlProblems(flat)).to.deep.equal([]);
      const empty = await renderSvg(lineSpec({ title: "empty", yTitle: "y", days: [], lines: [] }));
      expect(xmlProblems(empty)).to.deep.equal([]);
    });

    it("a bar chart is well formed with one bar per category, in the given order", async () => {
      const svg = await renderSvg(
        barSpec({
          title: "buckets",
          yTitle: "TTD",
          bars: [
            { category: "code", value: 3 },
            { category: "capital", value: 4 },
            { category: "protection", value: 1 },
          ],
        }),
      );
      expect(xmlProblems(svg)).to.deep.equal([]);
      expect(svg.match(/aria-roledescription="bar"/g)).to.have.length(3);
      const labels = [...svg.matchAll(/>(code|capital|protection)<\/text>/g)].map((m) => m[1]);
      expect(labels).to.deep.equal(["code", "capital", "protection"]);
    });

    it("escapes HTML, and the XML checker itself rejects broken markup", () => {
      expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal(
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
      );
      expect(xmlProblems("<svg><g></svg>")).to.not.deep.equal([]);
      expect(xmlProblems('<svg><text x="1">a & b</text></svg>')).to.not.deep.equal([]);
      expect(xmlProblems('<svg><line x1="NaN"/></svg>')).to.not.deep.equal([]);
      expect(xmlProblems("<svg/><svg/>")).to.not.deep.equal([]);
    });
  });

  describe("command line and progress", () => {
    it("parses flags, applies defaults and names the default report folder", () => {
      const ok = parseSimArgs(["--days", "30", "--seed=7", "--stakers", "0"]);
      expect(ok.kind).to.equal("run");
      if (ok.kind !== "run") return;
      expect(ok.options).to.include({
        days: 30,
        seed: 7,
        stakers: 0,
        contributors: DEFAULT_SIZE.contributors,
      });
      expect(ok.options.out).to.equal(path.join("reports", "sim", "7-30d"));
      expect(ok.options).to.include({ chain: "hardhat", compile: true });
      const anvil = parseSimArgs(["--chain", "anvil", "--no-compile"]);
      expect(anvil.kind === "run" && anvil.options).to.include({ chain: "anvil", compile: false });
      expect(parseSimArgs(["--out", "x/y"])).to.deep.include({ kind: "run" });
      expect(parseSimArgs(["-h"])).to.deep.equal({ kind: "help" });
    });

    it("rejects bad flags with a plain message", () => {
      const message = (argv: string[]) => {
        const r = parseSimArgs(argv);
        return r.kind === "error" ? r.message : `no error (${r.kind})`;
      };
      expect(message(["--dayz", "3"])).to.equal("unknown option --dayz (see --help)");
      expect(message(["--days"])).to.equal("--days needs a value");
      expect(message(["--days", "3.5"])).to.equal('--days: "3.5" is not a whole number');
      expect(message(["--days", "-3"])).to.equal('--days: "-3" is not a whole number');
      expect(message(["--validators", "65"])).to.equal("--validators: 65 is out of range (1-64)");
      expect(message(["--contributors", "0"])).to.equal("--contributors: 0 is out of range (1-256)");
      expect(message(["--days", "3", "--days", "4"])).to.equal("--days given twice");
      expect(message(["30"])).to.match(/^unexpected argument "30"/);
      expect(message(["--quiet=1"])).to.equal("--quiet takes no value");
      expect(message(["--chain", "geth"])).to.equal('--chain: "geth" is not one of hardhat, anvil');
      expect(message(["--chain"])).to.equal("--chain needs a value");
      expect(message(["--no-compile=yes"])).to.equal("--no-compile takes no value");
    });

    it("progress: a cli-progress bar on a terminal, silent off a terminal or when asked", () => {
      const written: string[] = [];
      const fake = (isTTY: boolean) =>
        ({
          isTTY,
          columns: 120,
          write: (s: string) => written.push(s) !== 0,
          cursorTo: () => true,
          clearLine: () => true,
          moveCursor: () => true,
          on: () => undefined,
          removeListener: () => undefined,
        }) as unknown as NodeJS.WriteStream;
      expect(createProgress({ label: "sim", unit: "days", stream: fake(false) })).to.equal(silentProgress);
      expect(createProgress({ label: "sim", unit: "days", stream: fake(true), quiet: true })).to.equal(
        silentProgress,
      );
      expect(written).to.deep.equal([]);
      const bar = createProgress({ label: "sim", unit: "days", stream: fake(true) });
      for (let d = 0; d <= 4; d++) bar.update(d, 4, `${d * 10} tx`);
      bar.finish();
      expect(written.join("")).to.contain("sim [");
      expect(written.join("")).to.match(/4\/4 days 100% .*40 tx/);
    });
  });

  /** What the chain says about a run, read right after it, before the run is reverted. */
  interface ChainView {
    supply: bigint;
    schedule: ScheduleParams;
    lastDistribution: bigint;
    distributions: { from: bigint; to: bigint; minted: bigint; amounts: bigint[]; at: number }[];
    shareChanges: { at: number; shares: Shares }[];
  }

  /** Chain order of a log: block, then position in the block. */
  const order = (e: { blockNumber: number; index: number }) => e.blockNumber * 100_000 + e.index;

  /** Runs a simulation, reads its events back, then reverts the chain to where it was. */
  async function isolatedRun(
    size: { days: number; contributors: number; validators: number; stakers: number },
    seed: number,
  ): Promise<{ result: SimResult; chain: ChainView }> {
    const id = await network.provider.request({ method: "evm_snapshot", params: [] });
    try {
      const start = await ethers.provider.getBlockNumber();
      const result = await runSimulation({ ...size, seed, deploy: systemStages });
      const token = Tetrad__factory.connect(result.environment.token, ethers.provider);
      const controller = EmissionController__factory.connect(result.environment.controller, ethers.provider);
      const distributed = await controller.queryFilter(controller.filters.Distributed(), start + 1, "latest");
      const updates = await controller.queryFilter(controller.filters.SharesUpdated(), start + 1, "latest");
      const chain: ChainView = {
        supply: await token.totalSupply(),
        schedule: { ...DEFAULT_SCHEDULE, start: await controller.scheduleStart() },
        lastDistribution: await controller.lastDistribution(),
        distributions: distributed.map((e) => ({
          from: e.args.from,
          to: e.args.to,
          minted: e.args.minted,
          amounts: [...e.args.amounts],
          at: order(e),
        })),
        shareChanges: updates.map((e) => ({ at: order(e), shares: e.args.newShares.map(Number) as Shares })),
      };
      return { result, chain };
    } finally {
      await network.provider.request({ method: "evm_revert", params: [id] });
    }
  }

  /**
   * The run reconciles to the wei with the emission schedule (scripts/lib/models/schedule.ts), from
   * the chain's events and from the run's daily.csv read back with csv-parse.
   */
  function expectReconciled(result: SimResult, chain: ChainView, days: number): void {
    const { supply, schedule, lastDistribution, distributions, shareChanges } = chain;
    // The supply is the schedule's cumulative amount at the last distribution, less the registration
    // fees the subnets burned.
    const burned = result.reconciliation.burned;
    expect(supply + burned).to.equal(cumulative(schedule, lastDistribution));
    expect(distributions.length).to.be.greaterThanOrEqual(days);

    // Each distribution minted the schedule's emission of its period, split by the shares in force
    // (the deployment's setting, then the DAO's: setShares first settles the past at the old shares).
    const received = [0n, 0n, 0n, 0n, 0n];
    let minted = 0n;
    for (const d of distributions) {
      const shares = [...shareChanges].reverse().find((c) => c.at < d.at)?.shares ?? DEFAULT_SHARES;
      expect(d.minted).to.equal(emitted(schedule, d.from, d.to));
      expect(d.amounts).to.deep.equal(split(d.minted, shares));
      d.amounts.forEach((a, i) => (received[i] += a));
      minted += d.minted;
    }
    expect(minted).to.equal(supply + burned);
    expect(received.reduce((a, b) => a + b, 0n)).to.equal(supply + burned);
    expect(result.reconciliation.received).to.deep.equal(received);
    expect(result.reconciliation.ok).to.equal(true);
    for (const c of result.reconciliation.checks) expect(c.ok, `${c.name}: ${c.detail}`).to.equal(true);

    // The CSV says the same: every day's supply is the schedule's, and the daily emissions add up.
    const rows = parseCsv(dailyCsv(result.rows));
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    expect(rows).to.have.length(1 + days);
    let csvMinted = 0n;
    const csvBuckets = [0n, 0n, 0n, 0n, 0n];
    for (const r of rows.slice(1)) {
      expect(r).to.have.length(header.length);
      // Registration fees are burned: supply + burned is the schedule's cumulative amount.
      expect(parseEther(r[col("supply_ttd")]) + parseEther(r[col("burned_ttd")])).to.equal(
        parseEther(r[col("schedule_cumulative_ttd")]),
      );
      expect(r[col("supply_plus_burned_minus_schedule_wei")]).to.equal("0");
      expect(Number(r[col("elapsed_days")])).to.be.greaterThan(0);
      csvMinted += parseEther(r[col("minted_ttd")]);
      BUCKET_NAMES.forEach((n, i) => (csvBuckets[i] += parseEther(r[col(`emission_${n}_ttd`)])));
    }
    expect(parseEther(rows[rows.length - 1][col("supply_ttd")])).to.equal(supply);
    expect(csvMinted).to.equal(supply + burned);
    expect(csvBuckets).to.deep.equal(received);
  }

  describe("a short seeded run on the real contracts", function () {
    // Six days with few agents: validators and contributors onboarded, the DAO deployed and the
    // proposal made. The DAO is deployed on day 3 (when the fund's grants are done); on day 4 no
    // holder has held votes for the Governor's vote lookback (a day), so the proposal waits for
    // day 5: a five-day run would end before it. Three runs (seed 7 twice, seed 8 once) for reproducibility. The timeout only
    // guards against a hang.
    this.timeout(600_000);
    const size = { days: 6, contributors: 2, validators: 4, stakers: 3 };
    let first: SimResult;
    let chain: ChainView;
    let again: SimResult;
    let other: SimResult;
    let dir: string;
    let files: string[];

    before(async () => {
      ({ result: first, chain } = await isolatedRun(size, 7));
      again = (await isolatedRun(size, 7)).result;
      other = (await isolatedRun(size, 8)).result;
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "tetrad-sim-"));
      files = await writeReport(first, dir);
    });

    after(async () => {
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    it("is reproducible: the same seed gives the same CSV and summary, another seed does not", () => {
      expect(first.rows).to.have.length(size.days);
      expect(dailyCsv(again.rows)).to.equal(dailyCsv(first.rows));
      expect(toJson(buildSummary(again))).to.equal(toJson(buildSummary(first)));
      expect(dailyCsv(other.rows)).to.not.equal(dailyCsv(first.rows));
      expect(toJson(buildSummary(other))).to.not.equal(toJson(buildSummary(first)));
    });

    it("exercises every agent: rounds paid, validators of each kind, stakers, the DAO and its proposal", () => {
      expect(first.contributors.filter((c) => c.earned > 0n).length).to.be.greaterThan(0);
      // Four validators per subnet: a quarter colluding, a quarter lazy, the rest honest.
      const kinds = (kind: string) => first.validators.filter((v) => v.kind === kind);
      expect(kinds("colluding")).to.have.length(3);
      expect(kinds("lazy")).to.have.length(3);
      expect(kinds("honest")).to.have.length(6);
      for (const v of kinds("honest")) expect(v.earned).to.be.greaterThan(0n);
      const perStake = (kind: string) =>
        kinds(kind).reduce((a, v) => a + (v.earned * 10n ** 18n) / v.stake, 0n) / BigInt(kinds(kind).length);
      // Agreement pays: the coalition's inflated sheets and the lazy copies earn less per staked TTD.
      expect(perStake("honest")).to.be.greaterThan(perStake("colluding"));
      expect(perStake("honest")).to.be.greaterThan(perStake("lazy"));
      expect(first.stakers.filter((s) => s.everStaked).length).to.be.greaterThan(0);
      expect(first.governance.deployedDay).to.not.equal(null);
      expect(first.governance.proposedDay).to.equal(5);
      expect(first.rows[0].shares).to.deep.equal([...DEFAULT_SHARES]);
    });

    it("reconciles to the wei with the emission schedule (scripts/lib/models/schedule.ts)", () => {
      expectReconciled(first, chain, size.days);
    });

    it("writes a report folder: index.html, CSVs that csv-parse reads back, SVG charts, summary.json", async () => {
      const names = files.map((f) => path.relative(dir, f)).sort();
      const charts = reportCharts(first);
      expect(charts.map((c) => c.file)).to.deep.equal([
        "supply.svg",
        "emission.svg",
        "gini.svg",
        "dividends.svg",
        "buckets.svg",
      ]);
      expect(names).to.include.members([
        "index.html",
        "daily.csv",
        "contributors.csv",
        "validators.csv",
        "stakers.csv",
        "summary.json",
        "run.json",
        ...charts.map((c) => path.join("charts", c.file)),
      ]);
      for (const f of files.filter((x) => x.endsWith(".csv"))) {
        const rows = parseCsv(await fs.readFile(f, "utf8"));
        expect(rows.length, f).to.be.greaterThan(1);
        for (const r of rows) expect(r, f).to.have.length(rows[0].length);
      }
      const contributors = parseCsv(await fs.readFile(path.join(dir, "contributors.csv"), "utf8"));
      expect(contributors).to.have.length(1 + 3 * size.contributors);
      const daily = parseCsv(await fs.readFile(path.join(dir, "daily.csv"), "utf8"));
      expect(daily.slice(1).map((r) => r[0])).to.deep.equal(first.rows.map((r) => String(r.day)));
      const svgs: string[] = [];
      for (const c of charts) {
        const svg = await fs.readFile(path.join(dir, "charts", c.file), "utf8");
        expect(svg, c.file).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(xmlProblems(svg), c.file).to.deep.equal([]);
        expect(svg, c.file).to.contain(escapeHtml(c.title));
        svgs.push(svg);
      }
      const summary: unknown = JSON.parse(await fs.readFile(path.join(dir, "summary.json"), "utf8"));
      expect(summary).to.deep.equal(JSON.parse(toJson(buildSummary(first))));
    });

    it("index.html is self-contained: parameters, every chart's SVG inline, the reconciliation", async () => {
      const html = await fs.readFile(path.join(dir, "index.html"), "utf8");
      expect(html.startsWith("<!DOCTYPE html>")).to.equal(true);
      for (const c of reportCharts(first)) {
        expect(html, c.file).to.contain(await fs.readFile(path.join(dir, "charts", c.file), "utf8"));
      }
      expect(html.match(/<svg /g)).to.have.length(5);
      // No external resource: no script, stylesheet link, image or frame, no http(s) URL outside the
      // SVG namespaces.
      expect(html).to.not.match(/<script|<link|<img|<iframe|<object|<embed|url\(/i);
      const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter(
        (u) => u !== "http://www.w3.org/2000/svg" && u !== "http://www.w3.org/1999/xlink",
      );
      expect(urls).to.deep.equal([]);
      // The run parameters, the reproducing command and the headline numbers.
      expect(html).to.contain(
        `npm run simulate -- --days ${size.days} --contributors ${size.contributors} --validators ${size.validators} --stakers ${size.stakers} --seed 7`,
      );
      expect(html).to.contain("Headline numbers");
      // The reconciliation: its verdict and every check by name.
      expect(html).to.contain('id="reconciliation"');
      expect(html).to.contain("Exact: every check passed.");
      for (const c of first.reconciliation.checks) {
        expect(html, c.name).to.contain(`<td>${escapeHtml(c.name)}</td>`);
      }
      expect(html).to.not.contain(">FAIL<");
    });
  });

  describe("governance over 22 days on the real contracts", function () {
    // The proposal needs the voting delay, five days of vote and the two-day timelock after the DAO
    // is deployed: this one run is longer (about 10 s on an idle machine). The timeout only guards
    // against a hang: a loaded machine makes the run slow, not wrong.
    //
    // 22 days, not 18, for the quorum floor (30,000 TTD, issue 15): proposed on day 7 (18 days),
    // the holders counted about 33,000 TTD of votes in all at the snapshot (most of the supply was
    // still staked, bonded or unclaimed), For plus Abstain could not reach the floor and the
    // proposal was defeated. Proposed on day 8 it passes and is executed on day 17.
    this.timeout(600_000);
    const size = { days: 22, contributors: 4, validators: 4, stakers: 5 };

    it("the DAO executes the proposal: the shares change mid-run and the run still reconciles", async () => {
      const { result, chain } = await isolatedRun(size, 7);
      const gov = result.governance;
      expect(gov.executedDay).to.not.equal(null);
      // 4% of the supply is below the floor this early: the floor is the quorum, and it was met.
      expect(gov.quorum).to.equal(parseEther("30000"));
      expect(gov.votesFor + gov.votesAbstain >= gov.quorum).to.equal(true);
      expect(result.rows[0].shares).to.deep.equal([...DEFAULT_SHARES]);
      expect(result.rows[result.rows.length - 1].shares).to.deep.equal([...PROPOSED_SHARES]);
      expect(chain.shareChanges[chain.shareChanges.length - 1].shares).to.deep.equal([...PROPOSED_SHARES]);
      expectReconciled(result, chain, size.days);
    });
  });

  describe("coalition measurement (scripts/lib/sim/coalition.ts)", function () {
    this.timeout(600_000);
    const trace = (
      friendsTruth: bigint,
      friendsReward: bigint,
      kinds: ["honest" | "colluding", bigint][],
    ) => ({
      day: 1,
      bucket: 0,
      revealers: kinds.map(([kind, stake]) => ({ kind, stake })),
      onboarded: true,
      friendsTruth,
      totalTruth: 100n,
      friendsScore: 0n,
      totalScore: 0n,
      friendsReward,
      totalReward: 1000n,
    });

    it("roundPremium: friends' rewards over their share of each round's output; coalitionMajority: half the revealed stake", () => {
      expect(roundPremium([trace(10n, 100n, []), trace(20n, 200n, [])])).to.equal(1);
      expect(roundPremium([trace(10n, 100n, []), trace(0n, 300n, [])])).to.equal(4);
      expect(roundPremium([trace(0n, 0n, [])])).to.equal(0);
      // Half the revealed stake is a majority.
      for (const [colluding, honest, majority] of [
        [5n, 5n, true],
        [4n, 5n, false],
      ] as const) {
        const revealers: ["honest" | "colluding", bigint][] = [
          ["colluding", colluding],
          ["honest", honest],
        ];
        expect(
          coalitionMajority(trace(0n, 0n, revealers)),
          `colluding ${colluding}, honest ${honest}`,
        ).to.equal(majority);
      }
      expect(coalitionMajority(trace(0n, 0n, []))).to.equal(false);
    });

    it("coalitionPremium runs in-process, leaves the chain as found, and is deterministic", async () => {
      const block = await ethers.provider.getBlockNumber();
      const opts = { days: 8, seeds: [1], deploy: systemStages };
      const { results, ...stats } = await coalitionPremium(opts);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      const again = await coalitionPremium(opts);
      expect(again.friendsPremium).to.equal(stats.friendsPremium);
      expect(stats.subnets).to.have.length(3);
      expect(stats.friendsPremium).to.be.greaterThan(0);
      // The round traces add up to what the contributors were credited.
      const [result] = results;
      expect(result.rounds).to.have.length(3 * 8);
      for (const s of stats.subnets) {
        const b = BUCKET_NAMES.indexOf(s.bucket as (typeof BUCKET_NAMES)[number]);
        const cs = result.contributors.filter((c) => c.bucket === b);
        const rounds = result.rounds.filter((r) => r.bucket === b);
        const sum = (xs: bigint[]) => xs.reduce((a, x) => a + x, 0n);
        expect(sum(rounds.map((r) => r.totalReward))).to.equal(sum(cs.map((c) => c.earned)));
        expect(sum(rounds.map((r) => r.friendsReward))).to.equal(
          sum(cs.filter((c) => c.profile.friend).map((c) => c.earned)),
        );
        expect(sum(rounds.map((r) => r.totalTruth))).to.equal(sum(cs.map((c) => c.output)));
        const d = s.decomposition;
        expect(d.fair + d.coalitionMajority + d.idlePaid + d.other).to.be.closeTo(s.sharePremium, 1e-6);
      }
      expect((buildSummary(result).coalition as { friendsPremium: number }).friendsPremium).to.equal(
        Number(stats.friendsPremium.toFixed(4)),
      );
    });
  });
});
