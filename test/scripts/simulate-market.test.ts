import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ethers, network } from "hardhat";
import { parseEther } from "ethers";
import { parse } from "csv-parse/sync";
import { EmissionController__factory, Tetrad__factory } from "../../typechain-types";
import { DEFAULT_SCHEDULE } from "../../scripts/lib/chain/constants";
import { cumulative } from "../../scripts/lib/models/schedule";
import { parseSimArgs } from "../../scripts/lib/sim/cli";
import { MARKET, informedBallot, launchCostModel, toBps } from "../../scripts/lib/sim/market-agents";
import { SimRng } from "../../scripts/lib/sim/agents";
import { SimResult, runSimulation } from "../../scripts/lib/sim/scenario";
import { buildSummary, dailyCsv, writeReport } from "../../scripts/lib/sim/report";
import { systemStages } from "../utils/deploy";

const parseCsv = (text: string): string[][] => parse(text) as string[][];

describe("scripts: the subnet market in the simulation (scripts/lib/sim/market.ts)", function () {
  describe("the market's agents (pure)", () => {
    it("toBps: proportional basis points summing to 10,000, zero weights dropped", () => {
      expect(toBps([1, 2, 3], [1, 1, 2])).to.deep.equal({ ids: [1, 2, 3], bps: [2500, 2500, 5000] });
      expect(toBps([1, 2, 3], [1, 0, 1])).to.deep.equal({ ids: [1, 3], bps: [5000, 5000] });
      const odd = toBps([1, 2, 3], [1, 1, 1]);
      expect(odd.bps.reduce((a, b) => a + b, 0)).to.equal(10_000);
      expect(toBps([1], [0])).to.deep.equal({ ids: [], bps: [] });
    });

    it("informedBallot: votes follow the fees observed, at most maxVotes subnets, none for no fees", () => {
      const rng = new SimRng(3);
      const seen = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, fees: BigInt(i) * 10n ** 18n }));
      const b = informedBallot(rng, seen, 16);
      expect(b.ids).to.not.include(1); // it earned nothing
      for (let k = 1; k < b.ids.length; k++) expect(b.ids[k]).to.be.lessThan(b.ids[k - 1]);
      for (let k = 1; k < b.bps.length; k++) expect(b.bps[k]).to.be.at.most(b.bps[k - 1]);
      expect(informedBallot(rng, seen, 2).ids).to.have.length(2);
      expect(informedBallot(rng, [{ id: 1, fees: 0n }], 16).ids).to.deep.equal([]);
    });

    it("launchCostModel: the factory's rule (doubles, decays linearly, within min and max)", () => {
      const p = { minCost: 1_000n, maxCost: 1_000_000n, decayPeriod: 100n };
      expect(launchCostModel({ ...p, lastCost: 0n, lastLaunch: 0n, now: 5n })).to.equal(1_000n);
      expect(launchCostModel({ ...p, lastCost: 4_000n, lastLaunch: 10n, now: 10n })).to.equal(8_000n);
      expect(launchCostModel({ ...p, lastCost: 4_000n, lastLaunch: 10n, now: 60n })).to.equal(6_000n);
      expect(launchCostModel({ ...p, lastCost: 4_000n, lastLaunch: 10n, now: 500n })).to.equal(1_000n);
      expect(launchCostModel({ ...p, lastCost: 900_000n, lastLaunch: 0n, now: 0n })).to.equal(1_000_000n);
    });

    it("the command line takes --subnets and --launch-decay", () => {
      const ok = parseSimArgs(["--days", "21", "--subnets", "4", "--launch-decay", "3"]);
      expect(ok.kind).to.equal("run");
      if (ok.kind !== "run") return;
      expect(ok.options).to.include({ subnets: 4, launchDecay: 3 });
      expect(ok.options.out).to.equal(path.join("reports", "sim", "1-21d-4s"));
      const bad = parseSimArgs(["--subnets", "32"]);
      expect(bad).to.deep.equal({ kind: "error", message: "--subnets: 32 is out of range (0-31)" });
    });
  });

  describe("21 days with at most 4 launched subnets per bucket, on the real contracts", function () {
    // About half a minute on an idle machine; the timeout only guards against a hang.
    this.timeout(600_000);
    const size = { days: 21, contributors: 8, validators: 4, stakers: 12, subnets: 4 };
    let result: SimResult;
    let supply: bigint;
    let scheduleAtEnd: bigint;
    let dir: string;

    before(async () => {
      const id = await network.provider.request({ method: "evm_snapshot", params: [] });
      try {
        result = await runSimulation({ ...size, seed: 7, deploy: systemStages });
        const token = Tetrad__factory.connect(result.environment.token, ethers.provider);
        const controller = EmissionController__factory.connect(
          result.environment.controller,
          ethers.provider,
        );
        supply = await token.totalSupply();
        const schedule = { ...DEFAULT_SCHEDULE, start: await controller.scheduleStart() };
        scheduleAtEnd = cumulative(schedule, await controller.lastDistribution());
      } finally {
        await network.provider.request({ method: "evm_revert", params: [id] });
      }
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "tetrad-sim-market-"));
      await writeReport(result, dir);
    });

    after(async () => {
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    it("owners launch subnets, users pay fees, holders vote the gauges", () => {
      const m = result.market!;
      expect(m.subnets.length).to.be.greaterThan(0);
      expect(m.tally.feesPaid).to.be.greaterThan(0n);
      expect(m.voters).to.have.length(MARKET.panel);
      expect(m.voters.reduce((a, v) => a + v.votes, 0)).to.be.greaterThan(0);
      for (const r of m.rows) for (const live of r.live) expect(live).to.be.at.most(size.subnets);
      // The gauge moved emission from the genesis subnets (floor) to launched ones.
      expect(m.rows[m.rows.length - 1].marketShareBps).to.be.greaterThan(0);
    });

    it("reconciles every wei: minted - burned = supply, each burn kind = the agents' tally", () => {
      const r = result.reconciliation;
      for (const c of r.checks) expect(c.ok, `${c.name}: ${c.detail}`).to.equal(true);
      expect(r.ok).to.equal(true);
      const names = r.checks.map((c) => c.name);
      expect(names).to.include.members([
        "launched subnets paid out",
        "launch burns = the owners' tally",
        "fee burns = the users' tally",
        "registration burns = the contributors' tally",
        "token burns = launch + fee + registration burns",
      ]);
      const m = r.market!;
      expect(m.launchBurned).to.be.greaterThan(0n);
      expect(m.feesBurned).to.be.greaterThan(0n);
      expect(r.minted - r.burned).to.equal(supply);
      expect(supply + r.burned).to.equal(scheduleAtEnd);
      expect(m.launchBurned).to.equal(result.market!.tally.launch);
      // The users' burn shares: burned at each subnet's next finalization, or still set aside.
      expect(m.feesBurned + m.feesSetAside).to.equal(result.market!.tally.fees);
      // Day by day: every burn of the day is minted - the supply's change, and they add up.
      const rows = result.market!.rows;
      expect(rows.reduce((a, x) => a + x.burned, 0n)).to.equal(r.burned);
      for (const x of rows) expect(x.minted - x.burned).to.equal(x.netIssuance);
      // daily.csv: supply + burned (launch, fees, registrations) = the schedule, every day.
      const csv = parseCsv(dailyCsv(result.rows));
      const col = (name: string) => csv[0].indexOf(name);
      for (const line of csv.slice(1)) {
        expect(line[col("supply_plus_burned_minus_schedule_wei")]).to.equal("0");
        expect(parseEther(line[col("supply_ttd")]) + parseEther(line[col("burned_ttd")])).to.equal(
          parseEther(line[col("schedule_cumulative_ttd")]),
        );
      }
    });

    it("summary.json has the market's numbers; the report has its charts, CSVs and section", async () => {
      const summary = JSON.parse(await fs.readFile(path.join(dir, "summary.json"), "utf8")) as {
        scenario: Record<string, number>;
        market: Record<string, unknown>;
      };
      expect(summary).to.deep.equal(JSON.parse(JSON.stringify(buildSummary(result))));
      expect(summary.scenario).to.include({ subnets: 4 });
      const market = summary.market;
      for (const key of [
        "subnetsLaunched",
        "subnetsRetired",
        "burnedTtd",
        "netIssuanceTtd",
        "demandEmissionRankCorrelation",
      ])
        expect(market, key).to.have.property(key);
      expect(market.subnetsLaunched).to.equal(result.market!.subnets.length);
      expect(parseEther(market.netIssuanceTtd as string)).to.equal(supply);
      const rho = market.demandEmissionRankCorrelation as number;
      expect(rho).to.be.within(-1, 1);
      for (const f of [
        "market-daily.csv",
        "market-subnets.csv",
        ...["live", "shares", "fees", "burned", "issuance", "demand"].map((c) =>
          path.join("charts", `market-${c}.svg`),
        ),
      ]) {
        const text = await fs.readFile(path.join(dir, f), "utf8");
        expect(text.length, f).to.be.greaterThan(0);
      }
      const subnets = parseCsv(await fs.readFile(path.join(dir, "market-subnets.csv"), "utf8"));
      expect(subnets).to.have.length(1 + result.market!.subnets.length);
      const html = await fs.readFile(path.join(dir, "index.html"), "utf8");
      expect(html).to.contain('id="market"');
      expect(html).to.contain("--subnets 4");
      expect(html.match(/<svg /g)).to.have.length(11);
    });
  });
});
