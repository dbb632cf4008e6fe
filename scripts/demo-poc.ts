/**
 * The proof-of-contribution part of `npm run demo`: in the code bucket's first subnet, three
 * contributors of different quality, two honest validators and one that inflates a friend, for two
 * rounds; prints consensus scores, rewards and validator dividends.
 */
import { ethers } from "hardhat";
import { hexlify, randomBytes } from "ethers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Bucket } from "./lib/constants";
import { finalizeRound, toPhase } from "./lib/rounds";
import { Core } from "./lib/deploy";
import { fmt, table } from "./lib/format";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, commitment, encodeSheet } from "./lib/poc";
import { Subnet } from "../typechain-types";

export async function runPocDemo(core: Core, people: HardhatEthersSigner[]): Promise<void> {
  const [ana, ben, cai, val1, val2, sly] = people;
  const contributors = [
    { who: ana, name: "ana (strong)" },
    { who: ben, name: "ben (average)" },
    { who: cai, name: "cai (weak)" },
  ];
  const validators = [
    { who: val1, name: "val1 (honest)", stake: ethers.parseEther("300") },
    { who: val2, name: "val2 (honest)", stake: ethers.parseEther("300") },
    { who: sly, name: "sly (inflates cai)", stake: ethers.parseEther("250") },
  ];
  const subnet = core.subnets[Bucket.Code];
  const subnetAddress = await subnet.getAddress();
  const token = core.token.connect(core.deployer);
  // Bonds and stakes come from the protection fund, paid out by governance (the deployer for now).
  for (const p of [...contributors.map((c) => c.who), ...validators.map((v) => v.who)]) {
    await core.protectionFund.release(await token.getAddress(), p.address, ethers.parseEther("400"));
    await core.token.connect(p).approve(subnetAddress, ethers.MaxUint256);
  }
  // The subnet's first round closed while nobody was scoring: anyone can finalize it (pays nothing,
  // carries the emission) and so open the next one.
  if ((await subnet.phase()) === 2n) await finalizeRound(subnet, 64);
  for (const c of contributors)
    await subnet.connect(c.who).register(`https://${c.name.split(" ")[0]}.example`);
  for (const v of validators) await subnet.connect(v.who).stake(v.stake);
  await toPhase(subnet, "closed");
  await finalizeRound(subnet, 64); // a fresh round in which everyone is eligible

  // The truth per contributor and metric (intensity, data quality, accuracy gain, usage).
  const truth = [
    [52_000, 48_000, 45_000, 60_000],
    [30_000, 28_000, 25_000, 31_000],
    [9_000, 6_000, 4_000, 8_000],
  ];
  const inflated = truth.map((row, j) => (j === 2 ? row.map(() => 65_535) : row));
  for (let r = 0; r < 2; r++) {
    const round = await subnet.round();
    const sheets = validators.map((v) => ({
      sheet: encodeSheet(v.name.startsWith("sly") ? inflated : truth, DEFAULT_METRIC_WEIGHTS.length),
      salt: hexlify(randomBytes(32)),
    }));
    for (const [i, v] of validators.entries()) {
      await subnet
        .connect(v.who)
        .commit(commitment(subnetAddress, round, v.who.address, sheets[i].salt, sheets[i].sheet));
    }
    await toPhase(subnet, "reveal");
    for (const [i, v] of validators.entries())
      await subnet.connect(v.who).reveal(sheets[i].sheet, sheets[i].salt);
    await toPhase(subnet, "closed");
    await core.controller.distribute();
    const pool =
      (await core.buckets[Bucket.Code].allocation(subnetAddress)) + (await subnet.pendingEmission());
    const before = await Promise.all(
      [...contributors, ...validators].map((p) => subnet.claimable(p.who.address)),
    );
    await finalizeRound(subnet, 64);
    const after = await Promise.all(
      [...contributors, ...validators].map((p) => subnet.claimable(p.who.address)),
    );
    const earned = after.map((a, i) => a - before[i]);
    console.log(`\nProof of contribution, code subnet, round ${round}:`);
    const rows = await Promise.all(
      contributors.map(async (c, j) => [
        c.name,
        (await subnet.consensusScore(await subnet.contributorSlot(c.who.address))).toString(),
        fmt(earned[j]),
      ]),
    );
    console.log(table(["contributor", "consensus score", "TTD earned"], rows));
    console.log(
      table(
        ["validator", "stake", "TTD earned"],
        validators.map((v, i) => [v.name, fmt(v.stake, 0), fmt(earned[contributors.length + i])]),
      ),
    );
    console.log(`  round emission: ${fmt(pool)} TTD (including what earlier rounds without reveals carried)`);
  }
  console.log(
    `\n  sly's inflated scores for cai were clipped to the honest consensus; its agreement, and so its dividend per staked TTD, is lower than the honest validators'. Defaults: ${DEFAULT_SUBNET_PARAMS.contributorShare / 100}% contributors, ${DEFAULT_SUBNET_PARAMS.validatorShare / 100}% validators, the rest to the subnet owner.`,
  );
  for (const p of [...contributors, ...validators]) await subnet.connect(p.who).claim();
}
