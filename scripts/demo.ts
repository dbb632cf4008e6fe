/**
 * `npm run demo`: deploys the whole system on the in-process Hardhat network and runs a short
 * scenario — 30 days of emission with daily distributions and three capital stakers entering at
 * different times — then prints what was minted per bucket and what each staker was paid,
 * reconciled with the emission schedule to the wei; then two proof-of-contribution rounds in the
 * code subnet (scripts/demo-poc.ts).
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { BUCKET_NAMES, Bucket, DAY } from "./lib/constants";
import { deployCore } from "./lib/deploy";
import { fmt, table } from "./lib/format";
import { cumulative } from "./lib/schedule";
import { runPocDemo } from "./demo-poc";

const DAYS = 30;

async function main(): Promise<void> {
  const [deployer, alice, bob, carol, ...others] = await ethers.getSigners();
  const core = await deployCore(deployer);
  const { controller, pool, token } = core;
  const stake = core.mockStakingToken!;
  const poolAddress = await pool.getAddress();
  console.log("Tetrad demo: core economy on the in-process Hardhat network\n");
  console.log(`  TTD token          ${await token.getAddress()}`);
  console.log(`  EmissionController ${await controller.getAddress()}`);
  console.log(`  CapitalPool        ${poolAddress}  (stakes ${await stake.symbol()})`);
  console.log(`  Protection fund    ${await core.protectionFund.getAddress()}`);
  console.log(
    `  Schedule: ${fmt(core.schedule.initialAmount, 0)} TTD on day 0, ${fmt(core.schedule.decrease, 9)} less each day, ${fmt(await controller.scheduleTotal(), 2)} TTD in all\n`,
  );

  const stakers = [
    { who: alice, name: "alice", amount: ethers.parseEther("1000"), day: 0 },
    { who: bob, name: "bob", amount: ethers.parseEther("3000"), day: 5 },
    { who: carol, name: "carol", amount: ethers.parseEther("500"), day: 12 },
  ];
  for (const s of stakers) {
    await stake.mint(s.who.address, s.amount);
    await stake.connect(s.who).approve(poolAddress, s.amount);
  }

  const minted = [0n, 0n, 0n, 0n, 0n];
  for (let day = 0; day < DAYS; day++) {
    for (const s of stakers) if (s.day === day) await pool.connect(s.who).deposit(s.amount);
    await time.increase(DAY);
    const receipt = await (await controller.distribute()).wait();
    for (const log of receipt!.logs) {
      const parsed = controller.interface.parseLog(log);
      if (parsed?.name === "Distributed") {
        const amounts = parsed.args.amounts as bigint[];
        amounts.forEach((a, i) => (minted[i] += a));
      }
    }
  }
  await time.increase(7n * DAY); // let the capital stream of the last days run out
  const paid: bigint[] = [];
  for (const s of stakers) {
    const before = await token.balanceOf(s.who.address);
    await (await pool.connect(s.who).claim()).wait();
    paid.push((await token.balanceOf(s.who.address)) - before);
  }

  const supply = await token.totalSupply();
  const expected = cumulative(core.schedule, await controller.lastDistribution());
  const shares = await controller.shares();
  console.log(`Emission over ${DAYS} days, minted per bucket:`);
  console.log(
    table(
      ["bucket", "share", "TTD minted"],
      minted.map((m, i) => [BUCKET_NAMES[i], `${(Number(shares[i]) / 100).toFixed(2)}%`, fmt(m)]),
    ),
  );
  console.log(
    `\n  total supply ${fmt(supply)} TTD; schedule says ${fmt(expected)} TTD; difference ${supply - expected} wei\n`,
  );

  const rows = stakers.map((s, i) => [s.name, `day ${s.day}`, fmt(s.amount, 0), fmt(paid[i])]);
  console.log("Capital rewards paid (pro rata to stake and time):");
  console.log(table(["staker", "joined", "stake", "TTD claimed"], rows));
  const claimed = paid.reduce((a, b) => a + b, 0n);
  const inPool = await token.balanceOf(poolAddress);
  console.log(
    `\n  capital bucket ${fmt(minted[Bucket.Capital])} = claimed ${fmt(claimed)} + still in pool ${fmt(inPool)} (unstreamed + dust)`,
  );

  await runPocDemo(core, others);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
