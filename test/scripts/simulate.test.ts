import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ethers, network } from "hardhat";
import { parseEther } from "ethers";
import { EmissionController__factory, Tetrad__factory } from "../../typechain-types";
import { BUCKET_NAMES, DEFAULT_SCHEDULE, DEFAULT_SHARES, Shares } from "../../scripts/lib/chain/constants";
import { ScheduleParams, cumulative, emitted, split } from "../../scripts/lib/models/schedule";
import { parseSimArgs, DEFAULT_SIZE } from "../../scripts/lib/sim/cli";
import { parseCsv, toCsv } from "../../scripts/lib/sim/csv";
import { gini, spearman } from "../../scripts/lib/sim/metrics";
import { progressLine, createProgress } from "../../scripts/lib/sim/progress";
import { PROPOSED_SHARES, SimResult, runSimulation } from "../../scripts/lib/sim/scenario";
import { buildSummary, dailyCsv, toJson, writeReport } from "../../scripts/lib/sim/report";
import { barChart, escapeXml, lineChart } from "../../scripts/lib/sim/svg";
import { underCoverage } from "../utils/coverage";

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

  describe("CSV writer", () => {
    it("quotes commas, quotes and line breaks, and reads back to the same cells", () => {
      const header = ["name", "amount", "note"];
      const rows = [
        ["plain", 1n, true],
        ['with "quotes"', 2.5, "a, b"],
        ["multi\nline", -3, ""],
      ];
      const text = toCsv(header, rows);
      expect(text.endsWith("\n")).to.equal(true);
      expect(text.split("\n")[2]).to.equal('"with ""quotes""",2.5,"a, b"');
      expect(parseCsv(text)).to.deep.equal([header, ...rows.map((r) => r.map(String))]);
    });

    it("refuses a row whose length differs from the header's", () => {
      expect(() => toCsv(["a", "b"], [["1"]])).to.throw(RangeError, "row 0 has 1 cells");
      expect(() => toCsv([], [])).to.throw(RangeError);
    });
  });

  describe("SVG charts", () => {
    it("a line chart is a well-formed SVG document with one polyline per series", () => {
      const svg = lineChart({
        title: 'Supply <vs> "schedule" & co',
        xLabel: "day",
        yLabel: "TTD",
        x: [1, 2, 3, 4],
        series: [
          { name: "a & b", values: [0, 10, 20, 30] },
          { name: "b", values: [5, 5, 5, 5], dashed: true },
        ],
        markers: [{ x: 2, label: "<vote>" }],
      });
      expect(xmlProblems(svg)).to.deep.equal([]);
      expect(svg).to.contain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg).to.contain("Supply &lt;vs&gt; &quot;schedule&quot; &amp; co");
      expect(svg.match(/<polyline /g)).to.have.length(2);
    });

    it("breaks a line at non-finite values and copes with flat or empty data", () => {
      const gap = lineChart({
        title: "gap",
        xLabel: "x",
        yLabel: "y",
        x: [1, 2, 3, 4, 5],
        series: [{ name: "s", values: [1, 2, Number.NaN, 4, 5] }],
      });
      expect(xmlProblems(gap)).to.deep.equal([]);
      expect(gap.match(/<polyline /g)).to.have.length(2);
      const flat = lineChart({
        title: "flat",
        xLabel: "x",
        yLabel: "y",
        x: [7],
        series: [{ name: "s", values: [0] }],
      });
      expect(xmlProblems(flat)).to.deep.equal([]);
      const empty = lineChart({ title: "empty", xLabel: "x", yLabel: "y", x: [], series: [] });
      expect(xmlProblems(empty)).to.deep.equal([]);
    });

    it("a bar chart is well formed with a bar per category and series; bad lengths throw", () => {
      const svg = barChart({
        title: "buckets",
        yLabel: "TTD",
        categories: ["code", "capital"],
        series: [
          { name: "received", values: [3, 4] },
          { name: "paid", values: [1, 2] },
        ],
      });
      expect(xmlProblems(svg)).to.deep.equal([]);
      expect(svg.match(/<rect [^>]*fill="#(?!ffffff)/g)).to.have.length(4);
      expect(() =>
        barChart({ title: "t", yLabel: "y", categories: ["a"], series: [{ name: "s", values: [1, 2] }] }),
      ).to.throw(RangeError);
      expect(() =>
        lineChart({ title: "t", xLabel: "x", yLabel: "y", x: [1], series: [{ name: "s", values: [1, 2] }] }),
      ).to.throw(RangeError);
      expect(escapeXml(`<a href="x">'&'</a>`)).to.equal(
        "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
      );
    });

    it("the checker itself rejects broken markup", () => {
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
    });

    it("progress: plain lines off a terminal, one per step of 10%", () => {
      const lines: string[] = [];
      const stream = {
        isTTY: false,
        write: (s: string) => lines.push(s) !== 0,
      } as unknown as NodeJS.WriteStream;
      let t = 0;
      const p = createProgress({ label: "sim", unit: "days", stream, now: () => (t += 1000) });
      for (let d = 0; d <= 20; d++) p.update(d, 20);
      p.finish();
      expect(lines).to.have.length(11);
      expect(lines[10]).to.match(/^sim: 20\/20 days \(100%\)/);
      expect(progressLine(5, 10, "days", 2000)).to.equal("5/10 days (50%) 2.5 days/s, ETA 2s");
    });
  });

  describe("a small seeded run on the real contracts", function () {
    // Instrumented contracts (hardhat coverage, CI's one run) are several times slower: 180 s ran out there.
    this.timeout(underCoverage() ? 900_000 : 180_000);
    const size = { days: 18, contributors: 4, validators: 4, stakers: 5 };
    let first: SimResult;
    let again: SimResult;
    let other: SimResult;
    /** Read from the chain right after the first run, before it is reverted. */
    let chain: {
      supply: bigint;
      schedule: ScheduleParams;
      lastDistribution: bigint;
      distributions: { from: bigint; to: bigint; minted: bigint; amounts: bigint[]; at: number }[];
      shareChanges: { at: number; shares: Shares }[];
    };
    let dir: string;

    async function isolated<T>(f: () => Promise<T>): Promise<T> {
      const id = await network.provider.request({ method: "evm_snapshot", params: [] });
      try {
        return await f();
      } finally {
        await network.provider.request({ method: "evm_revert", params: [id] });
      }
    }

    /** Chain order of a log: block, then position in the block. */
    const order = (e: { blockNumber: number; index: number }) => e.blockNumber * 100_000 + e.index;

    before(async () => {
      const start = await ethers.provider.getBlockNumber();
      first = await isolated(async () => {
        const r = await runSimulation({ ...size, seed: 7 });
        const token = Tetrad__factory.connect(r.environment.token, ethers.provider);
        const controller = EmissionController__factory.connect(r.environment.controller, ethers.provider);
        const distributed = await controller.queryFilter(
          controller.filters.Distributed(),
          start + 1,
          "latest",
        );
        const updates = await controller.queryFilter(controller.filters.SharesUpdated(), start + 1, "latest");
        chain = {
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
          shareChanges: updates.map((e) => ({
            at: order(e),
            shares: e.args.newShares.map(Number) as Shares,
          })),
        };
        return r;
      });
      again = await isolated(() => runSimulation({ ...size, seed: 7 }));
      other = await isolated(() => runSimulation({ ...size, seed: 8 }));
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "tetrad-sim-"));
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

    it("exercises every agent: rounds paid, validators of each kind, stakers, a share change by the DAO", () => {
      const last = first.rows[first.rows.length - 1];
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
      expect(first.governance.executedDay).to.not.equal(null);
      expect(last.shares).to.deep.equal([...PROPOSED_SHARES]);
      expect(first.rows[0].shares).to.deep.equal([...DEFAULT_SHARES]);
    });

    it("reconciles to the wei with the emission schedule (scripts/lib/models/schedule.ts)", () => {
      const { supply, schedule, lastDistribution, distributions, shareChanges } = chain;
      // The supply is the schedule's cumulative amount at the last distribution.
      expect(supply).to.equal(cumulative(schedule, lastDistribution));
      expect(distributions.length).to.be.greaterThanOrEqual(size.days);

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
      expect(shareChanges[shareChanges.length - 1].shares).to.deep.equal([...PROPOSED_SHARES]);
      expect(minted).to.equal(supply);
      expect(received.reduce((a, b) => a + b, 0n)).to.equal(supply);
      expect(first.reconciliation.received).to.deep.equal(received);
      expect(first.reconciliation.ok).to.equal(true);
      for (const c of first.reconciliation.checks) expect(c.ok, `${c.name}: ${c.detail}`).to.equal(true);

      // The CSV says the same: every day's supply is the schedule's, and the daily emissions add up.
      const rows = parseCsv(dailyCsv(first.rows));
      const header = rows[0];
      const col = (name: string) => header.indexOf(name);
      let csvMinted = 0n;
      const csvBuckets = [0n, 0n, 0n, 0n, 0n];
      for (const r of rows.slice(1)) {
        expect(r).to.have.length(header.length);
        expect(r[col("supply_ttd")]).to.equal(r[col("schedule_cumulative_ttd")]);
        expect(r[col("supply_minus_schedule_wei")]).to.equal("0");
        const elapsed = Number(r[col("elapsed_days")]);
        expect(elapsed).to.be.greaterThan(0);
        csvMinted += parseEther(r[col("minted_ttd")]);
        BUCKET_NAMES.forEach((n, i) => (csvBuckets[i] += parseEther(r[col(`emission_${n}_ttd`)])));
      }
      expect(parseEther(rows[rows.length - 1][col("supply_ttd")])).to.equal(supply);
      expect(csvMinted).to.equal(supply);
      expect(csvBuckets).to.deep.equal(received);
    });

    it("writes a report folder: parseable CSVs, well-formed SVG charts, summary.json", async () => {
      const files = await writeReport(first, dir);
      const names = files.map((f) => path.relative(dir, f)).sort();
      expect(names).to.include.members([
        "daily.csv",
        "contributors.csv",
        "validators.csv",
        "stakers.csv",
        "summary.json",
        "run.json",
        path.join("charts", "supply.svg"),
        path.join("charts", "emission.svg"),
        path.join("charts", "gini.svg"),
        path.join("charts", "dividends.svg"),
      ]);
      for (const f of files.filter((x) => x.endsWith(".csv"))) {
        const rows = parseCsv(await fs.readFile(f, "utf8"));
        expect(rows.length, f).to.be.greaterThan(1);
        for (const r of rows) expect(r, f).to.have.length(rows[0].length);
      }
      const contributors = parseCsv(await fs.readFile(path.join(dir, "contributors.csv"), "utf8"));
      expect(contributors).to.have.length(1 + 3 * size.contributors);
      for (const f of files.filter((x) => x.endsWith(".svg"))) {
        expect(xmlProblems(await fs.readFile(f, "utf8")), f).to.deep.equal([]);
      }
      const summary: unknown = JSON.parse(await fs.readFile(path.join(dir, "summary.json"), "utf8"));
      expect(summary).to.deep.equal(JSON.parse(toJson(buildSummary(first))));
    });
  });
});
