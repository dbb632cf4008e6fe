/**
 * Attacks on the subnet market, on the deployed system (test/utils/market-fixture.ts), each with its
 * numbers: the test asserts the bound and logs what it measured.
 * - MKT-01 vote sniping: votes bought right before a period's snapshot weigh nothing (lookback).
 * - MKT-02 moved votes: a holder votes, moves its tokens to a second wallet that votes too; until
 *   someone pokes the first, its stale power counts twice. Measured over one period; one poke ends it.
 * - MKT-03 launch spam: what N launches cost (doubling) against the emission they win; eviction order:
 *   zero-vote subnets before voted ones, never a subnet within immunity.
 * - MKT-04 cap: a 90% coalition gets at most the cap (50%) for its subnet; repeated permissionless
 *   allocate() calls do not hand it the carried remainder.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContributionBucket } from "../../typechain-types";
import { DAY } from "../../scripts/lib/chain/constants";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import { DEFAULT_GAUGE as GAUGE, DEFAULT_PRICING as PRICING } from "../utils/market-defaults";
import {
  Launched,
  Market,
  TTD,
  deployMarket,
  expectedLaunchCost,
  give,
  launchSubnet,
} from "../utils/market-fixture";

const BPS = 10_000n;
const WEEK = 7n * DAY;
const DECAY = PRICING.decayPeriod;

const fmt = (x: bigint): string =>
  Number(ethers.formatEther(x)).toLocaleString("en-US", { maximumFractionDigits: 2 });
const pct = (bps: bigint): string => `${(Number(bps) / 100).toFixed(2)}%`;

/** Moves to the first second of the bucket's next period; returns that period. */
async function nextPeriod(bucket: ContributionBucket): Promise<bigint> {
  const e = (await bucket.currentPeriod()) + 1n;
  await time.increaseTo(await bucket.periodStart(e));
  return e;
}

/** `who` receives `amount` TTD and delegates to itself. */
async function holder(m: Market, who: HardhatEthersSigner, amount: bigint): Promise<void> {
  await give(m, who, amount);
  await (await m.core.token.connect(who).delegate(who.address)).wait();
}

/** Each live subnet's current share (bps), by address. */
async function shareOf(bucket: ContributionBucket): Promise<Map<string, bigint>> {
  const [subnets, bps] = await bucket.weights();
  return new Map(subnets.map((s, i) => [s, bps[i]]));
}

/** The code bucket's genesis subnet's floor set to `floor` (governance: the deployer is still admin). */
async function genesisFloor(m: Market, floor: number): Promise<void> {
  const genesis = await m.core.subnets[0].getAddress();
  await (
    await m.core.buckets[0]
      .connect(m.deployer)
      .setFloors(floor > 0 ? [genesis] : [], floor > 0 ? [floor] : [])
  ).wait();
}

/** A fresh market whose code bucket (`code`) has its genesis subnet's floor at `floor`. */
async function marketWithFloor(floor: number): Promise<{ m: Market; code: ContributionBucket }> {
  const m = await loadFixture(deployMarket);
  await genesisFloor(m, floor);
  return { m, code: m.core.buckets[0] };
}

/**
 * The owner receives 10,000 TTD and the attacker `attackerFunds`, then each `[who, name]` of `launches`
 * launches a subnet of that name in the code bucket, in order. Returns the launched subnets by name.
 */
async function launchAll(
  m: Market,
  attackerFunds: bigint,
  launches: [HardhatEthersSigner, string][],
): Promise<Record<string, Launched>> {
  await give(m, m.owner, 10_000n * TTD);
  await give(m, m.attacker, attackerFunds);
  const out: Record<string, Launched> = {};
  for (const [who, name] of launches) out[name] = await launchSubnet(m, who, { name });
  return out;
}

/** Distributes the emission accrued so far and splits it; returns what the code bucket received. */
async function distributeAndSplit(m: Market): Promise<bigint> {
  const code = m.core.buckets[0];
  const before = await m.core.token.balanceOf(await code.getAddress());
  await (await m.core.controller.distribute()).wait();
  const received = (await m.core.token.balanceOf(await code.getAddress())) - before;
  await (await code.allocate()).wait();
  return received;
}

