/**
 * ContributionBucket: the split of one contribution bucket among its live subnets, and its gauge.
 * Governance's floors (`setFloors`), holders' votes by period (power read at the period's start with the
 * lookback, in force from the next period, carried over, re-read by `poke`), the per-subnet cap with
 * water-filling, retirement (`kill`, and `addSubnet` on a full bucket), 32 subnets, and the books: every
 * token the bucket holds is owed to a subnet or carried, and it never pays out more than it received.
 *
 * The token is a real Tetrad (ERC20Votes on a timestamp clock) whose minter is the admin, so the tests
 * mint; voters delegate to themselves to have votes. Subnets are `MockGaugeSubnet`s: they pull (and keep)
 * their allocation and record the bucket's `retire` calls.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress, getAddress, keccak256, toUtf8Bytes } from "ethers";
import {
  ContributionBucket,
  ContributionBucket__factory,
  MockGaugeSubnet,
  MockGaugeSubnet__factory,
  Tetrad,
  TetradAccessManager,
  TetradAccessManager__factory,
  Tetrad__factory,
} from "../../typechain-types";
import { DAY, ROLES } from "../../scripts/lib/chain/constants";
import { underCoverage } from "../utils/coverage";

const E = 10n ** 18n;
const BPS = 10_000n;
const WEEK = 7n * DAY;
const HOUR = 3_600n;
/** Delegated votes of the three voters of the fixture: 60% / 30% / 10% of the voting power. */
const POWER = { alice: 600n * E, bob: 300n * E, carol: 100n * E } as const;
/** Default gauge settings (constructor). */
const DEFAULTS = {
  maxSubnets: 32n,
  maxVotes: 16n,
  lookback: DAY,
  immunity: 14n * DAY,
  capBps: 5_000n,
  feeBurnBps: 5_000n,
};

interface GaugeParams {
  maxSubnets: bigint | number;
  maxVotes: bigint | number;
  lookback: bigint | number;
  immunity: bigint | number;
  capBps: bigint | number;
  feeBurnBps: bigint | number;
}

interface Ctx {
  manager: TetradAccessManager;
  token: Tetrad;
  bucket: ContributionBucket;
  bucketAddress: string;
  genesis: bigint;
  /** The AccessManager's admin (governance) and the token's minter. */
  admin: HardhatEthersSigner;
  /** Holds LAUNCHER: may `addSubnet` (the factory in the deployed system). */
  launcher: HardhatEthersSigner;
  /** Holds DISTRIBUTOR: may call `onEmission` (the emission controller in the deployed system). */
  distributor: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  dave: HardhatEthersSigner;
  whale: HardhatEthersSigner;
  /** Six stand-in subnets; `listed` adds the first four (gauge ids 1 to 4). */
  subnets: MockGaugeSubnet[];
  addrs: string[];
}

async function deployGauge(): Promise<Ctx> {
  const [admin, launcher, distributor, stranger, alice, bob, carol, dave, whale] = await ethers.getSigners();
  const manager = await new TetradAccessManager__factory(admin).deploy(admin.address);
  const token = await new Tetrad__factory(admin).deploy(admin.address, 10n ** 9n * E);
  const bucket = await new ContributionBucket__factory(admin).deploy(manager, token);
  const bucketAddress = await bucket.getAddress();
  // As the deployment wires it: onEmission is the distributor's, addSubnet the launcher's (the factory).
  await manager.setTargetFunctionRole(
    bucketAddress,
    [bucket.interface.getFunction("onEmission").selector],
    ROLES.DISTRIBUTOR,
  );
  await manager.setTargetFunctionRole(
    bucketAddress,
    [bucket.interface.getFunction("addSubnet").selector],
    ROLES.LAUNCHER,
  );
  await manager.grantRole(ROLES.DISTRIBUTOR, distributor.address, 0);
  await manager.grantRole(ROLES.LAUNCHER, launcher.address, 0);
  const subnets: MockGaugeSubnet[] = [];
  for (let i = 0; i < 6; i++) subnets.push(await new MockGaugeSubnet__factory(admin).deploy(bucket));
  const addrs = await Promise.all(subnets.map((s) => s.getAddress()));
  for (const [who, amount] of [
    [alice, POWER.alice],
    [bob, POWER.bob],
    [carol, POWER.carol],
  ] as const) {
    await token.mint(who.address, amount);
    await token.connect(who).delegate(who.address);
  }
  return {
    manager,
    token,
    bucket,
    bucketAddress,
    genesis: await bucket.genesis(),
    admin,
    launcher,
    distributor,
    stranger,
    alice,
    bob,
    carol,
    dave,
    whale,
    subnets,
    addrs,
  };
}

/** The first four stand-ins launched into the bucket (ids 1 to 4, no floors); still period 0. */
async function listed(): Promise<Ctx> {
  const c = await deployGauge();
  for (const a of c.addrs.slice(0, 4)) await c.bucket.connect(c.launcher).addSubnet(a);
  return c;
}

/** Three stand-ins at floors 3,333 / 3,333 / 3,334 (governance's launch subnets). */
async function withThirds(): Promise<Ctx> {
  const c = await deployGauge();
  await c.bucket.setFloors(c.addrs.slice(0, 3), [3_333, 3_333, 3_334]);
  return c;
}

/** Moves the clock to the first second of period `e` (never back). */
async function toPeriod(c: Ctx, e: number | bigint): Promise<bigint> {
  const start = c.genesis + BigInt(e) * WEEK;
  if (BigInt(await time.latest()) < start) await time.increaseTo(start);
  return start;
}

/**
 * In period 1 each `[voter, id]` puts its whole vote on gauge id `id`; returns at the start of period 2,
 * where those votes are in force.
 */
async function votedInForce(c: Ctx, ballots: [HardhatEthersSigner, number][]): Promise<void> {
  await toPeriod(c, 1);
  for (const [voter, id] of ballots) await c.bucket.connect(voter).vote([id], [10_000]);
  await toPeriod(c, 2);
}

/** `amount` TTD of emission reaches the bucket (by transfer: the split happens at the next call). */
async function feed(c: Ctx, amount: bigint): Promise<void> {
  await c.token.connect(c.admin).mint(c.bucketAddress, amount);
}

/** Each live subnet's current share, basis points, by address. */
async function shares(c: Ctx): Promise<Record<string, bigint>> {
  const [subnets, bps] = await c.bucket.weights();
  return Object.fromEntries(subnets.map((s, i) => [s, bps[i]]));
}

/** Votes in force now and from the next period, for gauge id `id`. */
async function votes(c: Ctx, id: number): Promise<[bigint, bigint]> {
  const [current, next] = await c.bucket.votesOf(id);
  return [current, next];
}

/** Every token the bucket holds is owed to a subnet or carried: balance == sum(allocations) + unallocated. */
async function expectBooks(c: Ctx, extra: string[] = []): Promise<void> {
  let owed = await c.bucket.unallocated();
  for (const a of [...c.addrs, ...extra]) owed += await c.bucket.allocation(a);
  expect(await c.token.balanceOf(c.bucketAddress), "bucket balance == allocations + unallocated").to.equal(
    owed,
  );
}

