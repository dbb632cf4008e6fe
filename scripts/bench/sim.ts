/**
 * `npm run bench:sim [-- --days N]`: runs a fixed simulation scenario (scripts/lib/sim/) on both
 * chains of `scripts/simulate.ts` — the in-process Hardhat network and anvil (`--chain anvil`, history
 * pruned) — each in its own process, and reports their speed and memory to stdout and to
 * reports/sim-bench.json: simulated days and transactions per second, wall-clock and per CPU-second
 * (the machine may be shared: the load average is recorded too), and peak resident memory (the node
 * process's `maxRSS`; anvil's `VmHWM`; their sum). Fails if a run does not reconcile with the emission
 * schedule. It also says whether both chains gave the same results (summary.json and the CSV files).
 *
 * reports/sim-bench.json: `chains.hardhat` and `chains.anvil` hold each run's figures. The top-level
 * keys of earlier versions (transactions, wallSeconds, daysPerSecond, ..., memory) keep their meaning,
 * the in-process run; `peakRssMB` is the anvil run's peak, node + anvil (what a long run needs).
 */
import { spawnSync } from "child_process";
import { promises as fs, mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "node:util";
import { CHAINS, DEFAULT_SIZE, ScenarioSize, SimChain } from "../lib/sim/cli";

/** The benchmark's scenario: two months at medium size, past the onboarding and the DAO's proposal. */
export const BENCH_SCENARIO: ScenarioSize = {
  days: 60,
  contributors: 32,
  validators: 8,
  stakers: 50,
  seed: 1,
};

const ROOT = path.join(__dirname, "..", "..");
const OUT = path.join("reports", "sim-bench.json");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
/** The files of a report folder that are the same for the same run (no wall time, no addresses). */
const DETERMINISTIC = ["summary.json", "daily.csv", "contributors.csv", "validators.csv", "stakers.csv"];

/** run.json of scripts/simulate.ts (the fields read here). */
interface RunJson {
  wallSeconds: number;
  transactions: number;
  memory: { rssMB: number; heapUsedMB: number };
  peakRss: { nodeMB: number; anvilMB?: number; totalMB?: number };
  cpuSeconds: { node: number; anvil?: number };
  environment: { client: string };
}

interface ChainRun {
  client: string;
  transactions: number;
  wallSeconds: number;
  daysPerSecond: number;
  transactionsPerSecond: number;
  cpuSeconds: { node: number; anvil?: number; total: number };
  daysPerCpuSecond: number;
  transactionsPerCpuSecond: number;
  reconciled: boolean;
  peakRss: { nodeMB: number; anvilMB?: number; totalMB: number };
  memory: { rssMB: number; heapUsedMB: number };
  /** Whole process: start-up, compile check, run and report. */
  processSeconds: number;
}

/** One run of scripts/simulate.ts in its own process (so that its peak memory is its own). */
function runChain(chain: SimChain, scenario: ScenarioSize, dir: string, subnets = 0): ChainRun {
  const out = path.join(dir, chain);
  const s = scenario;
  const args = [
    TS_NODE,
    "--transpile-only",
    path.join(ROOT, "scripts", "simulate.ts"),
    ...["--chain", chain, "--days", `${s.days}`, "--contributors", `${s.contributors}`],
    ...["--validators", `${s.validators}`, "--stakers", `${s.stakers}`, "--seed", `${s.seed}`],
    ...["--out", out, "--quiet", "--no-compile"],
    ...(subnets > 0 ? ["--subnets", `${subnets}`, "--launch-decay", `${s.launchDecay}`] : []),
  ];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const processSeconds = (Date.now() - t0) / 1000;
  let run: RunJson;
  let summary: { reconciliation: { ok: boolean } };
  try {
    run = JSON.parse(readFileSync(path.join(out, "run.json"), "utf8")) as RunJson;
    summary = JSON.parse(readFileSync(path.join(out, "summary.json"), "utf8")) as typeof summary;
  } catch {
    throw new Error(
      `bench:sim: the ${chain} run failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
    );
  }
  const cpu = run.cpuSeconds.node + (run.cpuSeconds.anvil ?? 0);
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  return {
    client: run.environment.client,
    transactions: run.transactions,
    wallSeconds: round(run.wallSeconds, 2),
    daysPerSecond: round(s.days / run.wallSeconds, 3),
    transactionsPerSecond: round(run.transactions / run.wallSeconds, 1),
    cpuSeconds: { ...run.cpuSeconds, total: round(cpu, 2) },
    daysPerCpuSecond: round(s.days / cpu, 3),
    transactionsPerCpuSecond: round(run.transactions / cpu, 1),
    reconciled: r.status === 0 && summary.reconciliation.ok,
    peakRss: { ...run.peakRss, totalMB: run.peakRss.totalMB ?? run.peakRss.nodeMB },
    memory: run.memory,
    processSeconds: round(processSeconds, 1),
  };
}

async function sameFiles(a: string, b: string): Promise<boolean> {
  for (const f of DETERMINISTIC) {
    const [x, y] = await Promise.all([
      fs.readFile(path.join(a, f), "utf8"),
      fs.readFile(path.join(b, f), "utf8"),
    ]);
    if (x !== y) return false;
  }
  return true;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      days: { type: "string" },
      market: { type: "string" },
      "launch-decay": { type: "string" },
      keep: { type: "string" },
    },
  });
  const scenario = { ...BENCH_SCENARIO };
  if (values.days !== undefined) {
    if (!/^\d+$/.test(values.days) || Number(values.days) < 1 || Number(values.days) > 5833)
      throw new Error(`bench:sim: --days must be a whole number of days (1-5833), got "${values.days}"`);
    scenario.days = Number(values.days);
  }
  const c = spawnSync(process.execPath, [HARDHAT, "compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  if (c.status !== 0) throw new Error("bench:sim: hardhat compile failed");
  if (values.market !== undefined) {
    // The market runs at the simulation's default size (scripts/lib/sim/cli.ts DEFAULT_SIZE).
    const market = { ...DEFAULT_SIZE, days: scenario.days };
    if (values["launch-decay"] !== undefined) market.launchDecay = Number(values["launch-decay"]);
    return benchMarket(market, Number(values.market), values.keep);
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "tetrad-sim-bench-"));
  const load = os.loadavg();
  const runs = {} as Record<SimChain, ChainRun>;
  let same: boolean;
  try {
    for (const chain of CHAINS) {
      console.log(`bench:sim — ${chain}…`);
      runs[chain] = runChain(chain, scenario, dir);
    }
    same = await sameFiles(path.join(dir, "hardhat"), path.join(dir, "anvil"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const h = runs.hardhat;
  const report = {
    scenario,
    // The in-process run (the keys of earlier versions of this file).
    transactions: h.transactions,
    wallSeconds: h.wallSeconds,
    daysPerSecond: h.daysPerSecond,
    transactionsPerSecond: h.transactionsPerSecond,
    cpuSeconds: h.cpuSeconds.total,
    daysPerCpuSecond: h.daysPerCpuSecond,
    transactionsPerCpuSecond: h.transactionsPerCpuSecond,
    reconciled: h.reconciled && runs.anvil.reconciled,
    memory: h.memory,
    // The anvil run's peak resident memory: the node process + anvil.
    peakRssMB: runs.anvil.peakRss.totalMB,
    chains: runs,
    // summary.json and the CSV files are byte for byte the same on both chains.
    sameResults: same,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      loadAverageAtStart: load.map((l) => Number(l.toFixed(2))),
      loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
      node: process.version,
    },
    date: new Date().toISOString(),
  };
  await fs.mkdir(path.dirname(OUT), { recursive: true });
  await fs.writeFile(OUT, JSON.stringify(report, null, 2) + "\n");
  const s = scenario;
  console.log(
    `bench:sim — ${s.days} days, ${s.contributors} contributors per bucket, ${s.validators} validators per subnet, ${s.stakers} stakers (seed ${s.seed})`,
  );
  for (const chain of CHAINS) {
    const r = runs[chain];
    const rss =
      r.peakRss.anvilMB === undefined
        ? `${r.peakRss.totalMB} MB`
        : `${r.peakRss.totalMB} MB (node ${r.peakRss.nodeMB} + anvil ${r.peakRss.anvilMB})`;
    console.log(`  ${chain === "hardhat" ? "in-process" : "anvil"} (${r.client})`);
    console.log(`    ${r.transactions} transactions in ${r.wallSeconds} s wall, ${r.cpuSeconds.total} s CPU`);
    console.log(`    ${r.daysPerSecond} simulated days/s, ${r.transactionsPerSecond} tx/s (wall clock)`);
    console.log(
      `    ${r.daysPerCpuSecond} days per CPU-second, ${r.transactionsPerCpuSecond} tx per CPU-second`,
    );
    console.log(`    peak resident memory ${rss}`);
    console.log(`    reconciled with the emission schedule: ${r.reconciled ? "yes, to the wei" : "NO"}`);
  }
  console.log(`  same results on both chains: ${same ? "yes (summary.json and the CSV files)" : "NO"}`);
  console.log(
    `  load average ${report.machine.loadAverageAtStart.join(" ")} -> ${report.machine.loadAverageAtEnd.join(" ")} on ${report.machine.cpus} CPUs`,
  );
  console.log(`  written to ${OUT}`);
  return report.reconciled ? 0 : 1;
}

/**
 * `--market N [--keep DIR]`: the subnet market's long run, on anvil only (the in-process chain keeps
 * every block: a year with tens of subnets does not fit it), with up to N launched subnets per bucket.
 * Its figures go to `market` in reports/sim-bench.json, and the top-level `peakRssMB` becomes the
 * largest peak recorded (node + anvil). `--keep` copies its report folder there (summary.json, charts).
 */
async function benchMarket(scenario: ScenarioSize, subnets: number, keep?: string): Promise<number> {
  if (!Number.isInteger(subnets) || subnets < 1 || subnets > 32)
    throw new Error(`bench:sim: --market takes 1-32 subnets per bucket, got "${subnets}"`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "tetrad-sim-market-"));
  const load = os.loadavg();
  let run: ChainRun;
  try {
    console.log(
      `bench:sim — the market on anvil, ${scenario.days} days, up to ${subnets} subnets per bucket…`,
    );
    run = runChain("anvil", scenario, dir, subnets);
    if (keep) await fs.cp(path.join(dir, "anvil"), keep, { recursive: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(OUT, "utf8")) as Record<string, unknown>;
  } catch {
    previous = {};
  }
  const report = {
    ...previous,
    peakRssMB: Math.max(run.peakRss.totalMB, Number(previous.peakRssMB ?? 0)),
    market: {
      scenario: { ...scenario, subnets },
      ...run,
      loadAverageAtStart: load.map((l) => Number(l.toFixed(2))),
      loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
      date: new Date().toISOString(),
    },
  };
  await fs.writeFile(OUT, JSON.stringify(report, null, 2) + "\n");
  console.log(
    `  ${run.transactions} transactions in ${run.wallSeconds} s wall (${run.daysPerSecond} days/s), peak ${run.peakRss.totalMB} MB (node ${run.peakRss.nodeMB} + anvil ${run.peakRss.anvilMB}); reconciled: ${run.reconciled ? "yes" : "NO"}`,
  );
  console.log(`  written to ${OUT}${keep ? `; report in ${keep}` : ""}`);
  return run.reconciled ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
