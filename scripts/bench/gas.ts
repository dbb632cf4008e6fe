/**
 * `npm run bench:gas`: fixed scenarios on the in-process Hardhat network. Writes reports/gas.json
 * (operation -> receipt gasUsed), prints the change against the committed snapshot, and exits
 * non-zero when a budget in scripts/checks/gas-budgets.ts is exceeded.
 */
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import * as path from "path";
import { DAY, YEAR } from "../lib/chain/constants";
import { deployCore } from "../../deploy/stages";
import { GasRecorder, checkBudgets, diffLines, readReport, writeReport } from "../lib/chain/gas";
import { signPermit } from "../lib/chain/permit";
import { BUDGETS } from "../checks/gas-budgets";
import { benchPoc } from "./poc";
import { benchGovernance } from "./governance";
import { benchMarket } from "./market";

const REPORT = path.join(__dirname, "..", "..", "reports", "gas.json");
const PERMIT_DEADLINE = 4_102_444_800n; // 2100-01-01

async function main(): Promise<void> {
  const [deployer, alice, bob, carol] = await ethers.getSigners();
  const gas = new GasRecorder();
  const core = await deployCore(hre, deployer);
  const stake = core.mockStakingToken!;
  const pool = core.pool;
  const poolAddress = await pool.getAddress();
  const amount = ethers.parseEther("1000");

  for (const user of [alice, bob, carol]) {
    await stake.mint(user.address, amount * 10n);
    if (user !== carol) await stake.connect(user).approve(poolAddress, ethers.MaxUint256);
  }

  // Emission: a first distribution sets every balance, then the steady-state cases.
  await time.increase(DAY);
  await gas.record("emission.distribute.first", core.controller.distribute());
  await pool.connect(bob).deposit(amount);

  await gas.record("capital.deposit.first", pool.connect(alice).deposit(amount));
  await time.increase(DAY);
  await gas.record("emission.distribute.1day", core.controller.distribute());
  await time.increase(DAY);
  await gas.record("capital.deposit", pool.connect(alice).deposit(amount));
  await time.increase(DAY);
  await gas.record("capital.claim.first", pool.connect(alice).claim());
  await time.increase(DAY);
  await gas.record("capital.claim", pool.connect(alice).claim());
  await time.increase(DAY);
  await gas.record("capital.withdraw", pool.connect(alice).withdraw(amount / 2n));

  // Permit deposit by a returning staker (carol deposits once with a permit, then again).
  for (const key of ["capital.depositWithPermit.first", "capital.depositWithPermit"]) {
    // A fixed deadline keeps the calldata, and so the gas, the same from run to run.
    const deadline = PERMIT_DEADLINE;
    const sig = await signPermit(stake, carol, poolAddress, amount, deadline);
    await gas.record(key, pool.connect(carol).depositWithPermit(amount, deadline, sig.v, sig.r, sig.s));
    await time.increase(DAY);
  }
  await gas.record("capital.exit", pool.connect(bob).exit());

  await time.increase(10n * YEAR);
  await gas.record("emission.distribute.10years", core.controller.distribute());

  await benchPoc(gas);
  await benchGovernance(gas);
  await benchMarket(gas);

  const previous = readReport(REPORT);
  const report = { ...previous, ...gas.report };
  writeReport(REPORT, report);
  console.log(`Gas per transaction (receipt gasUsed), written to ${path.relative(process.cwd(), REPORT)}:`);
  for (const line of diffLines(previous, report)) console.log("  " + line);

  const failures = checkBudgets(report, BUDGETS);
  if (failures.length > 0) {
    console.error("\nOver budget:");
    for (const f of failures) console.error("  " + f);
    process.exitCode = 1;
  } else {
    console.log(`\nAll ${BUDGETS.length} gas budgets hold.`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
