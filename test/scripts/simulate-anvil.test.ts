/**
 * The simulation on anvil (`scripts/simulate.ts --chain anvil`): a short seeded run in a child process,
 * which starts its own anvil (history pruned), deploys there, runs the days, writes its report and stops
 * anvil. The run must reconcile to the wei and give the same numbers as the same seed on the in-process
 * network (summary.json and daily.csv, byte for byte); anvil must be gone afterwards, and also when the
 * run is interrupted with SIGINT.
 *
 * Not under `hardhat coverage`: artifacts/ then holds instrumented bytecode, which the child would deploy
 * to anvil. CI runs this file plain (tools/test.js --coverage, PLAIN_ONLY).
 */
import { expect } from "chai";
import { spawn } from "child_process";
import { promises as fs, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { network } from "hardhat";
import { runSimulation } from "../../scripts/lib/sim/scenario";
import { buildSummary, dailyCsv, toJson } from "../../scripts/lib/sim/report";
import { systemStages } from "../utils/deploy";
import { underCoverage } from "../utils/coverage";

const ROOT = path.join(__dirname, "..", "..");
const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");

interface Child {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The PIDs of the anvil processes the child reports on stderr ("anvil (PIDs 123, 124) on ..."). */
function anvilPids(stderr: string): number[] {
  const m = /anvil \(PIDs ([\d, ]+)\)/.exec(stderr);
  return m ? m[1].split(",").map((p) => Number(p.trim())) : [];
}

/** The process runs (a zombie, exited but not yet reaped by its new parent, does not count). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    if (process.platform === "linux") return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs scripts/simulate.ts with `args` (artifacts as compiled by this test run: --no-compile). With
 * `interrupt`, sends SIGINT to it once it has started anvil.
 */
function simulate(args: string[], interrupt = false): Promise<Child> {
  const env = { ...process.env };
  delete env.HARDHAT_NETWORK;
  const child = spawn(
    process.execPath,
    [TS_NODE, "--transpile-only", path.join("scripts", "simulate.ts"), ...args, "--no-compile"],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const out: Child = { status: null, signal: null, stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => {
    out.stderr += c.toString();
    if (interrupt && anvilPids(out.stderr).length > 0) {
      interrupt = false;
      child.kill("SIGINT");
    }
  });
  return new Promise((resolve) =>
    child.once("close", (status, signal) => resolve({ ...out, status, signal })),
  );
}

describe("Simulation on anvil (scripts/simulate.ts --chain anvil)", function () {
  // Two child processes of a few seconds each (ts-node and Hardhat start-up included); the timeout only
  // guards against a hang.
  this.timeout(180_000);
  const size = { days: 6, contributors: 2, validators: 4, stakers: 3, seed: 7 };
  let dir: string;

  before(async function () {
    if (underCoverage()) this.skip();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tetrad-sim-anvil-"));
  });

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("reconciles to the wei, gives the in-process network's numbers and stops anvil", async () => {
    const out = path.join(dir, "run");
    const flags = Object.entries(size).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const child = await simulate(["--chain", "anvil", ...flags, "--out", out, "--quiet"]);
    expect(child.status, child.stdout + child.stderr).to.equal(0);
    expect(child.stdout).to.match(/Deployed on anvil\//);
    expect(child.stdout).to.match(/Reconciliation \(exact\)/);

    const summaryText = await fs.readFile(path.join(out, "summary.json"), "utf8");
    const summary = JSON.parse(summaryText) as { reconciliation: { ok: boolean } };
    expect(summary.reconciliation.ok).to.equal(true);
    const run = JSON.parse(await fs.readFile(path.join(out, "run.json"), "utf8")) as {
      chain: string;
      environment: { client: string };
      peakRss: { nodeMB: number; anvilMB: number; totalMB: number };
    };
    expect(run.chain).to.equal("anvil");
    expect(run.environment.client).to.match(/^anvil\//);
    expect(run.peakRss.anvilMB).to.be.greaterThan(0);
    expect(run.peakRss.totalMB).to.equal(run.peakRss.nodeMB + run.peakRss.anvilMB);

    const pids = anvilPids(child.stderr);
    expect(pids).to.have.length(2); // the node and the empty chain it is forked from
    for (const pid of pids) expect(alive(pid), `anvil PID ${pid} still runs`).to.equal(false);

    // The same seed in-process, between a snapshot and its revert.
    const id = await network.provider.request({ method: "evm_snapshot", params: [] });
    try {
      const result = await runSimulation({ ...size, deploy: systemStages });
      expect(summaryText).to.equal(toJson(buildSummary(result)));
      expect(await fs.readFile(path.join(out, "daily.csv"), "utf8")).to.equal(dailyCsv(result.rows));
    } finally {
      await network.provider.request({ method: "evm_revert", params: [id] });
    }
  });

  it("stops anvil when interrupted (SIGINT) and exits 130", async () => {
    const out = path.join(dir, "interrupted");
    const child = await simulate(["--chain", "anvil", "--days", "60", "--out", out, "--quiet"], true);
    expect(child.status, child.stdout + child.stderr).to.equal(130);
    const pids = anvilPids(child.stderr);
    expect(pids).to.have.length(2);
    for (const pid of pids) expect(alive(pid), `anvil PID ${pid} still runs`).to.equal(false);
  });
});