/** Each stand-in's allocation, in order. */
async function allocations(c: Ctx, n = 4): Promise<bigint[]> {
  return Promise.all(c.addrs.slice(0, n).map((a) => c.bucket.allocation(a)));
}

/**
 * `amount` arrives and allocate() splits it: Allocated(amount, carried), and the allocations of the first
 * `expected.length` stand-ins are `expected`.
 */
async function expectSplit(c: Ctx, amount: bigint, carried: bigint, expected: bigint[]): Promise<void> {
  await feed(c, amount);
  await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(amount, carried);
  expect(await allocations(c, expected.length)).to.deep.equal(expected);
}

/** `n` distinct addresses with no code (listed by `setFloors`; never retired in these tests). */
function plainAddresses(label: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    getAddress(keccak256(toUtf8Bytes(`${label}/${i}`)).slice(0, 42)),
  );
}

function params(patch: Partial<GaugeParams>): GaugeParams {
  return { ...DEFAULTS, ...patch };
}

describe("ContributionBucket", () => {
  it("starts empty, governed by the manager, with the default gauge settings and period 0 at deployment", async () => {
    const c = await loadFixture(deployGauge);
    expect(await c.bucket.token()).to.equal(await c.token.getAddress());
    expect(await c.bucket.authority()).to.equal(await c.manager.getAddress());
    expect(await c.bucket.MAX_SUBNETS()).to.equal(32n);
    expect(await c.bucket.MAX_VOTES()).to.equal(16n);
    expect(await c.bucket.PERIOD()).to.equal(WEEK);
    const deployed = await c.bucket.deploymentTransaction()!.wait();
    const t = BigInt((await ethers.provider.getBlock(deployed!.blockNumber))!.timestamp);
    expect(c.genesis).to.equal(t);
    expect(await c.bucket.currentPeriod()).to.equal(0n);
    expect(await c.bucket.periodStart(3)).to.equal(t + 3n * WEEK);
    const p = await c.bucket.gaugeParams();
    expect([p.maxSubnets, p.maxVotes, p.lookback, p.immunity, p.capBps, p.feeBurnBps]).to.deep.equal(
      Object.values(DEFAULTS),
    );
    expect(await c.bucket.feeBurnBps()).to.equal(5_000n);
    expect(await c.bucket.weights()).to.deep.equal([[], []]);
    expect(await c.bucket.listings()).to.deep.equal([]);
    expect(await c.bucket.unallocated()).to.equal(0n);
    expect(await c.bucket.allocation(c.addrs[0])).to.equal(0n);
    await toPeriod(c, 2);
    expect(await c.bucket.currentPeriod()).to.equal(2n);
    await time.increase(WEEK - 1n);
    expect(await c.bucket.currentPeriod()).to.equal(2n);
    await time.increase(1n);
    expect(await c.bucket.currentPeriod()).to.equal(3n);
  });

  describe("onEmission", () => {
    it("reverts AccessManagedUnauthorized for a stranger (and the admin without the role)", async () => {
      const c = await loadFixture(withThirds);
      for (const who of [c.stranger, c.admin, c.launcher])
        await expect(c.bucket.connect(who).onEmission(1n, 0n))
          .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
          .withArgs(who.address);
    });

    it("allocates what arrived when called by the role holder, by balance, not by the amount argument", async () => {
      const c = await loadFixture(withThirds);
      await feed(c, 10_000n);
      await expect(c.bucket.connect(c.distributor).onEmission(1n, 999_999n))
        .to.emit(c.bucket, "Allocated")
        .withArgs(10_000n, 0n);
      expect(await allocations(c, 3)).to.deep.equal([3_333n, 3_333n, 3_334n]);
      await expectBooks(c);
    });
  });

  describe("setFloors", () => {
    it("reverts AccessManagedUnauthorized for a stranger and the launcher", async () => {
      const c = await loadFixture(deployGauge);
      for (const who of [c.stranger, c.launcher])
        await expect(c.bucket.connect(who).setFloors([c.addrs[0]], [10_000]))
          .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
          .withArgs(who.address);
    });

    it("reverts InvalidFloors for a length mismatch, more than maxSubnets, a duplicate, a zero address, a sum over 10,000", async () => {
      const c = await loadFixture(deployGauge);
      const [a, b] = c.addrs;
      const many = plainAddresses("floors", 33);
      const cases: [string, string[], number[]][] = [
        ["length mismatch", [a, b], [10_000]],
        ["length mismatch (more floors)", [a], [5_000, 5_000]],
        ["33 subnets", many, Array<number>(33).fill(0)],
        ["duplicate", [a, b, a], [3_000, 3_000, 4_000]],
        ["zero address", [a, ZeroAddress], [5_000, 5_000]],
        ["sum 10,001", [a, b], [5_000, 5_001]],
      ];
      for (const [name, subnets, floors] of cases)
        await expect(c.bucket.setFloors(subnets, floors), name).to.be.revertedWithCustomError(
          c.bucket,
          "InvalidFloors",
        );
      // Under the lowered maxSubnets too.
      await c.bucket.setGaugeParams(params({ maxSubnets: 2 }));
      await expect(c.bucket.setFloors([a, b, c.addrs[2]], [1, 1, 1])).to.be.revertedWithCustomError(
        c.bucket,
        "InvalidFloors",
      );
      expect(await c.bucket.listings()).to.deep.equal([]);
    });

    it("accepts 32 subnets and a sum under 10,000 (floors need not fill the bucket)", async () => {
      const c = await loadFixture(deployGauge);
      const many = plainAddresses("floors", 32);
      await expect(c.bucket.setFloors(many, Array<number>(32).fill(300))).to.emit(c.bucket, "FloorsSet");
      expect((await c.bucket.listings()).map((l) => l.subnet)).to.deep.equal(many);
      // 9,600 of floors, no vote: the floors take the whole bucket pro rata (1/32 each).
      const [, bps] = await c.bucket.weights();
      expect(bps).to.deep.equal(Array<bigint>(32).fill(312n)); // 10,000 / 32 = 312.5, rounded down
      await feed(c, 3_200n * E);
      await c.bucket.allocate();
      for (const a of many) expect(await c.bucket.allocation(a)).to.equal(100n * E);
      expect(await c.bucket.unallocated()).to.equal(0n);
    });

    it("adds the listed subnets not yet live (SubnetAdded, fresh ids, addedAt) and emits FloorsSet", async () => {
      const c = await loadFixture(deployGauge);
      const [a, b] = c.addrs;
      const tx = c.bucket.setFloors([a, b], [2_500, 7_500]);
      await expect(tx).to.emit(c.bucket, "SubnetAdded").withArgs(a, 1n);
      await expect(tx).to.emit(c.bucket, "SubnetAdded").withArgs(b, 2n);
      await expect(tx).to.emit(c.bucket, "FloorsSet").withArgs([a, b], [2_500, 7_500]);
      const t = BigInt(await time.latest());
      expect((await c.bucket.listings()).map((l) => [l.subnet, l.id, l.floor, l.addedAt])).to.deep.equal([
        [a, 1n, 2_500n, t],
        [b, 2n, 7_500n, t],
      ]);
      expect(await shares(c)).to.deep.equal({ [a]: 2_500n, [b]: 7_500n });
      // Listed again: same id, same addedAt, new floor; no second SubnetAdded.
      await time.increase(HOUR);
      await expect(c.bucket.setFloors([b, a], [5_000, 5_000])).to.not.emit(c.bucket, "SubnetAdded");
      expect((await c.bucket.listings()).map((l) => [l.subnet, l.id, l.floor, l.addedAt])).to.deep.equal([
        [a, 1n, 5_000n, t],
        [b, 2n, 5_000n, t],
      ]);
    });

    it("zeroes the floor of every live subnet not listed; they stay live (votes may still reach them)", async () => {
      const c = await loadFixture(listed);
      const [a, b, d, e] = c.addrs;
      await c.bucket.setFloors([a, b], [6_000, 4_000]);
      await c.bucket.setFloors([b], [10_000]);
      expect((await c.bucket.listings()).map((l) => [l.subnet, l.floor])).to.deep.equal([
        [a, 0n],
        [b, 10_000n],
        [d, 0n],
        [e, 0n],
      ]);
      await expectSplit(c, 100n, 0n, [0n, 100n, 0n, 0n]);
      // An empty list zeroes every floor: with no vote, everything is carried.
      await expect(c.bucket.setFloors([], [])).to.emit(c.bucket, "FloorsSet").withArgs([], []);
      expect((await c.bucket.listings()).length).to.equal(4);
      await expectSplit(c, 70n, 70n, [0n, 100n, 0n, 0n]);
      await expectBooks(c);
    });

    it("with no vote the floors take the whole bucket pro rata (2,000 + 1,000 of floors: 2/3 and 1/3)", async () => {
      const c = await loadFixture(listed);
      const [a, b] = c.addrs;
      await c.bucket.setFloors([a, b], [2_000, 1_000]);
      expect(Object.values(await shares(c))).to.deep.equal([6_666n, 3_333n, 0n, 0n]);
      await feed(c, 9_000n * E);
      await expect(c.bucket.allocate())
        .to.emit(c.bucket, "Allocated")
        .withArgs(9_000n * E, 0n);
      // 1,800 + 6,300 x 2/3 = 6,000; 900 + 6,300 x 1/3 = 3,000.
      expect(await allocations(c)).to.deep.equal([6_000n * E, 3_000n * E, 0n, 0n]);
      await expectBooks(c);
    });

    it("with neither floors nor votes, everything is carried until a floor is set", async () => {
      const c = await loadFixture(listed);
      await feed(c, 500n);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(500n, 500n);
      expect(await c.bucket.unallocated()).to.equal(500n);
      // Setting floors splits what arrived first (under no floors: carried), then the carried amount
      // goes into the next split with the new arrivals.
      await c.bucket.setFloors([c.addrs[0], c.addrs[1]], [6_000, 4_000]);
      await expectSplit(c, 100n, 0n, [360n, 240n, 0n, 0n]);
      await expectBooks(c);
    });

    it("once floors are set, the carried amount is allocated without waiting for new tokens", async () => {
      const c = await loadFixture(listed);
      await feed(c, 500n);
      await c.bucket.allocate();
      await c.bucket.setFloors([c.addrs[0], c.addrs[1]], [6_000, 4_000]);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(0n, 0n);
      expect(await allocations(c)).to.deep.equal([300n, 200n, 0n, 0n]);
      await expect(c.subnets[0].pull()).to.changeTokenBalance(c.token, c.subnets[0], 300n);
    });

    it("allocates what arrived at the old floors first", async () => {
      const c = await loadFixture(listed);
      const [a, b] = c.addrs;
      await c.bucket.setFloors([a], [10_000]);
      await feed(c, 100n);
      const tx = c.bucket.setFloors([b], [10_000]);
      await expect(tx).to.emit(c.bucket, "Allocated").withArgs(100n, 0n);
      await expect(tx).to.emit(c.bucket, "FloorsSet").withArgs([b], [10_000]);
      await feed(c, 50n);
      await c.bucket.allocate();
      expect(await allocations(c, 2)).to.deep.equal([100n, 50n]);
      await expect(c.subnets[0].pull()).to.changeTokenBalance(c.token, c.subnets[0], 100n);
      await expectBooks(c);
    });

    it("splits by floors and carries the rounding remainder in unallocated()", async () => {
      const c = await loadFixture(withThirds);
      await feed(c, 100n);
      // 100 x 3,333 / 10,000 = 33 (twice); 100 x 3,334 / 10,000 = 33: 99 paid, 1 carried.
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(100n, 1n);
      expect(await allocations(c, 3)).to.deep.equal([33n, 33n, 33n]);
      // 200: 66 each -> 198 paid; the carried 1 is too little for any floor: 3 carried.
      await feed(c, 200n);
      await expect(c.bucket.connect(c.stranger).allocate()).to.emit(c.bucket, "Allocated").withArgs(200n, 3n);
      expect(await allocations(c, 3)).to.deep.equal([99n, 99n, 99n]);
      // 100 more: 33 each (1 left), and the carried 3 to the floors: 0, 0 and 1 (3 x 3,334 / 10,000).
      await expectSplit(c, 100n, 3n, [132n, 132n, 133n]);
      // Calling again places what the floors can take of the dust (1), then nothing.
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(0n, 2n);
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      expect(await allocations(c, 3)).to.deep.equal([132n, 132n, 134n]);
      await expectBooks(c);
    });

    it("reverts BucketFull when it would list more than maxSubnets", async () => {
      const c = await loadFixture(listed);
      await c.bucket.setGaugeParams(params({ maxSubnets: 4 }));
      await expect(c.bucket.setFloors([c.addrs[4]], [1_000])).to.be.revertedWithCustomError(
        c.bucket,
        "BucketFull",
      );
    });

    it("does nothing (no Allocated) when nothing arrived and nothing is carried", async () => {
      const c = await loadFixture(withThirds);
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      await feed(c, 10_000n);
      await c.bucket.allocate();
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      expect(await c.bucket.allocation(c.addrs[0])).to.equal(3_333n);
    });
  });

  describe("gauge votes", () => {
    it("period 0 has no power (its snapshot is before the bucket); from period 1 a holder votes its delegated balance", async () => {
      const c = await loadFixture(listed);
      expect(await c.bucket.votingPower(c.alice.address)).to.equal(0n);
      await expect(c.bucket.connect(c.alice).vote([1], [10_000]))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.alice.address, 0n, 0n, [1n], [10_000n]);
      expect(await votes(c, 1)).to.deep.equal([0n, 0n]);
      await toPeriod(c, 1);
      expect(await c.bucket.votingPower(c.alice.address)).to.equal(POWER.alice);
      expect(await c.bucket.votingPower(c.bob.address)).to.equal(POWER.bob);
      // Held but not delegated: no votes.
      await c.token.mint(c.dave.address, 1_000n * E);
      expect(await c.bucket.votingPower(c.dave.address)).to.equal(0n);
      expect(await c.bucket.votingPower(c.stranger.address)).to.equal(0n);
    });

    it("a vote applies from the next period only: the split at the period's last second ignores it", async () => {
      const c = await loadFixture(listed);
      const [a, b] = c.addrs;
      const start1 = await toPeriod(c, 1);
      await expect(c.bucket.connect(c.alice).vote([1, 2], [5_000, 5_000]))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.alice.address, 1n, POWER.alice, [1n, 2n], [5_000n, 5_000n]);
      expect(await votes(c, 1)).to.deep.equal([0n, POWER.alice / 2n]);
      expect(await c.bucket.ballotOf(c.alice.address)).to.deep.equal([
        POWER.alice,
        1n,
        [1n, 2n],
        [5_000n, 5_000n],
      ]);
      expect(Object.values(await shares(c))).to.deep.equal([0n, 0n, 0n, 0n]);
      // The last second of period 1: not yet (no floor either: carried).
      await time.setNextBlockTimestamp(start1 + WEEK - 2n);
      await feed(c, 1_000n * E);
      await expect(c.bucket.allocate())
        .to.emit(c.bucket, "Allocated")
        .withArgs(1_000n * E, 1_000n * E);
      // The first second of period 2: in force. What was carried stays carried: it goes to floors only.
      await feed(c, 1_000n * E);
      expect(BigInt(await time.latest())).to.equal(start1 + WEEK);
      await expect(c.bucket.allocate())
        .to.emit(c.bucket, "Allocated")
        .withArgs(1_000n * E, 1_000n * E);
      expect(await votes(c, 1)).to.deep.equal([POWER.alice / 2n, POWER.alice / 2n]);
      expect(await shares(c)).to.deep.equal({ [a]: 5_000n, [b]: 5_000n, [c.addrs[2]]: 0n, [c.addrs[3]]: 0n });
      expect(await allocations(c)).to.deep.equal([500n * E, 500n * E, 0n, 0n]);
      // Once governance sets a floor, the carried amount goes to it.
      await c.bucket.setFloors([c.addrs[2]], [1_000]);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(0n, 0n);
      expect(await allocations(c)).to.deep.equal([500n * E, 500n * E, 1_000n * E, 0n]);
      await expectBooks(c);
    });

    it("power is min(votes at the period's start, lookback before): tokens bought right before the snapshot weigh nothing", async () => {
      const c = await loadFixture(listed);
      const start2 = c.genesis + 2n * WEEK;
      await toPeriod(c, 1);
      await c.token.connect(c.whale).delegate(c.whale.address);
      await c.token.connect(c.dave).delegate(c.dave.address);
      // dave's tokens arrive at the last second the lookback reads (snapshot - lookback = start - 1 - 1 day),
      // the whale's one second later: 12 hours before the snapshot the whale holds 10x more.
      await time.setNextBlockTimestamp(start2 - 1n - DAY);
      await c.token.mint(c.dave.address, 100n * E);
      await time.setNextBlockTimestamp(start2 - DAY);
      await c.token.mint(c.whale.address, 1_000n * E);
      await toPeriod(c, 2);
      expect(await c.bucket.votingPower(c.dave.address)).to.equal(100n * E);
      expect(await c.bucket.votingPower(c.whale.address)).to.equal(0n);
      await expect(c.bucket.connect(c.whale).vote([3], [10_000]))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.whale.address, 2n, 0n, [3n], [10_000n]);
      await c.bucket.connect(c.dave).vote([4], [10_000]);
      await toPeriod(c, 3);
      expect(await votes(c, 3)).to.deep.equal([0n, 0n]);
      expect(await votes(c, 4)).to.deep.equal([100n * E, 100n * E]);
      // Held through period 3's snapshot, the whale now has power, but its ballot keeps the power it was
      // cast with until it votes again or is poked, and then counts only from period 4.
      expect(await c.bucket.votingPower(c.whale.address)).to.equal(1_000n * E);
      await c.bucket.connect(c.stranger).poke(c.whale.address);
      expect(await votes(c, 3)).to.deep.equal([0n, 1_000n * E]);
    });

    it("borrowed votes weigh nothing: lent an hour before the snapshot and returned after, neither side votes", async () => {
      const c = await loadFixture(listed);
      const start2 = c.genesis + 2n * WEEK;
      await toPeriod(c, 1);
      await c.token.connect(c.whale).delegate(c.whale.address);
      await time.setNextBlockTimestamp(start2 - HOUR);
      await c.token.connect(c.carol).transfer(c.whale.address, POWER.carol);
      await time.setNextBlockTimestamp(start2 + HOUR);
      await c.token.connect(c.whale).transfer(c.carol.address, POWER.carol);
      expect(await c.bucket.votingPower(c.whale.address)).to.equal(0n);
      expect(await c.bucket.votingPower(c.carol.address)).to.equal(0n);
      // The loan ended: from period 3 the lender votes again (held a day before the snapshot).
      await toPeriod(c, 3);
      expect(await c.bucket.votingPower(c.carol.address)).to.equal(POWER.carol);
      expect(await c.bucket.votingPower(c.whale.address)).to.equal(0n);
    });

    it("ballots carry over: a vote cast once keeps counting every period until it changes", async () => {
      const c = await loadFixture(listed);
      await toPeriod(c, 1);
      await c.bucket.connect(c.alice).vote([1], [10_000]);
      await c.bucket.connect(c.bob).vote([2], [10_000]);
      let fed = 0n;
      for (const e of [2, 3, 4, 7, 12]) {
        await toPeriod(c, e);
        expect(await votes(c, 1), `period ${e}`).to.deep.equal([POWER.alice, POWER.alice]);
        expect(await votes(c, 2), `period ${e}`).to.deep.equal([POWER.bob, POWER.bob]);
        await feed(c, 900n * E);
        fed += 900n * E;
        await c.bucket.allocate();
        // 600 : 300 with the 50% cap: alice's subnet is capped at 450, bob's takes the other 450.
        expect(await allocations(c, 2), `period ${e}`).to.deep.equal([fed / 2n, fed / 2n]);
      }
      expect(await c.bucket.ballotOf(c.alice.address)).to.deep.equal([POWER.alice, 1n, [1n], [10_000n]]);
      await expectBooks(c);
    });

    it("poke re-reads the power: an emptied wallet stops counting from the next period; anyone may poke", async () => {
      const c = await loadFixture(listed);
      await votedInForce(c, [
        [c.alice, 1],
        [c.bob, 2],
      ]);
      await c.token.connect(c.alice).transfer(c.dave.address, POWER.alice);
      await toPeriod(c, 3);
      // Stale: alice holds nothing but her ballot still counts until someone pokes her.
      expect(await c.bucket.votingPower(c.alice.address)).to.equal(0n);
      expect(await votes(c, 1)).to.deep.equal([POWER.alice, POWER.alice]);
      await expect(c.bucket.connect(c.stranger).poke(c.alice.address))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.alice.address, 3n, 0n, [1n], [10_000n]);
      expect(await votes(c, 1)).to.deep.equal([POWER.alice, 0n]);
      expect(await c.bucket.ballotOf(c.alice.address)).to.deep.equal([0n, 3n, [1n], [10_000n]]);
      await toPeriod(c, 4);
      expect(await votes(c, 1)).to.deep.equal([0n, 0n]);
      expect(Object.values(await shares(c))).to.deep.equal([0n, 5_000n, 0n, 0n]);
      // A poke raises power as well: bob received 300 more in period 4, held past the next snapshot.
      await c.token.mint(c.bob.address, POWER.bob);
      await toPeriod(c, 5);
      await c.bucket.connect(c.carol).poke(c.bob.address);
      expect(await votes(c, 2)).to.deep.equal([POWER.bob, 2n * POWER.bob]);
      // Poking someone without a ballot changes no tally.
      await expect(c.bucket.poke(c.dave.address))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.dave.address, 5n, 0n, [], []);
      for (const id of [1, 2, 3, 4]) expect((await votes(c, id))[1]).to.equal(id === 2 ? 2n * POWER.bob : 0n);
    });

    it("re-voting removes exactly the old weights (rounding included), in the same period or a later one", async () => {
      const c = await loadFixture(listed);
      const odd = 777_777_777_777_777_777_777n; // not a multiple of 10,000
      await c.token.mint(c.dave.address, odd);
      await c.token.connect(c.dave).delegate(c.dave.address);
      await toPeriod(c, 1);
      await c.bucket.connect(c.alice).vote([1], [10_000]);
      await c.bucket.connect(c.dave).vote([1, 2, 3], [3_333, 3_333, 3_334]);
      const third = (odd * 3_333n) / BPS;
      expect(await votes(c, 1)).to.deep.equal([0n, POWER.alice + third]);
      expect(await votes(c, 3)).to.deep.equal([0n, (odd * 3_334n) / BPS]);
      await c.bucket.connect(c.dave).vote([4], [10_000]);
      expect(await votes(c, 1)).to.deep.equal([0n, POWER.alice]);
      expect(await votes(c, 2)).to.deep.equal([0n, 0n]);
      expect(await votes(c, 3)).to.deep.equal([0n, 0n]);
      expect(await votes(c, 4)).to.deep.equal([0n, odd]);
      // Period 3, with 1 wei more: the old ballot (cast with the old power) comes off exactly.
      await c.token.mint(c.dave.address, 1n);
      await toPeriod(c, 3);
      await c.bucket.connect(c.dave).vote([2, 3], [5_000, 4_999]);
      expect(await votes(c, 4)).to.deep.equal([odd, 0n]);
      expect(await votes(c, 2)).to.deep.equal([0n, ((odd + 1n) * 5_000n) / BPS]);
      expect(await votes(c, 3)).to.deep.equal([0n, ((odd + 1n) * 4_999n) / BPS]);
      expect(await votes(c, 1)).to.deep.equal([POWER.alice, POWER.alice]);
      // An empty ballot withdraws.
      await expect(c.bucket.connect(c.dave).vote([], []))
        .to.emit(c.bucket, "Voted")
        .withArgs(c.dave.address, 3n, odd + 1n, [], []);
      for (const id of [2, 3, 4]) expect((await votes(c, id))[1], `id ${id}`).to.equal(0n);
      expect(await c.bucket.ballotOf(c.dave.address)).to.deep.equal([odd + 1n, 3n, [], []]);
    });

    it("reverts InvalidVote for a length mismatch, a zero weight, an unknown, retired or repeated id, a sum over 10,000, too many ids", async () => {
      const c = await loadFixture(listed);
      await c.bucket.kill(c.addrs[3]); // id 4
      await toPeriod(c, 1);
      const many = Array.from({ length: 17 }, (_, i) => i + 1);
      const cases: [string, number[], number[]][] = [
        ["length mismatch", [1, 2], [5_000]],
        ["length mismatch (more weights)", [1], [5_000, 5_000]],
        ["zero weight", [1, 2], [5_000, 0]],
        ["id 0", [0], [1_000]],
        ["unknown id", [99], [1_000]],
        ["killed id", [1, 4], [5_000, 5_000]],
        ["repeated id", [1, 2, 1], [1_000, 1_000, 1_000]],
        ["sum 10,001", [1, 2], [5_000, 5_001]],
        ["17 ids", many, Array<number>(17).fill(100)],
      ];
      for (const [name, ids, bps] of cases)
        await expect(c.bucket.connect(c.alice).vote(ids, bps), name).to.be.revertedWithCustomError(
          c.bucket,
          "InvalidVote",
        );
      // A ballot under 10,000 is fine: the rest of the power is simply not cast.
      await c.bucket.connect(c.alice).vote([1, 2], [1_000, 2_000]);
      expect(await votes(c, 1)).to.deep.equal([0n, POWER.alice / 10n]);
      expect(await votes(c, 2)).to.deep.equal([0n, POWER.alice / 5n]);
    });

    it("maxVotes: a ballot names up to 16 subnets (two storage words), fewer once governance lowers it", async () => {
      const c = await loadFixture(listed);
      await c.bucket.setFloors(plainAddresses("votes", 12), Array<number>(12).fill(0));
      const ids = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));
      const bps = Array<bigint>(16).fill(625n);
      await toPeriod(c, 1);
      await c.bucket.connect(c.alice).vote(ids, bps);
      expect(await c.bucket.ballotOf(c.alice.address)).to.deep.equal([POWER.alice, 1n, ids, bps]);
      for (const id of [1, 8, 9, 16])
        expect(await votes(c, id)).to.deep.equal([0n, (POWER.alice * 625n) / BPS]);
      await c.bucket.setGaugeParams(params({ maxVotes: 4 }));
      await expect(
        c.bucket.connect(c.bob).vote([1, 2, 3, 4, 5], [100, 100, 100, 100, 100]),
      ).to.be.revertedWithCustomError(c.bucket, "InvalidVote");
      await c.bucket.connect(c.bob).vote([1, 2, 3, 4], [100, 100, 100, 100]);
      // A 16-entry ballot cast before the change can still be replaced (its removal is bounded by 16).
      await c.bucket.connect(c.alice).vote([5], [10_000]);
      for (const id of [1, 8, 9, 16])
        expect((await votes(c, id))[1]).to.equal(id === 1 ? POWER.bob / 100n : 0n);
    });

    it("a ballot of 4 subnets: gas of a first ballot, a replacement and a second voter", async function () {
      if (underCoverage()) this.skip(); // gas is measured on plain bytecode (tools/test.js PLAIN_ONLY)
      const c = await loadFixture(listed);
      await toPeriod(c, 1);
      const tx = await c.bucket.connect(c.alice).vote([1, 2, 3, 4], [2_500, 2_500, 2_500, 2_500]);
      const first = (await tx.wait())!.gasUsed;
      const again = (await (
        await c.bucket.connect(c.alice).vote([4, 3, 2, 1], [1_000, 2_000, 3_000, 4_000])
      ).wait())!.gasUsed;
      const third = (await (
        await c.bucket.connect(c.bob).vote([1, 2, 3, 4], [2_500, 2_500, 2_500, 2_500])
      ).wait())!.gasUsed;
      console.log(
        `      vote on 4 subnets: first ballot ${first} gas (4 new tallies), a replacement ${again}, ` +
          `another voter on the same 4 ${third}`,
      );
      // Issue 16's budget is 150,000 for `gauge.vote.4subnets`; measured here, held by reports/gas.json.
      expect(again).to.be.lte(150_000n);
      expect(third).to.be.lte(150_000n);
    });
  });

  describe("cap (water-filling)", () => {
    /** alice and bob (90%) vote `first`, carol (10%) votes `second`; returns the clock at period 2. */
    async function ninetyTen(c: Ctx, first: number, second: number): Promise<void> {
      await votedInForce(c, [
        [c.alice, first],
        [c.bob, first],
        [c.carol, second],
      ]);
    }

    it("90/10 votes with the 50% cap split 50/50: the capped excess goes to the others", async () => {
      const c = await loadFixture(listed);
      await ninetyTen(c, 1, 2);
      expect(Object.values(await shares(c))).to.deep.equal([5_000n, 5_000n, 0n, 0n]);
      await expectSplit(c, 1_000n * E, 0n, [500n * E, 500n * E, 0n, 0n]);
    });

    it("all votes on one subnet: it gets the cap; the rest goes to the floors pro rata, or is carried without floors", async () => {
      const c = await loadFixture(listed);
      await ninetyTen(c, 1, 1);
      await expectSplit(c, 1_000n * E, 500n * E, [500n * E, 0n, 0n, 0n]);
      // Calling again does not hand the capped subnet the cap's share of the carried 500 (see MKT-04).
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      expect(await allocations(c)).to.deep.equal([500n * E, 0n, 0n, 0n]);
      // Floors 1,500 (id 3) and 500 (id 4): the carried 500 goes to them, 3 : 1.
      await c.bucket.setFloors([c.addrs[2], c.addrs[3]], [1_500, 500]);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(0n, 0n);
      expect(await allocations(c)).to.deep.equal([500n * E, 0n, 375n * E, 125n * E]);
      // New emission: the gauge pool is 80%; id 1 is capped at 50% of the whole, the 30% left over
      // joins the floors pro rata: 15% + 22.5% and 5% + 7.5%.
      expect(Object.values(await shares(c))).to.deep.equal([5_000n, 0n, 3_750n, 1_250n]);
      await expectSplit(c, 1_000n * E, 0n, [1_000n * E, 0n, 750n * E, 250n * E]);
      await expectBooks(c);
    });

    it("water-fills over several passes: 60/30/10 with a 40% cap is 40/40/20; with a 30% cap 30/30/30 and 10% carried", async () => {
      const c = await loadFixture(listed);
      await votedInForce(c, [
        [c.alice, 1],
        [c.bob, 2],
        [c.carol, 3],
      ]);
      await c.bucket.setGaugeParams(params({ capBps: 4_000 }));
      expect(Object.values(await shares(c))).to.deep.equal([4_000n, 4_000n, 2_000n, 0n]);
      await feed(c, 1_000n * E);
      await c.bucket.allocate();
      expect(await allocations(c)).to.deep.equal([400n * E, 400n * E, 200n * E, 0n]);
      // Lowering the cap splits what arrived under the old one first.
      await feed(c, 1_000n * E);
      await expect(c.bucket.setGaugeParams(params({ capBps: 3_000 })))
        .to.emit(c.bucket, "Allocated")
        .withArgs(1_000n * E, 0n);
      expect(Object.values(await shares(c))).to.deep.equal([3_000n, 3_000n, 3_000n, 0n]);
      await expectSplit(c, 1_000n * E, 100n * E, [1_100n * E, 1_100n * E, 700n * E, 0n]);
      await expectBooks(c);
    });

    it("floors plus votes: the gauge pool is what the floors leave, each subnet's gauge part capped", async () => {
      const c = await loadFixture(listed);
      await c.bucket.setFloors([c.addrs[3]], [2_000]);
      await ninetyTen(c, 1, 2);
      // Gauge pool 80%: id 1 would take 72% (capped to 50%), id 2 takes the 30% left (under the cap).
      expect(Object.values(await shares(c))).to.deep.equal([5_000n, 3_000n, 0n, 2_000n]);
      await expectSplit(c, 1_000n * E, 0n, [500n * E, 300n * E, 0n, 200n * E]);
    });
  });

  describe("retirement: kill and addSubnet", () => {
    it("kill: governance only, a live subnet only; retires it, and it leaves the totals at once", async () => {
      const c = await loadFixture(listed);
      const [a, b, d] = c.addrs;
      await expect(c.bucket.connect(c.stranger).kill(a))
        .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
        .withArgs(c.stranger.address);
      await expect(c.bucket.kill(c.addrs[5]))
        .to.be.revertedWithCustomError(c.bucket, "NotListed")
        .withArgs(c.addrs[5]);
      await c.bucket.setFloors([d], [2_000]);
      await votedInForce(c, [
        [c.alice, 1],
        [c.bob, 2],
      ]);
      // Gauge pool 80%: a 600 votes -> 53.3% capped to 50%; b takes 30%; d its floor 20%.
      expect(await shares(c)).to.deep.equal({ [a]: 5_000n, [b]: 3_000n, [d]: 2_000n, [c.addrs[3]]: 0n });
      await feed(c, 1_000n * E);
      // The split before the kill is at the old list: a keeps its 500 and can pull it later.
      const tx = c.bucket.kill(a);
      await expect(tx)
        .to.emit(c.bucket, "Allocated")
        .withArgs(1_000n * E, 0n);
      await expect(tx).to.emit(c.bucket, "SubnetRetired").withArgs(a, 1n, true);
      await expect(tx).to.emit(c.subnets[0], "RetireCalled").withArgs(c.bucketAddress);
      expect(await c.subnets[0].retirements()).to.equal(1n);
      // Same period, a's 600 votes are gone from the totals: b gets the cap, d its floor and the rest.
      expect(await shares(c)).to.deep.equal({ [c.addrs[3]]: 0n, [b]: 5_000n, [d]: 5_000n });
      expect((await c.bucket.listings()).map((l) => l.id)).to.deep.equal([4n, 2n, 3n]); // the last moved in
      await feed(c, 1_000n * E);
      await c.bucket.allocate();
      expect(await allocations(c)).to.deep.equal([500n * E, 800n * E, 700n * E, 0n]);
      await expect(c.subnets[0].pull()).to.changeTokenBalance(c.token, c.subnets[0], 500n * E);
      await expect(c.bucket.kill(a)).to.be.revertedWithCustomError(c.bucket, "NotListed");
      // alice's ballot names a dead id: she can replace it (or be poked) as usual.
      await c.bucket.connect(c.alice).vote([2], [10_000]);
      expect(await votes(c, 1)).to.deep.equal([POWER.alice, 0n]); // a dead id's tally: read by nobody
      await c.bucket.poke(c.alice.address);
      await expectBooks(c);
    });

    it("kill of a floored subnet takes its floor out: the other floors take the bucket", async () => {
      const c = await loadFixture(withThirds);
      await c.bucket.kill(c.addrs[2]);
      const [, bps] = await c.bucket.weights();
      expect(bps).to.deep.equal([5_000n, 5_000n]);
      // 20,000 x 3,333 / 10,000 = 6,666, plus 6,668 (the pool no floor takes) x 3,333 / 6,666 = 3,334.
      await feed(c, 20_000n);
      await c.bucket.allocate();
      expect(await allocations(c, 3)).to.deep.equal([10_000n, 10_000n, 0n]);
    });

    it("addSubnet: the launcher only (not even the admin); no zero address, no subnet twice", async () => {
      const c = await loadFixture(deployGauge);
      for (const who of [c.stranger, c.admin, c.distributor])
        await expect(c.bucket.connect(who).addSubnet(c.addrs[0]))
          .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
          .withArgs(who.address);
      await expect(c.bucket.connect(c.launcher).addSubnet(ZeroAddress)).to.be.revertedWithCustomError(
        c.bucket,
        "InvalidFloors",
      );
      expect(await c.bucket.connect(c.launcher).addSubnet.staticCall(c.addrs[0])).to.equal(1n);
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[0]))
        .to.emit(c.bucket, "SubnetAdded")
        .withArgs(c.addrs[0], 1n);
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[0]))
        .to.be.revertedWithCustomError(c.bucket, "AlreadyListed")
        .withArgs(c.addrs[0]);
      // Ids are never reused: a subnet killed and another added gets the next id.
      await c.bucket.kill(c.addrs[0]);
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[1]))
        .to.emit(c.bucket, "SubnetAdded")
        .withArgs(c.addrs[1], 2n);
    });

    it("addSubnet on a full bucket retires the fewest-voted subnet past immunity without a floor", async () => {
      const c = await loadFixture(listed);
      const [a, b, d, e, f] = c.addrs;
      await c.bucket.setGaugeParams(params({ maxSubnets: 4 }));
      await c.bucket.setFloors([a], [1_000]);
      await toPeriod(c, 1);
      await c.bucket.connect(c.alice).vote([2], [10_000]); // b: 600
      await c.bucket.connect(c.carol).vote([4], [10_000]); // e: 100
      // Within immunity (14 days since joining): nobody can be retired.
      await expect(c.bucket.connect(c.launcher).addSubnet(f)).to.be.revertedWithCustomError(
        c.bucket,
        "BucketFull",
      );
      await toPeriod(c, 2); // 14 days: b and e have votes in force, d none
      await time.increase(HOUR); // immunity over (they joined a few seconds after genesis)
      // d (id 3) votes are pending only (cast this period): in force it has none, and goes first.
      await c.bucket.connect(c.bob).vote([3], [10_000]);
      const tx = c.bucket.connect(c.launcher).addSubnet(f);
      await expect(tx).to.emit(c.bucket, "SubnetRetired").withArgs(d, 3n, false);
      await expect(tx).to.emit(c.bucket, "SubnetAdded").withArgs(f, 5n);
      expect(await c.subnets[2].retirements()).to.equal(1n);
      // Next: e (100 votes) before b (600); a has a floor, f is immune.
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[2]))
        .to.emit(c.bucket, "SubnetRetired")
        .withArgs(e, 4n, false);
      await expect(c.bucket.connect(c.launcher).addSubnet(e))
        .to.emit(c.bucket, "SubnetRetired")
        .withArgs(b, 2n, false);
      // Left: a (floor) and three immune subnets: full.
      await expect(c.bucket.connect(c.launcher).addSubnet(b)).to.be.revertedWithCustomError(
        c.bucket,
        "BucketFull",
      );
      expect((await c.bucket.listings()).map((l) => l.subnet).sort()).to.deep.equal(
        [a, e, f, c.addrs[2]].sort(),
      );
    });

    it("addSubnet on a full bucket: among equals the first listed goes; floors protect; immunity is governable", async () => {
      const c = await loadFixture(listed);
      await c.bucket.setGaugeParams(params({ maxSubnets: 4, immunity: 0 }));
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[4]))
        .to.emit(c.bucket, "SubnetRetired")
        .withArgs(c.addrs[0], 1n, false);
      await c.bucket.setFloors(c.addrs.slice(1, 5), [1, 1, 1, 1]);
      await expect(c.bucket.connect(c.launcher).addSubnet(c.addrs[5])).to.be.revertedWithCustomError(
        c.bucket,
        "BucketFull",
      );
    });

    it("32 subnets: allocate splits among all of them (gas logged); the 33rd retires the weakest", async () => {
      const c = await loadFixture(deployGauge);
      const more: string[] = [...c.addrs];
      for (let i = 6; i < 32; i++)
        more.push(await (await new MockGaugeSubnet__factory(c.admin).deploy(c.bucket)).getAddress());
      for (const a of more) await c.bucket.connect(c.launcher).addSubnet(a);
      expect((await c.bucket.listings()).length).to.equal(32);
      await c.bucket.setFloors([more[0]], [100]);
      await toPeriod(c, 1);
      const ids = (k: number) => Array.from({ length: 16 }, (_, i) => BigInt(k + i + 1));
      await c.bucket.connect(c.alice).vote(ids(0), Array<bigint>(16).fill(625n)); // 37.5 each on 1-16
      await c.bucket.connect(c.bob).vote(ids(16), Array<bigint>(16).fill(625n)); // 18.75 each on 17-32
      await toPeriod(c, 2);
      await feed(c, 10_000n * E);
      const receipt = await (await c.bucket.allocate()).wait();
      console.log(`      allocate over 32 subnets (votes on all, one floor): ${receipt!.gasUsed} gas`);
      // Issue 16's budget is 600,000 (`bucket.allocate.32subnets`, held by reports/gas.json); bounded here.
      expect(receipt!.gasUsed).to.be.lte(1_500_000n);
      // Floor 1% (100), then the 9,900 gauge pool pro rata to the votes (37.5 and 18.75 per subnet).
      const v = (i: number): bigint => ((i < 16 ? POWER.alice : POWER.bob) * 625n) / BPS;
      const gauge = more.map((_, i) => (9_900n * E * v(i)) / (POWER.alice + POWER.bob));
      const leftover = 9_900n * E - gauge.reduce((x, y) => x + y, 0n);
      let paid = 0n;
      for (const [i, a] of more.entries()) {
        const expected = gauge[i] + (i === 0 ? 100n * E + leftover : 0n);
        expect(await c.bucket.allocation(a), `subnet ${i}`).to.equal(expected);
        paid += expected;
      }
      expect(paid + (await c.bucket.unallocated())).to.equal(10_000n * E);
      await expectBooks(c, more.slice(6));
      // The 33rd: the fewest votes past immunity without floor is one of bob's (the first listed of them).
      await time.increase(HOUR);
      const extra = await (await new MockGaugeSubnet__factory(c.admin).deploy(c.bucket)).getAddress();
      await expect(c.bucket.connect(c.launcher).addSubnet(extra))
        .to.emit(c.bucket, "SubnetRetired")
        .withArgs(more[16], 17n, false);
      expect((await c.bucket.listings()).length).to.equal(32);
    });
  });

  describe("setGaugeParams", () => {
    it("governance only; every bound is checked; emits GaugeParamsSet", async () => {
      const c = await loadFixture(deployGauge);
      await expect(c.bucket.connect(c.stranger).setGaugeParams(params({})))
        .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
        .withArgs(c.stranger.address);
      const bad: [string, Partial<GaugeParams>][] = [
        ["maxSubnets 0", { maxSubnets: 0 }],
        ["maxSubnets 33", { maxSubnets: 33 }],
        ["maxVotes 0", { maxVotes: 0 }],
        ["maxVotes 17", { maxVotes: 17 }],
        ["lookback under an hour", { lookback: HOUR - 1n }],
        ["lookback over 30 days", { lookback: 30n * DAY + 1n }],
        ["immunity over 180 days", { immunity: 180n * DAY + 1n }],
        ["cap under 5%", { capBps: 499 }],
        ["cap over 100%", { capBps: 10_001 }],
        ["fee burn over 100%", { feeBurnBps: 10_001 }],
      ];
      for (const [name, patch] of bad)
        await expect(c.bucket.setGaugeParams(params(patch)), name).to.be.revertedWithCustomError(
          c.bucket,
          "InvalidGaugeParams",
        );
      const low = params({
        maxSubnets: 1,
        maxVotes: 1,
        lookback: HOUR,
        immunity: 0,
        capBps: 500,
        feeBurnBps: 0,
      });
      await expect(c.bucket.setGaugeParams(low))
        .to.emit(c.bucket, "GaugeParamsSet")
        .withArgs(Object.values(low));
      const high = params({
        maxSubnets: 32,
        maxVotes: 16,
        lookback: 30n * DAY,
        immunity: 180n * DAY,
        capBps: 10_000,
        feeBurnBps: 10_000,
      });
      await c.bucket.setGaugeParams(high);
      const p = await c.bucket.gaugeParams();
      expect([p.maxSubnets, p.maxVotes, p.lookback, p.immunity, p.capBps, p.feeBurnBps]).to.deep.equal(
        Object.values(high).map(BigInt),
      );
      expect(await c.bucket.feeBurnBps()).to.equal(10_000n);
    });

    it("a longer lookback applies to the next power read", async () => {
      const c = await loadFixture(listed);
      await toPeriod(c, 1);
      await c.token.connect(c.dave).delegate(c.dave.address);
      await time.setNextBlockTimestamp(c.genesis + 2n * WEEK - 2n * DAY);
      await c.token.mint(c.dave.address, 50n * E);
      await toPeriod(c, 2);
      expect(await c.bucket.votingPower(c.dave.address)).to.equal(50n * E);
      await c.bucket.setGaugeParams(params({ lookback: 3n * DAY }));
      expect(await c.bucket.votingPower(c.dave.address)).to.equal(0n);
    });
  });

  describe("pull", () => {
    it("pays the caller its allocation and emits Pulled; pulling twice pays once", async () => {
      const c = await loadFixture(withThirds);
      const [a, b] = c.subnets;
      await feed(c, 1_000n);
      await c.bucket.allocate();
      expect(await a.pull.staticCall()).to.equal(333n);
      const tx = a.pull();
      await expect(tx).to.emit(c.bucket, "Pulled").withArgs(c.addrs[0], 333n);
      await expect(tx).to.changeTokenBalances(c.token, [a, c.bucket], [333n, -333n]);
      expect(await allocations(c, 2)).to.deep.equal([0n, 333n]);
      await expect(a.pull()).to.not.emit(c.bucket, "Pulled");
      expect(await b.pull.staticCall()).to.equal(333n);
      await expectBooks(c);
    });

    it("allocates what arrived before paying", async () => {
      const c = await loadFixture(withThirds);
      await feed(c, 10_000n);
      const tx = c.subnets[2].pull();
      await expect(tx).to.emit(c.bucket, "Allocated").withArgs(10_000n, 0n);
      await expect(tx).to.emit(c.bucket, "Pulled").withArgs(c.addrs[2], 3_334n);
      await expect(tx).to.changeTokenBalance(c.token, c.subnets[2], 3_334n);
      await expectBooks(c);
    });

    it("returns 0 and emits nothing for an account without allocation", async () => {
      const c = await loadFixture(withThirds);
      expect(await c.bucket.connect(c.stranger).pull.staticCall()).to.equal(0n);
      const tx = c.bucket.connect(c.stranger).pull();
      await expect(tx).to.not.emit(c.bucket, "Pulled");
      await expect(tx).to.changeTokenBalance(c.token, c.stranger, 0n);
    });
  });

  describe("accounting", () => {
    it("over 60 mixed steps (votes, pokes, floors, kills, launches, caps, pulls, periods): allocations + unallocated == accounted, and never more paid than received", async () => {
      const c = await loadFixture(listed);
      const voters = [c.alice, c.bob, c.carol];
      let seed = 0x2545f491n;
      const next = (n: number): number => {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
        return Number((seed >> 33n) % BigInt(n));
      };
      let received = 0n;
      const kinds = new Map<string, number>();
      for (let step = 0; step < 60; step++) {
        const live = (await c.bucket.listings()).map((l) => ({ subnet: l.subnet, id: Number(l.id) }));
        const kind = [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 8][next(13)];
        const label = ["feed", "vote", "poke", "floors", "kill", "add", "cap", "pull", "period"][kind];
        kinds.set(label, (kinds.get(label) ?? 0) + 1);
        if (kind === 0) {
          const amount = BigInt(next(1_000_000) + 1) * 10n ** 15n + BigInt(next(997));
          await feed(c, amount);
          received += amount;
        } else if (kind === 1 && live.length > 0) {
          const k = 1 + next(Math.min(3, live.length));
          const picked = [...new Set(Array.from({ length: k }, () => live[next(live.length)].id))];
          await c.bucket.connect(voters[next(3)]).vote(
            picked,
            picked.map(() => 1 + next(10_000 / picked.length)),
          );
        } else if (kind === 2) {
          await c.bucket.poke(voters[next(3)].address);
        } else if (kind === 3 && live.length > 0) {
          const pick = live.filter(() => next(2) === 0).map((l) => l.subnet);
          await c.bucket.setFloors(
            pick,
            pick.map(() => next(Math.floor(10_000 / pick.length) + 1)),
          );
        } else if (kind === 4 && live.length > 1) {
          await c.bucket.kill(live[next(live.length)].subnet);
        } else if (kind === 5) {
          const idle = c.addrs.filter((a) => !live.some((l) => l.subnet === a));
          if (idle.length > 0) await c.bucket.connect(c.launcher).addSubnet(idle[next(idle.length)]);
        } else if (kind === 6) {
          await c.bucket.setGaugeParams(params({ capBps: 500 + next(9_501) }));
        } else if (kind === 7) {
          await c.subnets[next(c.subnets.length)].pull();
        } else if (kind === 8) {
          await time.increase(BigInt(next(10)) * DAY + 1n);
        }
        await c.bucket.allocate();
        await expectBooks(c);
        let pulled = 0n;
        for (const s of c.subnets) pulled += await c.token.balanceOf(await s.getAddress());
        const held = await c.token.balanceOf(c.bucketAddress);
        expect(pulled + held, `step ${step} (${label}): pulled + held == received`).to.equal(received);
        // Shares of live subnets never exceed the whole bucket.
        const [, bps] = await c.bucket.weights();
        expect(
          bps.reduce((x, y) => x + y, 0n),
          `step ${step}: shares`,
        ).to.be.lte(BPS);
      }
      console.log(`      steps: ${JSON.stringify(Object.fromEntries(kinds))}; received ${received}`);
    });
  });
});
