import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import fc from "fast-check";
import {
  ContractTransactionReceipt,
  ContractTransactionResponse,
  TransactionResponse,
  getCreateAddress,
} from "ethers";
import {
  EmissionController,
  EmissionController__factory,
  GasGuzzlerReceiver,
  GasGuzzlerReceiver__factory,
  RecordingReceiver,
  RecordingReceiver__factory,
  RevertingReceiver,
  RevertingReceiver__factory,
  Tetrad__factory,
} from "../../typechain-types";
import { IEmissionController } from "../../typechain-types/contracts/emission/EmissionController";
import { Core, deployCore } from "../utils/deploy";
import {
  Bucket,
  DAY,
  DEFAULT_SCHEDULE,
  DEFAULT_SHARES,
  Shares,
  YEAR,
} from "../../scripts/lib/chain/constants";
import {
  ScheduleParams,
  cumulative,
  emitted,
  scheduleEnd,
  split,
  total,
} from "../../scripts/lib/models/schedule";
import { runs, underCoverage } from "../utils/coverage";

type Amounts = [bigint, bigint, bigint, bigint, bigint];
type RecipientArg = IEmissionController.RecipientStruct;
type Recipients = [RecipientArg, RecipientArg, RecipientArg, RecipientArg, RecipientArg];
const ZERO_AMOUNTS: Amounts = [0n, 0n, 0n, 0n, 0n];
/** Shares whose floors leave a remainder on most amounts. */
const ODD_SHARES: Shares = [1234, 2345, 3456, 2964, 1];

interface Fixture {
  core: Core;
  controller: EmissionController;
  admin: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  /** The five bucket recipients, indexed by Bucket. */
  recipients: string[];
}

async function withCore(core: Core): Promise<Fixture> {
  const [admin, stranger, alice] = await ethers.getSigners();
  const recipients = [
    await core.buckets[0].getAddress(),
    await core.buckets[1].getAddress(),
    await core.buckets[2].getAddress(),
    await core.pool.getAddress(),
    await core.protectionFund.getAddress(),
  ];
  return { core, controller: core.controller, admin, stranger, alice, recipients };
}

async function coreFixture(): Promise<Fixture> {
  const [admin] = await ethers.getSigners();
  return withCore(await deployCore(admin));
}

async function oddSharesFixture(): Promise<Fixture> {
  const [admin] = await ethers.getSigners();
  return withCore(await deployCore(admin, { shares: ODD_SHARES }));
}

async function futureStartFixture(): Promise<Fixture> {
  const [admin] = await ethers.getSigners();
  const start = BigInt(await time.latest()) + 10n * DAY;
  return withCore(await deployCore(admin, { start }));
}

interface ReceiversFixture extends Fixture {
  reverting: RevertingReceiver;
  guzzler: GasGuzzlerReceiver;
  recording: RecordingReceiver;
}

async function receiversFixture(): Promise<ReceiversFixture> {
  const f = await coreFixture();
  const reverting = await new RevertingReceiver__factory(f.admin).deploy();
  const guzzler = await new GasGuzzlerReceiver__factory(f.admin).deploy();
  const recording = await new RecordingReceiver__factory(f.admin).deploy();
  return { ...f, reverting, guzzler, recording };
}

async function balances(f: Fixture): Promise<Amounts> {
  const out: bigint[] = [];
  for (const r of f.recipients) out.push(await f.core.token.balanceOf(r));
  return out as Amounts;
}

function add(a: Amounts, b: Amounts): Amounts {
  return a.map((x, i) => x + b[i]) as Amounts;
}

function sub(a: Amounts, b: Amounts): Amounts {
  return a.map((x, i) => x - b[i]) as Amounts;
}

async function receiptOf(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt;
}

async function blockTimestamp(receipt: ContractTransactionReceipt): Promise<bigint> {
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error("no block");
  return BigInt(block.timestamp);
}

function distributedEvents(f: Fixture, receipt: ContractTransactionReceipt): bigint[][] {
  const out: bigint[][] = [];
  for (const log of receipt.logs) {
    const parsed = f.controller.interface.parseLog(log);
    if (parsed && parsed.name === "Distributed") out.push([parsed.args[0], parsed.args[1], parsed.args[2]]);
  }
  return out;
}

function bigShares(s: Shares): bigint[] {
  return s.map((x) => BigInt(x));
}

/**
 * A share change toward `target` that moves no bucket by more than `step` bps and still sums to
 * 10,000 (the controller's rate limit, issue 15): the gaps scaled down, the rounding put where it fits.
 */
function stepToward(current: Shares, target: Shares, step: number): Shares {
  const gaps = target.map((t, i) => t - current[i]);
  const widest = Math.max(...gaps.map(Math.abs));
  if (widest <= step) return [...target] as Shares;
  const moves = gaps.map((g) => Math.trunc((g * step) / widest));
  let rest = -moves.reduce((a, b) => a + b, 0);
  for (let i = 0; i < moves.length && rest !== 0; i++) {
    const room =
      rest > 0
        ? Math.min(step - moves[i], 10_000 - current[i] - moves[i])
        : Math.min(step + moves[i], current[i] + moves[i]);
    const d = Math.sign(rest) * Math.min(Math.abs(rest), Math.max(room, 0));
    moves[i] += d;
    rest -= d;
  }
  return current.map((c, i) => c + moves[i]) as Shares;
}

