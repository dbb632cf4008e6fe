/**
 * `npm run bench:sim`: runs a fixed simulation scenario (scripts/lib/sim/) on the in-process Hardhat
 * network and reports its speed — simulated days per second and transactions per second, wall-clock
 * and per CPU-second (the machine may be shared: the load average is recorded too) — to stdout and
 * to reports/sim-bench.json. Fails if the run does not reconcile with the emission schedule.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import hre from "hardhat";
import { runSimulation } from "../lib/sim/scenario";
import { stages } from "../../deploy/stages";
import { ScenarioSize } from "../lib/sim/cli";

/** The benchmark's scenario: two months at medium size, past the onboarding and the DAO's proposal. */
export const BENCH_SCENARIO: ScenarioSize = {
  days: 60,
  contributors: 32,
  validators: 8,
  stakers: 50,
  seed: 1,
};

const OUT = path.join("reports", "sim-bench.json");

async function main(): Promise<void> {
  const load = os.loadavg();
  const cpu0 = process.cpuUsage();
  const result = await runSimulation({ ...BENCH_SCENARIO, deploy: stages(hre) });
  const cpu = process.cpuUsage(cpu0);
  const wall = result.wallMs / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const report = {
    scenario: BENCH_SCENARIO,
    transactions: result.transactions,
    wallSeconds: Number(wall.toFixed(2)),
    daysPerSecond: Number((BENCH_SCENARIO.days / wall).toFixed(3)),
    transactionsPerSecond: Number((result.transactions / wall).toFixed(1)),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    daysPerCpuSecond: Number((BENCH_SCENARIO.days / cpuSeconds).toFixed(3)),
    transactionsPerCpuSecond: Number((result.transactions / cpuSeconds).toFixed(1)),
    reconciled: result.reconciliation.ok,
    memory: {
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    },
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
  const s = BENCH_SCENARIO;
  console.log(
    `bench:sim — ${s.days} days, ${s.contributors} contributors per bucket, ${s.validators} validators per subnet, ${s.stakers} stakers (seed ${s.seed})`,
  );
  console.log(
    `  ${report.transactions} transactions in ${report.wallSeconds} s wall, ${report.cpuSeconds} s CPU`,
  );
  console.log(
    `  ${report.daysPerSecond} simulated days/s, ${report.transactionsPerSecond} tx/s (wall clock)`,
  );
  console.log(
    `  ${report.daysPerCpuSecond} days per CPU-second, ${report.transactionsPerCpuSecond} tx per CPU-second`,
  );
  console.log(
    `  load average ${report.machine.loadAverageAtStart.join(" ")} -> ${report.machine.loadAverageAtEnd.join(" ")} on ${report.machine.cpus} CPUs`,
  );
  console.log(`  memory: ${report.memory.rssMB} MB resident, ${report.memory.heapUsedMB} MB JS heap`);
  console.log(`  reconciled with the emission schedule: ${report.reconciled ? "yes, to the wei" : "NO"}`);
  console.log(`  written to ${OUT}`);
  if (!report.reconciled) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
