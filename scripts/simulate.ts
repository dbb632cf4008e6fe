/**
 * The agent-based economy simulation (scripts/lib/sim/): deploys the whole system, runs capital
 * stakers, contributors, honest, lazy and colluding validators and a governance proposal day by day on
 * the real contracts, prints a summary with the reconciliation against the emission schedule, and
 * writes a report folder (index.html, CSV, SVG charts, summary.json, run.json).
 *
 *   npx ts-node scripts/simulate.ts --days 30 --seed 7
 *   npm run simulate -- --days 365            (the full default run)
 *   npm run simulate -- --days 365 --chain anvil
 *   npm run demo                              (a short scenario)
 *
 * The chain: the in-process Hardhat network by default, which keeps every block's state in this
 * process (a year of the default scenario takes several GB); or, with `--chain anvil`, an anvil child
 * process started here with history pruning (`--prune-history`: old states are dropped, memory stays
 * flat in the number of days) on a free loopback port, which Hardhat reaches as its `simAnvil` network
 * (hardhat.config.ts). anvil is stopped by its PID at the end, on error and on SIGINT/SIGTERM. A seed
 * gives the same numbers on both chains (summary.json and the CSV files are the same, byte for byte).
 *
 * Exit codes: 0 done and reconciled, 1 reconciliation failed or error, 2 bad flags.
 */
import * as path from "path";
import { Anvil, startAnvil, stopWithProcess } from "./lib/chain/anvil";
import { SimOptions, createProgress, parseSimArgs, usage } from "./lib/sim/cli";

/** Hardhat's network for `--chain anvil` (hardhat.config.ts reads its URL from SIM_ANVIL_URL). */
const ANVIL_NETWORK = "simAnvil";
/** The in-process network's chain id, so that both chains sign and hash the same. */
const CHAIN_ID = 31337;
/**
 * `--prune-history`: keep no old states (only the latest ones anvil needs), so the memory does not
 * grow with the days. `--accounts 1`: the simulation's agents are impersonated and funded with
 * `hardhat_setBalance` (scripts/lib/chain/accounts.ts); only the deployer is a dev account. And
 * `forkFromEmpty` (scripts/lib/chain/anvil.ts): forked from an empty second anvil, the node computes
 * no state root, so that a block costs as much on the last day as on the first.
 */
const ANVIL_ARGS = ["--prune-history", "--accounts", "1"];

async function main(): Promise<void> {
  const parsed = parseSimArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    console.log(usage());
    return;
  }
  if (parsed.kind === "error") {
    console.error(`simulate: ${parsed.message}`);
    process.exitCode = 2;
    return;
  }
  const options = parsed.options;
  if (process.env.HARDHAT_NETWORK !== undefined && process.env.HARDHAT_NETWORK !== "hardhat") {
    console.error(
      `simulate: runs on the in-process Hardhat network or, with --chain anvil, on its own anvil (HARDHAT_NETWORK=${process.env.HARDHAT_NETWORK} is set)`,
    );
    process.exitCode = 2;
    return;
  }
  if (options.chain === "hardhat") {
    await simulate(options);
    return;
  }
  const anvil = await startAnvil({ chainId: CHAIN_ID, args: ANVIL_ARGS, forkFromEmpty: true });
  const release = stopWithProcess(anvil);
  console.error(`anvil (PIDs ${anvil.pids.join(", ")}) on ${anvil.url}: history pruned, no state root`);
  try {
    // Hardhat reads the network when it is first loaded (simulate() loads it).
    process.env.SIM_ANVIL_URL = anvil.url;
    process.env.HARDHAT_NETWORK = ANVIL_NETWORK;
    await simulate(options, anvil);
  } finally {
    await anvil.stop();
    release();
  }
}

async function simulate(options: SimOptions, anvil?: Anvil): Promise<void> {
  const hre = (await import("hardhat")).default;
  if (options.compile) await hre.run("compile", { quiet: true });
  // These use the TypeChain bindings, which the compile above (re)generates: load them after it.
  const { runSimulation } = await import("./lib/sim/scenario");
  const { deploymentText, summaryText, writeReport } = await import("./lib/sim/report");
  const { stages } = await import("../deploy/stages");

  const progress = createProgress({ label: "simulating", unit: "days", quiet: options.quiet });
  const cpu0 = process.cpuUsage();
  const anvil0 = anvil?.usage();
  const result = await runSimulation({ ...options, progress, deploy: stages(hre) });
  // Read before the report is rendered (and before anvil stops: its numbers go with the process).
  const cpu = process.cpuUsage(cpu0);
  const nodePeakMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const usage = anvil?.usage();
  const seconds = (s: number) => Number(s.toFixed(2));
  const runtime = {
    chain: options.chain,
    // Peak resident memory of the whole process (and of anvil) up to the end of the run.
    peakRss: {
      nodeMB: nodePeakMB,
      ...(usage && {
        anvilMB: Math.round(usage.peakRss / 2 ** 20),
        totalMB: nodePeakMB + Math.round(usage.peakRss / 2 ** 20),
      }),
    },
    // CPU time spent during the run (deployment and days), this process and anvil.
    cpuSeconds: {
      node: seconds((cpu.user + cpu.system) / 1e6),
      ...(usage && anvil0 && { anvil: seconds(usage.cpuSeconds - anvil0.cpuSeconds) }),
    },
  };
  const files = await writeReport(result, options.out, runtime);
  console.log(deploymentText(result) + "\n");
  console.log(summaryText(result));
  const relative = path.relative(process.cwd(), options.out);
  const dir = relative === "" ? "." : relative.startsWith("..") ? path.resolve(options.out) : relative;
  console.log(`\nReport: ${dir}${path.sep}`);
  for (const f of files) console.log(`  ${path.relative(options.out, f)}`);
  if (!result.reconciliation.ok) {
    console.error("simulate: the totals do not reconcile with the emission schedule (see FAIL above)");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