describe("Market attacks", () => {
  it("MKT-01 vote sniping: 10x the honest votes bought 12 hours before the snapshot weigh 0; held past the next snapshot they count a period later", async () => {
    const { m, code } = await marketWithFloor(5_000);
    const { honest, sniper } = await launchAll(m, 10_000n * TTD, [
      [m.owner, "honest"],
      [m.attacker, "sniper"],
    ]);
    await holder(m, m.alice, 10_000n * TTD);
    const e1 = await nextPeriod(code);
    await code.connect(m.alice).vote([honest.id], [10_000]);
    // The whale (the attacker's ally) buys 100,000 TTD 12 hours before period e1 + 1's snapshot, delegates,
    // and votes at once.
    const whale = m.bob;
    const start2 = await code.periodStart(e1 + 1n);
    await m.core.token.connect(whale).delegate(whale.address);
    await time.setNextBlockTimestamp(start2 - 12n * 3_600n);
    await give(m, whale, 100_000n * TTD);
    await nextPeriod(code);
    const power = await code.votingPower(whale.address);
    await code.connect(whale).vote([sniper.id], [10_000]);
    await nextPeriod(code);
    const [inForce] = await code.votesOf(sniper.id);
    const shares = await shareOf(code);
    console.log(
      `      whale holds ${fmt(100_000n * TTD)} TTD (10x the honest votes) from 12 h before the snapshot: ` +
        `power ${fmt(power)}, votes in force ${fmt(inForce)}, share ${pct(shares.get(sniper.address)!)} ` +
        `(honest subnet ${pct(shares.get(honest.address)!)})`,
    );
    expect(power).to.equal(0n);
    expect(inForce).to.equal(0n);
    expect(shares.get(sniper.address)).to.equal(0n);
    expect(shares.get(honest.address)).to.equal(5_000n);
    // Held through the next snapshot (over a day before it), the votes count, one period after the vote.
    await code.poke(whale.address);
    expect((await code.votesOf(sniper.id))[0]).to.equal(0n);
    await nextPeriod(code);
    expect((await code.votesOf(sniper.id))[0]).to.equal(100_000n * TTD);
    const later = await shareOf(code);
    console.log(
      `      bought 12 h before period e+1's snapshot, the votes steer the split from period e+3 (14.5 days later; ` +
        `at least lookback + one period = 8 days in any case): sniper ${pct(later.get(sniper.address)!)}, ` +
        `honest ${pct(later.get(honest.address)!)} (the cap is 50%)`,
    );
    expect(later.get(sniper.address)).to.be.lte(5_000n);
  });

  it("MKT-02 moved votes: A votes, moves its tokens to B who votes the next period; A's stale power counts twice for one period, until a poke", async () => {
    const { m, code } = await marketWithFloor(0); // the gauge takes the whole bucket
    const subnets: Launched[] = [];
    for (const name of ["h1", "h2", "mover"]) {
      await give(m, m.owner, 5_000n * TTD);
      subnets.push(await launchSubnet(m, m.owner, { name }));
    }
    const [h1, h2, mover] = subnets;
    const [a, b] = [m.attacker, m.dave];
    await holder(m, m.alice, 400n * TTD);
    await holder(m, m.bob, 400n * TTD);
    await holder(m, a, 200n * TTD);
    await m.core.token.connect(b).delegate(b.address);
    const e1 = await nextPeriod(code);
    await code.connect(m.alice).vote([h1.id], [10_000]);
    await code.connect(m.bob).vote([h2.id], [10_000]);
    await code.connect(a).vote([mover.id], [10_000]);
    await m.core.token.connect(a).transfer(b.address, 200n * TTD);
    await nextPeriod(code); // e1 + 1: A's votes in force; B has power now
    await code.connect(b).vote([mover.id], [10_000]);
    const fair = (await shareOf(code)).get(mover.address)!;
    expect(fair).to.equal(2_000n); // 200 of 1,000 votes

    // Branch 1: nobody pokes A. In period e1 + 2, A's stale 200 and B's 200 both count.
    const snapshot = await takeSnapshot();
    await time.increaseTo(await code.periodStart(e1 + 2n));
    await distributeAndSplit(m); // the emission of the past periods, split before the period's own
    await time.increase(WEEK - 60n);
    const before = await code.allocation(mover.address);
    const received = await distributeAndSplit(m);
    const doubled = (await shareOf(code)).get(mover.address)!;
    const gained = (await code.allocation(mover.address)) - before;
    const fairAmount = (received * fair) / BPS;
    console.log(
      `      unpoked: mover's share ${pct(doubled)} instead of ${pct(fair)} for the period: ` +
        `${fmt(gained)} TTD of the period's ${fmt(received)} instead of ${fmt(fairAmount)} (+${fmt(gained - fairAmount)})`,
    );
    // The stale power counts once more at most: 400 of 1,200 votes.
    expect(doubled).to.equal((400n * BPS) / 1_200n);
    // One poke (anyone) in period e1 + 2 removes it from e1 + 3 on.
    await code.connect(m.stranger).poke(a.address);
    await nextPeriod(code);
    expect((await shareOf(code)).get(mover.address)).to.equal(fair);
    await snapshot.restore();

    // Branch 2: a keeper pokes A in period e1 + 1 (A's wallet was empty at its snapshot): A's power
    // leaves in e1 + 2, exactly when B's vote arrives. No period counts A's tokens twice.
    await code.connect(m.stranger).poke(a.address);
    await time.increaseTo(await code.periodStart(e1 + 2n));
    const poked = (await shareOf(code)).get(mover.address)!;
    console.log(`      poked in the period of the move: mover's share ${pct(poked)} (no double count)`);
    expect(poked).to.equal(fair);
  });

  it("MKT-03 launch spam: N launches in one day cost 1,000 x (2^N - 1) TTD and win 0% of the emission without votes; filling a bucket costs more than the supply", async () => {
    const m = await loadFixture(deployMarket);
    const { factory, token, buckets } = m.core;
    const code = buckets[0];
    await give(m, m.attacker, 130_000n * TTD);
    await code.allocate(); // what arrived before the launches goes to the genesis subnet
    const supplyBefore = await token.totalSupply();
    const costs: bigint[] = [];
    const spam: Launched[] = [];
    for (let i = 0; i < 7; i++) {
      const l = await launchSubnet(m, m.attacker, { name: `spam${i}` });
      costs.push(l.cost);
      spam.push(l);
    }
    const total = costs.reduce((x, y) => x + y, 0n);
    expect(total).to.be.gte(127_000n * TTD - 1_000n * TTD); // 1,000 x (2^7 - 1), less the seconds' decay
    expect(total).to.be.lte(127_000n * TTD);
    expect(await token.totalSupply()).to.equal(supplyBefore - total); // burned
    expect(await factory.launchCost()).to.be.gte(127_000n * TTD);
    const shares = await shareOf(code);
    for (const s of spam) expect(shares.get(s.address)).to.equal(0n);
    // A week of the code bucket's emission, split with the spam listed: none of it goes to the spam.
    await time.increase(WEEK);
    const weekly = await distributeAndSplit(m);
    let won = 0n;
    for (const s of spam) won += await code.allocation(s.address);
    expect(won).to.equal(0n);
    console.log(
      `      7 launches in 7 seconds: ${costs.map(fmt).join(" + ")} = ${fmt(total)} TTD burned, ` +
        `${(Number(total) / Number(weekly)).toFixed(1)} weeks of the code bucket's emission (${fmt(weekly)} TTD a week); ` +
        `won without votes: ${fmt(won)} TTD`,
    );

    // What filling a 32-slot bucket would cost (the genesis subnet has a floor: 31 launches), in one day
    // and spread evenly over the 14-day immunity window, by the contract's formula from the floor.
    const spree = (n: number, gap: bigint): bigint => {
      let [last, sum] = [0n, 0n];
      for (let i = 0; i < n; i++) {
        const c = expectedLaunchCost(last, gap, PRICING);
        [last, sum] = [c, sum + c];
      }
      return sum;
    };
    const oneDay = spree(31, 1n);
    const spread = spree(31, DECAY / 31n);
    const supply = await token.totalSupply();
    console.log(
      `      31 launches to fill a 32-slot bucket: ${fmt(oneDay)} TTD in a day, ${fmt(spread)} TTD spread over ` +
        `the 14 days of immunity; the whole supply at day ${Math.round(Number((BigInt(await time.latest()) - (await m.core.controller.scheduleStart())) / DAY))}: ${fmt(supply)} TTD`,
    );
    expect(spread).to.be.gt(supply);
  });

  it("MKT-03 eviction order: a full bucket retires the zero-vote subnet before the voted one; the voted one goes only once every other slot is immune or floored", async () => {
    const m = await loadFixture(deployMarket);
    const { factory } = m.core;
    const code = m.core.buckets[0];
    await code.connect(m.deployer).setGaugeParams({ ...GAUGE, maxSubnets: 4 });
    const { honest, idle } = await launchAll(m, 100_000n * TTD, [
      [m.owner, "honest"],
      [m.owner, "idle"],
    ]);
    await holder(m, m.alice, 1_000n * TTD);
    await nextPeriod(code);
    await code.connect(m.alice).vote([honest.id], [10_000]);
    await nextPeriod(code);
    // Both past their 14 days of immunity; honest has votes in force.
    const launchedAt = BigInt((await idle.receipt.getBlock()).timestamp);
    await time.increaseTo(launchedAt + 14n * DAY + 1n);
    expect((await code.votesOf(honest.id))[0]).to.equal(1_000n * TTD);
    const retiredBy = async (l: Launched): Promise<string[]> =>
      (await code.queryFilter(code.filters.SubnetRetired, l.receipt.blockNumber, l.receipt.blockNumber)).map(
        (r) => r.args.subnet,
      );
    const a1 = await launchSubnet(m, m.attacker, { name: "a1" }); // the free slot
    expect(await retiredBy(a1)).to.deep.equal([]);
    const a2 = await launchSubnet(m, m.attacker, { name: "a2" });
    expect(await retiredBy(a2)).to.deep.equal([idle.address]); // zero votes: first
    // Left to evict: the honest subnet only (the genesis one has a floor, a1 and a2 are immune).
    const a3 = await launchSubnet(m, m.attacker, { name: "a3" });
    expect(await retiredBy(a3)).to.deep.equal([honest.address]);
    console.log(
      `      4-slot bucket: the idle subnet went first; the voted one once the attacker's clones held every ` +
        `other slot: 3 launches, ${fmt(a1.cost + a2.cost + a3.cost)} TTD (a 32-slot bucket: see above)`,
    );
    // Those clones are immune for 14 days only; then, without votes, they go first.
    await time.increase(14n * DAY + 1n);
    await give(m, m.owner, 10_000n * TTD);
    const back = await launchSubnet(m, m.owner, { name: "honest2" });
    const [gone] = await retiredBy(back);
    expect([a1.address, a2.address, a3.address]).to.include(gone);
    expect(await factory.launched()).to.equal(6n);
  });

  it("MKT-03 immunity: while every subnet without a floor is within its immunity, no launch gets in (BucketFull)", async () => {
    const m = await loadFixture(deployMarket);
    const { factory, token } = m.core;
    const code = m.core.buckets[0];
    await code.connect(m.deployer).setGaugeParams({ ...GAUGE, maxSubnets: 4 });
    const { honest } = await launchAll(m, 100_000n * TTD, [
      [m.owner, "honest"],
      [m.owner, "idle"],
      [m.attacker, "a1"],
    ]);
    await time.increase(14n * DAY - 60n); // a minute before the first launch's immunity ends
    const supply = await token.totalSupply();
    await expect(
      factory
        .connect(m.attacker)
        .launch(0, "a2", "u", DEFAULT_SUBNET_PARAMS, DEFAULT_METRIC_WEIGHTS, MaxUint256),
    ).to.be.revertedWithCustomError(code, "BucketFull");
    expect(await token.totalSupply()).to.equal(supply);
    expect((await code.listings()).map((l) => l.subnet)).to.include(honest.address);
  });

  it("MKT-04 cap: a 90% coalition gets 50% for its subnet; all votes on it and no floor, repeated allocate() calls leave it at 50% of what arrived", async () => {
    const { m, code } = await marketWithFloor(2_000);
    const { honest, captured } = await launchAll(m, 10_000n * TTD, [
      [m.owner, "honest"],
      [m.attacker, "captured"],
    ]);
    const genesis = await m.core.subnets[0].getAddress();
    const coalition = m.carol; // the coalition's votes (its launch money aside)
    await holder(m, coalition, 9_000n * TTD);
    await holder(m, m.alice, 1_000n * TTD);
    await nextPeriod(code);
    await code.connect(coalition).vote([captured.id], [10_000]);
    await code.connect(m.alice).vote([honest.id], [10_000]);
    await nextPeriod(code);
    await distributeAndSplit(m); // the periods before the votes
    await time.increase(WEEK - 60n);
    const before = await Promise.all(
      [captured.address, honest.address, genesis].map((s) => code.allocation(s)),
    );
    const carriedBefore0 = await code.unallocated();
    const received = await distributeAndSplit(m);
    const after = await Promise.all(
      [captured.address, honest.address, genesis].map((s) => code.allocation(s)),
    );
    const got = after.map((x, i) => x - before[i]);
    // Nothing lost, nothing made up: what the three got and what is carried is what arrived (and was carried).
    expect(got[0] + got[1] + got[2] + (await code.unallocated())).to.equal(received + carriedBefore0);
    console.log(
      `      90/10 votes, genesis floor 20%: of ${fmt(received)} TTD, captured ${fmt(got[0])} ` +
        `(${pct((got[0] * BPS) / received)}), honest ${fmt(got[1])}, genesis ${fmt(got[2])}`,
    );
    expect(got[0]).to.equal(received / 2n);
    expect(await code.unallocated()).to.be.lte(3n); // rounding only: the floor takes what the cap leaves

    // All votes on the captured subnet, no floor at all: it gets the cap, the rest is carried, and
    // permissionless allocate() calls do not hand it the carried amount.
    await code.connect(m.alice).vote([captured.id], [10_000]);
    await genesisFloor(m, 0);
    await nextPeriod(code);
    await time.increase(WEEK - 60n);
    const start = await code.allocation(captured.address);
    const carriedBefore = await code.unallocated();
    const arrived = await distributeAndSplit(m);
    for (let i = 0; i < 10; i++) await code.connect(m.stranger).allocate();
    const taken = (await code.allocation(captured.address)) - start;
    const carried = await code.unallocated();
    console.log(
      `      all votes on it, no floor, 10 more allocate() calls: ${fmt(taken)} of ${fmt(arrived)} TTD ` +
        `(${pct((taken * BPS) / arrived)}); carried ${fmt(carried)} TTD until governance sets a floor`,
    );
    expect(taken).to.equal(arrived / 2n);
    expect(carried).to.equal(carriedBefore + arrived - taken);
    // Governance sets a floor: the carried amount goes to it, not to the capped subnet.
    await genesisFloor(m, 1_000);
    await code.allocate();
    expect(await code.allocation(captured.address)).to.equal(start + taken);
    expect(await code.unallocated()).to.be.lte(1n);
  });

  it("MKT-04 cap per subnet: the same coalition over two subnets of its own takes 36% + 36% (the cap binds each subnet, not each coalition)", async () => {
    const { m, code } = await marketWithFloor(2_000);
    const { honest, x1, x2 } = await launchAll(m, 20_000n * TTD, [
      [m.owner, "honest"],
      [m.attacker, "x1"],
      [m.attacker, "x2"],
    ]);
    await holder(m, m.carol, 9_000n * TTD);
    await holder(m, m.alice, 1_000n * TTD);
    await nextPeriod(code);
    await code.connect(m.carol).vote([x1.id, x2.id], [5_000, 5_000]);
    await code.connect(m.alice).vote([honest.id], [10_000]);
    await nextPeriod(code);
    const s = await shareOf(code);
    console.log(
      `      coalition over two subnets: ${pct(s.get(x1.address)!)} + ${pct(s.get(x2.address)!)}, ` +
        `honest ${pct(s.get(honest.address)!)}, genesis floor ${pct(s.get(await m.core.subnets[0].getAddress())!)}`,
    );
    expect(s.get(x1.address)).to.equal(3_600n);
    expect(s.get(x2.address)).to.equal(3_600n);
    for (const v of s.values()) expect(v).to.be.lte(5_000n);
  });
});