describe("EmissionController", () => {
  describe("deployment and views", () => {
    it("exposes the schedule, shares, recipients and token", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core, recipients } = f;
      const s = core.schedule;
      expect(await controller.token()).to.equal(await core.token.getAddress());
      expect(await controller.BUCKETS()).to.equal(5n);
      expect(await controller.BPS()).to.equal(10_000n);
      expect(await controller.scheduleStart()).to.equal(s.start);
      expect(await controller.scheduleEnd()).to.equal(scheduleEnd(s));
      expect(await controller.scheduleEnd()).to.equal(s.start + 5833n * DAY);
      expect(await controller.scheduleTotal()).to.equal(total(s));
      expect(await controller.scheduleTotal()).to.equal(await core.token.cap());
      expect(await controller.lastDistribution()).to.equal(s.start);
      expect(await controller.totalEmitted()).to.equal(0n);
      expect(await controller.shares()).to.deep.equal(bigShares(DEFAULT_SHARES));
      for (let i = 0; i < 5; i++) {
        const r = await controller.recipient(i);
        expect(r.account).to.equal(recipients[i]);
        // Only the pool is notified: the contribution buckets split by balance when pulled.
        expect(r.notify).to.equal(i === Bucket.Capital);
      }
      expect(await core.token.minter()).to.equal(await controller.getAddress());
      expect(await controller.authority()).to.equal(await core.manager.getAddress());
      expect(await controller.paused()).to.equal(false);
    });

    it("pendingEmission and distribute.staticCall equal the schedule's emission since the last distribution", async () => {
      const { controller, core } = await loadFixture(coreFixture);
      await time.increase(3n * DAY + 17n);
      const now = BigInt(await time.latest());
      const expected = emitted(core.schedule, core.schedule.start, now);
      expect(expected).to.be.gt(0n);
      expect(await controller.pendingEmission()).to.equal(expected);
      expect(await controller.emittedBetween(core.schedule.start, now)).to.equal(expected);
      expect(await controller.distribute.staticCall()).to.equal(expected);
    });

    it("emittedBetween reverts InvalidRange(from, to) when to < from", async () => {
      const { controller } = await loadFixture(coreFixture);
      await expect(controller.emittedBetween(100n, 99n))
        .to.be.revertedWithCustomError(controller, "InvalidRange")
        .withArgs(100n, 99n);
    });
  });

  describe("distribute", () => {
    it("mints exactly emittedBetween(last, now) and splits it by shares, remainder to protection", async () => {
      const f = await loadFixture(oddSharesFixture);
      const { controller, core, stranger } = f;
      const last = await controller.lastDistribution();
      const to = last + 3n * DAY + 1234n;
      const minted = emitted(core.schedule, last, to);
      const amounts = split(minted, ODD_SHARES);
      // The remainder path matters here: protection gets more than its floor.
      expect(amounts[Bucket.Protection]).to.be.gt((minted * 1n) / 10_000n);
      expect(amounts.reduce((a, b) => a + b, 0n)).to.equal(minted);

      const before = await balances(f);
      await time.setNextBlockTimestamp(to);
      const tx = controller.connect(stranger).distribute(); // permissionless
      await expect(tx).to.emit(controller, "Distributed").withArgs(last, to, minted, amounts);
      expect(sub(await balances(f), before)).to.deep.equal(amounts);
      expect(await controller.emittedBetween(last, to)).to.equal(minted);
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, to));
      expect(await controller.totalEmitted()).to.equal(cumulative(core.schedule, to));
      expect(await controller.lastDistribution()).to.equal(to);
      expect(await controller.pendingEmission()).to.equal(0n);
    });

    it("successive distributions add up to the cumulative emission, split per distribution", async () => {
      const f = await loadFixture(oddSharesFixture);
      const { controller, core } = f;
      await controller.distribute();
      let expected = await balances(f);
      let last = await controller.lastDistribution();
      expect(last).to.equal(BigInt(await time.latest()));
      for (const gap of [1n, 59n, DAY, DAY / 2n + 3n, 40n * DAY + 1n, 7n]) {
        const to = last + gap;
        await time.setNextBlockTimestamp(to);
        await controller.distribute();
        expected = add(expected, split(emitted(core.schedule, last, to), ODD_SHARES));
        expect(await balances(f)).to.deep.equal(expected);
        expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, to));
        last = to;
      }
    });

    it("two distributes in the same block mint nothing the second time", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core } = f;
      await time.increase(DAY);
      await ethers.provider.send("evm_setAutomine", [false]);
      let r1: ContractTransactionReceipt;
      let r2: ContractTransactionReceipt;
      try {
        const tx1 = await controller.distribute({ gasLimit: 1_000_000 });
        const tx2 = await controller.distribute({ gasLimit: 1_000_000 });
        await ethers.provider.send("evm_mine", []);
        const a = await tx1.wait();
        const b = await tx2.wait();
        if (!a || !b) throw new Error("no receipt");
        r1 = a;
        r2 = b;
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      expect(r1.blockNumber).to.equal(r2.blockNumber);
      const ts = await blockTimestamp(r1);
      expect(distributedEvents(f, r1)).to.deep.equal([
        [core.schedule.start, ts, cumulative(core.schedule, ts)],
      ]);
      expect(r2.logs).to.have.length(0);
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, ts));
      expect(await controller.lastDistribution()).to.equal(ts);
    });

    it("mints nothing before the schedule starts, then exactly the cumulative emission", async () => {
      const f = await loadFixture(futureStartFixture);
      const { controller, core } = f;
      const start = core.schedule.start;
      expect(BigInt(await time.latest())).to.be.lt(start);
      expect(await controller.pendingEmission()).to.equal(0n);
      await expect(controller.distribute()).to.not.emit(controller, "Distributed");
      expect(await core.token.totalSupply()).to.equal(0n);
      expect(await controller.lastDistribution()).to.equal(start);

      // Exactly at the start: still nothing (the period (start, start] is empty).
      await time.setNextBlockTimestamp(start);
      await expect(controller.distribute()).to.not.emit(controller, "Distributed");
      expect(await core.token.totalSupply()).to.equal(0n);

      const to = start + DAY + 100n;
      await time.setNextBlockTimestamp(to);
      const minted = cumulative(core.schedule, to);
      await expect(controller.distribute())
        .to.emit(controller, "Distributed")
        .withArgs(start, to, minted, split(minted, DEFAULT_SHARES));
      expect(await core.token.totalSupply()).to.equal(minted);
      expect(await balances(f)).to.deep.equal(split(minted, DEFAULT_SHARES));
    });

    it("after the schedule's end mints exactly up to the total, then nothing, and never reverts", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core } = f;
      const end = scheduleEnd(core.schedule);
      const cap = await core.token.cap();
      expect(cap).to.equal(total(core.schedule));

      // Part of the way first, then straight past the end.
      const mid = end - 100n * DAY - 5n;
      await time.setNextBlockTimestamp(mid);
      await controller.distribute();
      const supplyAtMid = await core.token.totalSupply();
      expect(supplyAtMid).to.equal(cumulative(core.schedule, mid));

      const after = end + 37n * DAY;
      await time.setNextBlockTimestamp(after);
      await expect(controller.distribute())
        .to.emit(controller, "Distributed")
        .withArgs(mid, after, cap - supplyAtMid, split(cap - supplyAtMid, DEFAULT_SHARES));
      expect(await core.token.totalSupply()).to.equal(cap);
      expect(await controller.totalEmitted()).to.equal(cap);
      expect(await controller.pendingEmission()).to.equal(0n);

      for (const gap of [1n, DAY, 10n * YEAR]) {
        await time.increase(gap);
        expect(await controller.pendingEmission()).to.equal(0n);
        await expect(controller.distribute()).to.not.emit(controller, "Distributed");
        expect(await core.token.totalSupply()).to.equal(cap);
      }
      const cumulativeSplit = add(
        split(supplyAtMid, DEFAULT_SHARES),
        split(cap - supplyAtMid, DEFAULT_SHARES),
      );
      expect(await balances(f)).to.deep.equal(cumulativeSplit);
    });

    it("a single distribute after 10 years of silence mints the cumulative emission exactly", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core } = f;
      const to = core.schedule.start + 10n * YEAR + 12_345n;
      expect(to).to.be.lt(scheduleEnd(core.schedule));
      await time.setNextBlockTimestamp(to);
      const minted = cumulative(core.schedule, to);
      const receipt = await receiptOf(controller.distribute());
      expect(distributedEvents(f, receipt)).to.deep.equal([[core.schedule.start, to, minted]]);
      expect(await core.token.totalSupply()).to.equal(minted);
      expect(await balances(f)).to.deep.equal(split(minted, DEFAULT_SHARES));
    });
  });

  describe("setShares", () => {
    it("settles the past at the old shares, then applies the new shares to the future", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core, admin } = f;
      const newShares: Shares = [1400, 2000, 3000, 3200, 400]; // each within the 1,000 bps step
      const last = await controller.lastDistribution();
      const t1 = last + 5n * DAY + 321n;
      const minted1 = emitted(core.schedule, last, t1);
      const old1 = split(minted1, DEFAULT_SHARES);

      await time.setNextBlockTimestamp(t1);
      const tx = controller.connect(admin).setShares(newShares);
      await expect(tx).to.emit(controller, "Distributed").withArgs(last, t1, minted1, old1);
      await expect(tx)
        .to.emit(controller, "SharesUpdated")
        .withArgs(bigShares(DEFAULT_SHARES), bigShares(newShares));
      expect(await balances(f)).to.deep.equal(old1);
      expect(await controller.shares()).to.deep.equal(bigShares(newShares));
      expect(await controller.lastDistribution()).to.equal(t1);

      const t2 = t1 + 3n * DAY + 7n;
      await time.setNextBlockTimestamp(t2);
      const minted2 = emitted(core.schedule, t1, t2);
      await expect(controller.distribute())
        .to.emit(controller, "Distributed")
        .withArgs(t1, t2, minted2, split(minted2, newShares));
      expect(await balances(f)).to.deep.equal(add(old1, split(minted2, newShares)));
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, t2));
    });

    it("reverts InvalidShares(sum) unless the shares sum to 10,000", async () => {
      const { controller, admin } = await loadFixture(coreFixture);
      const cases: [Shares, bigint][] = [
        [[2400, 2400, 2400, 2400, 399], 9999n],
        [[2400, 2400, 2400, 2400, 401], 10_001n],
        [[0, 0, 0, 0, 0], 0n],
        [[10_001, 0, 0, 0, 0], 10_001n],
        [[65_535, 65_535, 65_535, 65_535, 65_535], 327_675n],
      ];
      for (const [s, sum] of cases) {
        await expect(controller.connect(admin).setShares(s))
          .to.be.revertedWithCustomError(controller, "InvalidShares")
          .withArgs(sum);
      }
      expect(await controller.shares()).to.deep.equal(bigShares(DEFAULT_SHARES));
    });

    it("accepts a single bucket taking everything, 1,000 bps per 30 days", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core, admin } = f;
      await expect(controller.connect(admin).setShares([0, 0, 10_000, 0, 0]))
        .to.be.revertedWithCustomError(controller, "ShareStepTooLarge")
        .withArgs(Bucket.Code, 2400n, 0n, 1000n);
      let shares = [...DEFAULT_SHARES] as number[];
      while (shares[Bucket.Compute] < 10_000) {
        if (shares[Bucket.Compute] !== DEFAULT_SHARES[Bucket.Compute]) await time.increase(30n * DAY);
        shares = stepToward(shares as Shares, [0, 0, 10_000, 0, 0], 1000);
        await controller.connect(admin).setShares(shares as Shares);
        await expect(controller.connect(admin).setShares(shares as Shares)).to.be.revertedWithCustomError(
          controller,
          "SharesChangedTooRecently",
        );
      }
      const before = await balances(f);
      const last = await controller.lastDistribution();
      const to = last + DAY;
      await time.setNextBlockTimestamp(to);
      await controller.distribute();
      const minted = emitted(core.schedule, last, to);
      expect(sub(await balances(f), before)).to.deep.equal([0n, 0n, minted, 0n, 0n]);
    });
  });

  describe("setMaxShareStep", () => {
    it("has nothing pending at first: pendingMaxShareStep() is (0, 0) and the step is the default", async () => {
      const { controller } = await loadFixture(coreFixture);
      expect(await controller.maxShareStep()).to.equal(await controller.DEFAULT_MAX_SHARE_STEP());
      expect(await controller.pendingMaxShareStep()).to.deep.equal([0n, 0n]);
    });

    it("refuses a loosening over 500 bps and any step over 10,000 bps, even within 500 bps of the step", async () => {
      const { controller, admin, stranger } = await loadFixture(coreFixture);
      const BPS = await controller.BPS();
      const WINDOW = await controller.SHARES_WINDOW();
      expect(await controller.MAX_SHARE_STEP_LOOSENING()).to.equal(500n);
      await expect(controller.connect(stranger).setMaxShareStep(500n))
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      // From the default 1,000 bps: 1,501 is a loosening over 500 bps (and under a whole).
      await expect(controller.connect(admin).setMaxShareStep(1_501n))
        .to.be.revertedWithCustomError(controller, "InvalidMaxShareStep")
        .withArgs(1_501n);
      // Loosened 500 bps per window up to a whole; each loosening applies a window later.
      for (let step = 1_500n; step <= BPS; step += 500n) {
        const tx = await controller.connect(admin).setMaxShareStep(step);
        const at = BigInt((await tx.getBlock())!.timestamp) + WINDOW;
        await expect(tx).to.emit(controller, "MaxShareStepRaiseScheduled").withArgs(step, at);
        expect(await controller.pendingMaxShareStep()).to.deep.equal([step, at]);
        await time.increaseTo(at);
        expect(await controller.maxShareStep()).to.equal(step);
      }
      // In force now: nothing is pending any more.
      expect(await controller.pendingMaxShareStep()).to.deep.equal([0n, 0n]);
      // 10,001 bps is within 500 bps of the step, but over a whole.
      await expect(controller.connect(admin).setMaxShareStep(BPS + 1n))
        .to.be.revertedWithCustomError(controller, "InvalidMaxShareStep")
        .withArgs(BPS + 1n);
      expect(await controller.maxShareStep()).to.equal(BPS);
      expect(await controller.pendingMaxShareStep()).to.deep.equal([0n, 0n]);
    });
  });

  describe("setRecipient", () => {
    it("settles to the old recipient first, then pays the new one", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core, admin, alice, recipients } = f;
      const last = await controller.lastDistribution();
      const t1 = last + 2n * DAY + 5n;
      const minted1 = emitted(core.schedule, last, t1);
      const amounts1 = split(minted1, DEFAULT_SHARES);

      await time.setNextBlockTimestamp(t1);
      const tx = controller.connect(admin).setRecipient(Bucket.Community, alice.address, false);
      await expect(tx).to.emit(controller, "Distributed").withArgs(last, t1, minted1, amounts1);
      await expect(tx)
        .to.emit(controller, "RecipientUpdated")
        .withArgs(Bucket.Community, alice.address, false);
      expect(await core.token.balanceOf(recipients[Bucket.Community])).to.equal(amounts1[Bucket.Community]);
      expect(await core.token.balanceOf(alice.address)).to.equal(0n);
      const r = await controller.recipient(Bucket.Community);
      expect(r.account).to.equal(alice.address);
      expect(r.notify).to.equal(false);

      const t2 = t1 + DAY;
      await time.setNextBlockTimestamp(t2);
      await controller.distribute();
      const amounts2 = split(emitted(core.schedule, t1, t2), DEFAULT_SHARES);
      expect(await core.token.balanceOf(alice.address)).to.equal(amounts2[Bucket.Community]);
      expect(await core.token.balanceOf(recipients[Bucket.Community])).to.equal(amounts1[Bucket.Community]);
      expect(await core.token.balanceOf(recipients[Bucket.Code])).to.equal(
        amounts1[Bucket.Code] + amounts2[Bucket.Code],
      );
    });

    it("reverts InvalidRecipient for the zero address, the controller itself and notify on an EOA", async () => {
      const { controller, admin, alice } = await loadFixture(coreFixture);
      const self = await controller.getAddress();
      await expect(controller.connect(admin).setRecipient(Bucket.Code, ethers.ZeroAddress, false))
        .to.be.revertedWithCustomError(controller, "InvalidRecipient")
        .withArgs(ethers.ZeroAddress);
      await expect(controller.connect(admin).setRecipient(Bucket.Code, self, false))
        .to.be.revertedWithCustomError(controller, "InvalidRecipient")
        .withArgs(self);
      await expect(controller.connect(admin).setRecipient(Bucket.Code, alice.address, true))
        .to.be.revertedWithCustomError(controller, "InvalidRecipient")
        .withArgs(alice.address);
      // An EOA without notification is fine.
      await expect(controller.connect(admin).setRecipient(Bucket.Code, alice.address, false))
        .to.emit(controller, "RecipientUpdated")
        .withArgs(Bucket.Code, alice.address, false);
    });
  });

  describe("access control", () => {
    it("setShares, setRecipient, pause and unpause revert AccessManagedUnauthorized for a stranger", async () => {
      const { controller, stranger } = await loadFixture(coreFixture);
      const c = controller.connect(stranger);
      await expect(c.setShares(DEFAULT_SHARES))
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(c.setRecipient(Bucket.Code, stranger.address, false))
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(c.pause())
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(c.unpause())
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });
  });

  describe("pause", () => {
    it("blocks distribute with EnforcedPause; emission keeps accruing and is minted after unpause", async () => {
      const f = await loadFixture(coreFixture);
      const { controller, core, admin, stranger } = f;
      const last = await controller.lastDistribution();
      await expect(controller.connect(admin).pause()).to.emit(controller, "Paused").withArgs(admin.address);
      expect(await controller.paused()).to.equal(true);
      await time.increase(4n * DAY);
      await expect(controller.connect(stranger).distribute()).to.be.revertedWithCustomError(
        controller,
        "EnforcedPause",
      );
      await expect(controller.connect(admin).distribute()).to.be.revertedWithCustomError(
        controller,
        "EnforcedPause",
      );
      await expect(controller.connect(admin).pause()).to.be.revertedWithCustomError(
        controller,
        "EnforcedPause",
      );
      const now = BigInt(await time.latest());
      expect(await controller.pendingEmission()).to.equal(emitted(core.schedule, last, now));
      expect(await core.token.totalSupply()).to.equal(0n);

      await expect(controller.connect(admin).unpause())
        .to.emit(controller, "Unpaused")
        .withArgs(admin.address);
      await expect(controller.connect(admin).unpause()).to.be.revertedWithCustomError(
        controller,
        "ExpectedPause",
      );
      const to = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(to);
      const minted = emitted(core.schedule, last, to);
      await expect(controller.connect(stranger).distribute())
        .to.emit(controller, "Distributed")
        .withArgs(last, to, minted, split(minted, DEFAULT_SHARES));
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, to));
      expect(await balances(f)).to.deep.equal(split(minted, DEFAULT_SHARES));
    });
  });

  describe("recipient hooks", () => {
    /**
     * The `hook` receiver (notified) as `bucket`'s recipient, and the next block `dt` after the last
     * distribution: the amounts a distribution then should send to each bucket.
     */
    async function hookedDistribution(hook: "reverting" | "guzzler", bucket: Bucket, dt: bigint) {
      const f = await loadFixture(receiversFixture);
      const { controller, core, admin } = f;
      const addr = await f[hook].getAddress();
      await controller.connect(admin).setRecipient(bucket, addr, true);
      const last = await controller.lastDistribution();
      const to = last + dt;
      await time.setNextBlockTimestamp(to);
      return { controller, core, addr, to, amounts: split(emitted(core.schedule, last, to), DEFAULT_SHARES) };
    }

    it("a reverting hook is reported with ReceiverNotificationFailed; its tokens are minted anyway", async () => {
      const { controller, core, addr, to, amounts } = await hookedDistribution(
        "reverting",
        Bucket.Code,
        DAY + 1n,
      );
      const tx = controller.distribute();
      await expect(tx)
        .to.emit(controller, "ReceiverNotificationFailed")
        .withArgs(Bucket.Code, addr, amounts[Bucket.Code]);
      await expect(tx).to.emit(controller, "Distributed");
      expect(await core.token.balanceOf(addr)).to.equal(amounts[Bucket.Code]);
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, to));
    });

    it("a hook that burns all its gas gets exactly HOOK_GAS, fails alone, and the emission goes on", async function () {
      // Gas is the point: instrumented (coverage) bytecode costs more around the hook; tools/test.js
      // --coverage runs this test plain first (PLAIN_ONLY).
      if (underCoverage()) this.skip();
      const { controller, core, addr, to, amounts } = await hookedDistribution(
        "guzzler",
        Bucket.Compute,
        DAY,
      );
      const tx = controller.distribute({ gasLimit: 3_000_000 });
      await expect(tx)
        .to.emit(controller, "ReceiverNotificationFailed")
        .withArgs(Bucket.Compute, addr, amounts[Bucket.Compute]);
      const receipt = await (await tx).wait();
      // The hook burnt its whole allowance and no more, whatever gas the caller offered.
      const hookGas = await controller.HOOK_GAS();
      expect(receipt!.gasUsed).to.be.gt(hookGas);
      expect(receipt!.gasUsed).to.be.lt(hookGas + 400_000n);
      expect(await core.token.totalSupply()).to.equal(cumulative(core.schedule, to));
    });

    it("a caller who leaves too little gas for the hook's allowance gets HookOutOfGas(account)", async () => {
      const f = await loadFixture(receiversFixture);
      const { controller, core, admin, guzzler } = f;
      const addr = await guzzler.getAddress();
      // Only the guzzler is notified, so it is the hook the caller starves.
      for (const b of [Bucket.Code, Bucket.Community, Bucket.Capital]) {
        const r = await controller.recipient(b);
        await controller.connect(admin).setRecipient(b, r.account, false);
      }
      await controller.connect(admin).setRecipient(Bucket.Compute, addr, true);
      const supply = await core.token.totalSupply();
      const last = await controller.lastDistribution();
      await time.increase(DAY);
      await expect(controller.distribute({ gasLimit: 250_000 }))
        .to.be.revertedWithCustomError(controller, "HookOutOfGas")
        .withArgs(addr);
      expect(await core.token.totalSupply()).to.equal(supply);
      expect(await controller.lastDistribution()).to.equal(last);
    });

    // A notified recipient that burns all its gas must not stop the emission, nor stop governance from
    // pointing the bucket elsewhere (setRecipient settles through the same hook first).
    it("governance can still replace a recipient whose hook burns all its gas", async () => {
      const f = await loadFixture(receiversFixture);
      const { controller, admin, guzzler, recipients } = f;
      await controller.connect(admin).setRecipient(Bucket.Compute, await guzzler.getAddress(), true);
      await time.increase(DAY);
      await expect(
        controller.connect(admin).setRecipient(Bucket.Compute, recipients[Bucket.Compute], false, {
          gasLimit: 10_000_000,
        }),
      ).to.emit(controller, "ReceiverNotificationFailed");
      expect((await controller.recipient(Bucket.Compute)).account).to.equal(recipients[Bucket.Compute]);
    });

    it("a notified recipient gets onEmission(bucket, amount) with its bucket and amount", async () => {
      const f = await loadFixture(receiversFixture);
      const { controller, core, admin, recording } = f;
      const addr = await recording.getAddress();
      await controller.connect(admin).setRecipient(Bucket.Community, addr, true);
      expect(await recording.calls()).to.equal(0n);
      const last = await controller.lastDistribution();
      const to = last + 2n * DAY + 9n;
      await time.setNextBlockTimestamp(to);
      const amounts = split(emitted(core.schedule, last, to), DEFAULT_SHARES);
      await expect(controller.distribute()).to.not.emit(controller, "ReceiverNotificationFailed");
      expect(await recording.calls()).to.equal(1n);
      expect(await recording.lastBucket()).to.equal(BigInt(Bucket.Community));
      expect(await recording.lastAmount()).to.equal(amounts[Bucket.Community]);
      expect(await core.token.balanceOf(addr)).to.equal(amounts[Bucket.Community]);

      // A bucket with a zero amount is neither minted to nor notified (the step allows 1,000 bps a change).
      await controller.connect(admin).setShares([2400, 1400, 2400, 2400, 1400]);
      await time.increase(30n * DAY);
      await controller.connect(admin).setShares([2400, 400, 2400, 2400, 2400]);
      await time.increase(30n * DAY);
      await controller.connect(admin).setShares([2400, 0, 2400, 2400, 2800]);
      const calls = await recording.calls();
      const balance = await core.token.balanceOf(addr);
      await time.increase(DAY);
      await controller.distribute();
      expect(await recording.calls()).to.equal(calls);
      expect(await core.token.balanceOf(addr)).to.equal(balance);
    });

    it("a notify=false recipient contract is not called", async () => {
      const f = await loadFixture(receiversFixture);
      const { controller, admin, recording } = f;
      await controller.connect(admin).setRecipient(Bucket.Code, await recording.getAddress(), false);
      await time.increase(DAY);
      await controller.distribute();
      expect(await recording.calls()).to.equal(0n);
    });
  });

  describe("constructor checks", () => {
    async function prepare(): Promise<{
      admin: HardhatEthersSigner;
      alice: HardhatEthersSigner;
      schedule: ScheduleParams;
      recipients: Recipients;
      manager: string;
    }> {
      const [admin, alice, a, b, c, d, e] = await ethers.getSigners();
      const schedule: ScheduleParams = {
        start: BigInt(await time.latest()),
        interval: DEFAULT_SCHEDULE.interval,
        initialAmount: DEFAULT_SCHEDULE.initialAmount,
        decrease: DEFAULT_SCHEDULE.decrease,
      };
      const recipients = [a, b, c, d, e].map((s) => ({ account: s.address, notify: false })) as Recipients;
      return { admin, alice, schedule, recipients, manager: admin.address };
    }

    it("reverts CapMismatch(cap, scheduleTotal) when the token's cap is not the schedule total", async () => {
      const { admin, schedule, recipients, manager } = await prepare();
      const nonce = await admin.getNonce();
      const predicted = getCreateAddress({ from: admin.address, nonce: nonce + 1 });
      const token = await new Tetrad__factory(admin).deploy(predicted, total(schedule) - 1n);
      const factory = new EmissionController__factory(admin);
      await expect(factory.deploy(await token.getAddress(), manager, schedule, recipients, DEFAULT_SHARES))
        .to.be.revertedWithCustomError(factory, "CapMismatch")
        .withArgs(total(schedule) - 1n, total(schedule));
    });

    it("reverts MinterMismatch(minter) when the token's minter is not the controller", async () => {
      const { admin, alice, schedule, recipients, manager } = await prepare();
      const token = await new Tetrad__factory(admin).deploy(alice.address, total(schedule));
      const factory = new EmissionController__factory(admin);
      await expect(factory.deploy(await token.getAddress(), manager, schedule, recipients, DEFAULT_SHARES))
        .to.be.revertedWithCustomError(factory, "MinterMismatch")
        .withArgs(alice.address);
    });

    it("reverts InvalidScheduleParams, InvalidShares and InvalidRecipient on bad arguments", async () => {
      const { admin, schedule, recipients, manager } = await prepare();
      const factory = new EmissionController__factory(admin);
      // A reverted deployment still consumes a nonce: deploy a matching token before each attempt.
      async function attempt(
        params: ScheduleParams,
        rs: Recipients,
        shares: Shares,
      ): Promise<TransactionResponse> {
        const predicted = getCreateAddress({ from: admin.address, nonce: (await admin.getNonce()) + 1 });
        const token = await new Tetrad__factory(admin).deploy(predicted, total(schedule));
        await token.waitForDeployment();
        const tx = await factory.getDeployTransaction(await token.getAddress(), manager, params, rs, shares);
        // A fixed limit (a reverting deployment cannot be estimated); instrumented bytecode needs more.
        return admin.sendTransaction({ ...tx, gasLimit: underCoverage() ? 60_000_000 : 5_000_000 });
      }
      await expect(
        attempt({ ...schedule, decrease: 0n }, recipients, DEFAULT_SHARES),
      ).to.be.revertedWithCustomError(factory, "InvalidScheduleParams");
      await expect(attempt(schedule, recipients, [2400, 2400, 2400, 2400, 0]))
        .to.be.revertedWithCustomError(factory, "InvalidShares")
        .withArgs(9600n);
      const withZero = recipients.map((r, i) =>
        i === 2 ? { account: ethers.ZeroAddress, notify: false } : r,
      ) as Recipients;
      await expect(attempt(schedule, withZero, DEFAULT_SHARES))
        .to.be.revertedWithCustomError(factory, "InvalidRecipient")
        .withArgs(ethers.ZeroAddress);
      const eoaNotify = recipients.map((r, i) =>
        i === 1 ? { account: r.account, notify: true } : r,
      ) as Recipients;
      await expect(attempt(schedule, eoaNotify, DEFAULT_SHARES))
        .to.be.revertedWithCustomError(factory, "InvalidRecipient")
        .withArgs(recipients[1].account);
      // The same helper deploys when everything is valid, so the reverts above are due to the arguments.
      const ok = await (await attempt(schedule, recipients, DEFAULT_SHARES)).wait();
      expect(ok?.status).to.equal(1);
    });

    it("deploys when everything matches", async () => {
      const { admin, schedule, recipients, manager } = await prepare();
      const nonce = await admin.getNonce();
      const predicted = getCreateAddress({ from: admin.address, nonce: nonce + 1 });
      const token = await new Tetrad__factory(admin).deploy(predicted, total(schedule));
      const controller = await new EmissionController__factory(admin).deploy(
        await token.getAddress(),
        manager,
        schedule,
        recipients,
        DEFAULT_SHARES,
      );
      expect(await controller.getAddress()).to.equal(predicted);
      expect(await controller.scheduleTotal()).to.equal(await token.cap());
    });
  });

  describe("property: random distributions and share changes", () => {
    type Step =
      | { kind: "distribute"; advance: bigint; caller: number }
      | { kind: "setShares"; advance: bigint; shares: Shares };

    const advance = fc.oneof(
      { arbitrary: fc.bigInt({ min: 1n, max: 600n }), weight: 3 },
      { arbitrary: fc.bigInt({ min: 1n, max: 30n * DAY }), weight: 4 },
      { arbitrary: fc.bigInt({ min: 1n, max: 3n * YEAR }), weight: 2 },
      { arbitrary: fc.bigInt({ min: 16n * YEAR, max: 20n * YEAR }), weight: 1 },
    );
    const validShares: fc.Arbitrary<Shares> = fc
      .tuple(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
      )
      .map((cuts) => {
        const c = [...cuts].sort((x, y) => x - y);
        return [c[0], c[1] - c[0], c[2] - c[1], c[3] - c[2], 10_000 - c[3]] as Shares;
      });
    const step: fc.Arbitrary<Step> = fc.oneof(
      {
        arbitrary: fc.record({
          kind: fc.constant("distribute" as const),
          advance,
          caller: fc.integer({ min: 0, max: 2 }),
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({ kind: fc.constant("setShares" as const), advance, shares: validShares }),
        weight: 1,
      },
    );

    it("total supply tracks the schedule and balances track the split, share changes included", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
          const f = await loadFixture(oddSharesFixture);
          const { controller, core, admin, stranger, alice } = f;
          const callers = [admin, stranger, alice];
          let shares: Shares = ODD_SHARES;
          let expected: Amounts = [...ZERO_AMOUNTS];
          let last = await controller.lastDistribution();
          let changed = 0n; // the last share change (none yet)
          for (const s of steps) {
            const to = BigInt(await time.latest()) + s.advance;
            await time.setNextBlockTimestamp(to);
            let applied: Shares | undefined;
            if (s.kind === "setShares") {
              // The rate limit: one change per 30 days, no share moving more than 1,000 bps.
              const tooSoon = changed !== 0n && to < changed + 30n * DAY;
              const next = stepToward(shares, s.shares, 1000);
              const raw = s.shares.some((v, i) => Math.abs(v - shares[i]) > 1000);
              if (raw) {
                await expect(controller.connect(admin).setShares.staticCall(s.shares)).to.be.reverted;
              }
              if (tooSoon) {
                await expect(controller.connect(admin).setShares.staticCall(next))
                  .to.be.revertedWithCustomError(controller, "SharesChangedTooRecently")
                  .withArgs(changed + 30n * DAY);
                await controller.connect(callers[0]).distribute();
              } else {
                await controller.connect(admin).setShares(next);
                changed = to;
                applied = next;
              }
            } else {
              await controller.connect(callers[s.caller]).distribute();
            }
            expect(await controller.lastDistribution()).to.equal(to);
            expected = add(expected, split(emitted(core.schedule, last, to), shares));
            if (applied !== undefined) shares = applied;
            last = to;

            const supply = await core.token.totalSupply();
            expect(supply).to.equal(cumulative(core.schedule, to));
            expect(await controller.totalEmitted()).to.equal(supply);
            const actual = await balances(f);
            expect(actual).to.deep.equal(expected);
            expect(actual.reduce((a, b) => a + b, 0n)).to.equal(supply);
            expect(supply).to.be.lte(await core.token.cap());
          }
          expect(await controller.shares()).to.deep.equal(bigShares(shares));
        }),
        { numRuns: runs(25) },
      );
    });
  });
});
