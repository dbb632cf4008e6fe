import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress } from "ethers";
import {
  ContributionBucket,
  ContributionBucket__factory,
  MockStakeToken,
  MockStakeToken__factory,
  TetradAccessManager,
  TetradAccessManager__factory,
} from "../../typechain-types";
import { ROLES } from "../../scripts/lib/chain/constants";

interface Ctx {
  manager: TetradAccessManager;
  token: MockStakeToken;
  bucket: ContributionBucket;
  bucketAddress: string;
  admin: HardhatEthersSigner;
  distributor: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  /** Stand-ins for subnets: any address can hold an allocation and pull it. */
  subnets: HardhatEthersSigner[];
}

/** Each subnet's allocation is exactly as listed and, when given, the unallocated rest too. */
async function expectAllocations(
  c: Ctx,
  unallocated: bigint | undefined,
  ...expected: [HardhatEthersSigner, bigint][]
): Promise<void> {
  for (const [subnet, amount] of expected) {
    expect(await c.bucket.allocation(subnet.address), `allocation of ${subnet.address}`).to.equal(amount);
  }
  if (unallocated !== undefined) expect(await c.bucket.unallocated()).to.equal(unallocated);
}

async function deployBucket(): Promise<Ctx> {
  const signers = await ethers.getSigners();
  const [admin, distributor, stranger] = signers;
  const subnets = signers.slice(3, 8);
  const manager = await new TetradAccessManager__factory(admin).deploy(admin.address);
  const token = await new MockStakeToken__factory(admin).deploy("Tetrad (test)", "TTD");
  const bucket = await new ContributionBucket__factory(admin).deploy(manager, token);
  const bucketAddress = await bucket.getAddress();
  // As deployCore does for the emission controller: onEmission belongs to the DISTRIBUTOR role.
  await manager.setTargetFunctionRole(
    bucketAddress,
    [bucket.interface.getFunction("onEmission").selector],
    ROLES.DISTRIBUTOR,
  );
  await manager.grantRole(ROLES.DISTRIBUTOR, distributor.address, 0);
  return { manager, token, bucket, bucketAddress, admin, distributor, stranger, subnets };
}

/** Three subnets at 3,333 / 3,333 / 3,334. */
async function withThirds(): Promise<Ctx> {
  const c = await deployBucket();
  await c.bucket.setFloors(
    c.subnets.slice(0, 3).map((s) => s.address),
    [3_333, 3_333, 3_334],
  );
  return c;
}

/** Every token the bucket holds is owed to a subnet or carried: balance == sum(allocations) + unallocated. */
async function expectBooksBalance(c: Ctx): Promise<void> {
  let owed = await c.bucket.unallocated();
  for (const s of [...c.subnets, c.stranger, c.admin, c.distributor])
    owed += await c.bucket.allocation(s.address);
  expect(await c.token.balanceOf(c.bucketAddress)).to.equal(owed);
}

describe("ContributionBucket", () => {
  it("starts empty, governed by the manager", async () => {
    const c = await loadFixture(deployBucket);
    expect(await c.bucket.token()).to.equal(await c.token.getAddress());
    expect(await c.bucket.authority()).to.equal(await c.manager.getAddress());
    expect(await c.bucket.MAX_SUBNETS()).to.equal(16n);
    expect(await c.bucket.weights()).to.deep.equal([[], []]);
    expect(await c.bucket.unallocated()).to.equal(0n);
    expect(await c.bucket.allocation(c.subnets[0].address)).to.equal(0n);
  });

  describe("onEmission", () => {
    it("reverts AccessManagedUnauthorized for a stranger (and the admin without the role)", async () => {
      const c = await loadFixture(withThirds);
      await expect(c.bucket.connect(c.stranger).onEmission(1n, 0n))
        .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
        .withArgs(c.stranger.address);
      await expect(c.bucket.connect(c.admin).onEmission(1n, 0n))
        .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
        .withArgs(c.admin.address);
    });

    /**
     * `arrived` tokens reach the thirds bucket, then the distributor calls onEmission(`told`): it must
     * emit Allocated(allocated, carried).
     */
    async function notifiedAfter(
      arrived: bigint,
      told: bigint,
      expected: { allocated: bigint; carried: bigint },
    ): Promise<Ctx> {
      const c = await loadFixture(withThirds);
      await c.token.mint(c.bucketAddress, arrived);
      await expect(c.bucket.connect(c.distributor).onEmission(told, 0n))
        .to.emit(c.bucket, "Allocated")
        .withArgs(expected.allocated, expected.carried);
      return c;
    }

    it("allocates what arrived when called by the role holder", async () => {
      const c = await notifiedAfter(10_000n, 10_000n, { allocated: 10_000n, carried: 0n });
      const [a, b, d] = c.subnets;
      await expectAllocations(c, undefined, [a, 3_333n], [b, 3_333n], [d, 3_334n]);
      await expectBooksBalance(c);
    });

    it("splits by balance, not by the amount argument", async () => {
      await notifiedAfter(100n, 999_999n, { allocated: 100n, carried: 1n });
    });
  });

  describe("allocate", () => {
    it("splits by weights and carries the rounding remainder in unallocated()", async () => {
      const c = await loadFixture(withThirds);
      const [a, b, d] = c.subnets;
      await c.token.mint(c.bucketAddress, 100n);
      // 100 x 3,333 / 10,000 = 33 (twice); 100 x 3,334 / 10,000 = 33: 99 paid, 1 carried.
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(100n, 1n);
      await expectAllocations(c, 1n, [a, 33n], [b, 33n], [d, 33n]);
      await expectBooksBalance(c);
      // 200 + 1 carried = 201: 66, 66, 67 -> 199 paid, 2 carried.
      await c.token.mint(c.bucketAddress, 200n);
      await expect(c.bucket.connect(c.stranger).allocate()).to.emit(c.bucket, "Allocated").withArgs(200n, 2n);
      await expectAllocations(c, 2n, [a, 99n], [b, 99n], [d, 100n]);
      await expectBooksBalance(c);
    });

    it("does nothing (no event) when nothing arrived", async () => {
      const c = await loadFixture(withThirds);
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      await c.token.mint(c.bucketAddress, 10_000n);
      await c.bucket.allocate();
      await expect(c.bucket.allocate()).to.not.emit(c.bucket, "Allocated");
      expect(await c.bucket.allocation(c.subnets[0].address)).to.equal(3_333n);
    });

    it("with no subnets keeps everything unallocated, then splits it once weights are set", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets;
      await c.token.mint(c.bucketAddress, 500n);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(500n, 500n);
      expect(await c.bucket.unallocated()).to.equal(500n);
      await c.bucket.setFloors([a.address, b.address], [6_000, 4_000]);
      // The carried 500 goes into the next split with the new arrivals.
      await c.token.mint(c.bucketAddress, 100n);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(100n, 0n);
      await expectAllocations(c, 0n, [a, 360n], [b, 240n]);
      await expectBooksBalance(c);
    });

    it("once weights are set, the carried amount is allocated without waiting for new tokens", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets;
      await c.token.mint(c.bucketAddress, 500n);
      await c.bucket.allocate();
      await c.bucket.setFloors([a.address, b.address], [6_000, 4_000]);
      await c.bucket.allocate();
      await expectAllocations(c, 0n, [a, 300n], [b, 200n]);
      // A subnet pulling now gets its share of what the bucket already held.
      await expect(c.bucket.connect(a).pull()).to.changeTokenBalance(c.token, a, 300n);
    });
  });

  describe("setFloors", () => {
    it("reverts AccessManagedUnauthorized for a stranger", async () => {
      const c = await loadFixture(deployBucket);
      await expect(c.bucket.connect(c.stranger).setFloors([c.subnets[0].address], [10_000]))
        .to.be.revertedWithCustomError(c.bucket, "AccessManagedUnauthorized")
        .withArgs(c.stranger.address);
    });

    it("reverts InvalidFloors for a length mismatch, > 16 subnets, a duplicate, zero address, sum != 10,000", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets.map((s) => s.address);
      const many = Array.from({ length: 17 }, (_, i) =>
        ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`),
      );
      const manyWeights = [...Array<number>(16).fill(588), 592]; // sums to 10,000
      expect(manyWeights.reduce((x, y) => x + y, 0)).to.equal(10_000);
      const cases: [string, string[], number[]][] = [
        ["length mismatch", [a, b], [10_000]],
        ["length mismatch (more weights)", [a], [5_000, 5_000]],
        ["17 subnets", many, manyWeights],
        ["duplicate", [a, b, a], [3_000, 3_000, 4_000]],
        ["zero address", [a, ZeroAddress], [5_000, 5_000]],
        ["sum 9,999", [a, b], [5_000, 4_999]],
        ["sum 10,001", [a, b], [5_000, 5_001]],
        ["a single zero weight", [a], [0]],
      ];
      for (const [name, subnets, weights] of cases) {
        await expect(c.bucket.setFloors(subnets, weights), name).to.be.revertedWithCustomError(
          c.bucket,
          "InvalidFloors",
        );
      }
      // Exactly 16 is fine.
      const sixteen = many.slice(0, 16);
      const sixteenWeights = Array<number>(16).fill(625);
      await expect(c.bucket.setFloors(sixteen, sixteenWeights)).to.emit(c.bucket, "FloorsSet");
      expect((await c.bucket.weights())[0]).to.deep.equal(sixteen);
    });

    it("sets the subnets and weights and emits FloorsSet; an empty list is allowed", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets.map((s) => s.address);
      await expect(c.bucket.setFloors([a, b], [2_500, 7_500]))
        .to.emit(c.bucket, "FloorsSet")
        .withArgs([a, b], [2_500, 7_500]);
      expect(await c.bucket.weights()).to.deep.equal([
        [a, b],
        [2_500n, 7_500n],
      ]);
      await expect(c.bucket.setFloors([], [])).to.emit(c.bucket, "FloorsSet").withArgs([], []);
      expect(await c.bucket.weights()).to.deep.equal([[], []]);
      // Nothing is allocated while the list is empty.
      await c.token.mint(c.bucketAddress, 70n);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(70n, 70n);
      expect(await c.bucket.allocation(a)).to.equal(0n);
      expect(await c.bucket.allocation(b)).to.equal(0n);
      await expectBooksBalance(c);
    });

    it("a shorter list replaces a longer one entirely: dropped subnets get nothing new", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets.map((s) => s.address);
      await c.bucket.setFloors([a, b], [2_500, 7_500]);
      await c.bucket.setFloors([b], [10_000]);
      expect(await c.bucket.weights()).to.deep.equal([[b], [10_000n]]);
      await c.token.mint(c.bucketAddress, 100n);
      await expect(c.bucket.allocate()).to.emit(c.bucket, "Allocated").withArgs(100n, 0n);
      expect(await c.bucket.allocation(a)).to.equal(0n);
      expect(await c.bucket.allocation(b)).to.equal(100n);
      await c.bucket.setFloors([a, b], [5_000, 5_000]);
      expect(await c.bucket.weights()).to.deep.equal([
        [a, b],
        [5_000n, 5_000n],
      ]);
      await expectBooksBalance(c);
    });

    it("allocates what arrived at the old weights first", async () => {
      const c = await loadFixture(deployBucket);
      const [a, b] = c.subnets.map((s) => s.address);
      await c.bucket.setFloors([a], [10_000]);
      await c.token.mint(c.bucketAddress, 100n);
      const tx = c.bucket.setFloors([b], [10_000]);
      await expect(tx).to.emit(c.bucket, "Allocated").withArgs(100n, 0n);
      await expect(tx).to.emit(c.bucket, "FloorsSet").withArgs([b], [10_000]);
      expect(await c.bucket.allocation(a)).to.equal(100n);
      expect(await c.bucket.allocation(b)).to.equal(0n);
      // A removed subnet keeps (and can pull) what it was allocated.
      await c.token.mint(c.bucketAddress, 50n);
      await c.bucket.allocate();
      expect(await c.bucket.allocation(a)).to.equal(100n);
      expect(await c.bucket.allocation(b)).to.equal(50n);
      await expect(c.bucket.connect(c.subnets[0]).pull()).to.changeTokenBalance(c.token, c.subnets[0], 100n);
      await expectBooksBalance(c);
    });
  });

  describe("pull", () => {
    it("pays the caller its allocation and emits Pulled", async () => {
      const c = await loadFixture(withThirds);
      const [a, b] = c.subnets;
      await c.token.mint(c.bucketAddress, 1_000n);
      await c.bucket.allocate();
      expect(await c.bucket.connect(a).pull.staticCall()).to.equal(333n);
      const tx = c.bucket.connect(a).pull();
      await expect(tx).to.emit(c.bucket, "Pulled").withArgs(a.address, 333n);
      await expect(tx).to.changeTokenBalances(c.token, [a, c.bucket], [333n, -333n]);
      await expectAllocations(c, undefined, [a, 0n], [b, 333n]);
      await expectBooksBalance(c);
    });

    it("allocates what arrived before paying", async () => {
      const c = await loadFixture(withThirds);
      const d = c.subnets[2];
      await c.token.mint(c.bucketAddress, 10_000n);
      const tx = c.bucket.connect(d).pull();
      await expect(tx).to.emit(c.bucket, "Allocated").withArgs(10_000n, 0n);
      await expect(tx).to.emit(c.bucket, "Pulled").withArgs(d.address, 3_334n);
      await expect(tx).to.changeTokenBalance(c.token, d, 3_334n);
      await expectBooksBalance(c);
    });

    it("returns 0 and emits nothing when there is nothing to pull", async () => {
      const c = await loadFixture(withThirds);
      expect(await c.bucket.connect(c.stranger).pull.staticCall()).to.equal(0n);
      const tx = c.bucket.connect(c.stranger).pull();
      await expect(tx).to.not.emit(c.bucket, "Pulled");
      await expect(tx).to.changeTokenBalance(c.token, c.stranger, 0n);
      // Pulling twice pays once.
      await c.token.mint(c.bucketAddress, 10_000n);
      await c.bucket.connect(c.subnets[0]).pull();
      expect(await c.bucket.connect(c.subnets[0]).pull.staticCall()).to.equal(0n);
      await expect(c.bucket.connect(c.subnets[0]).pull()).to.not.emit(c.bucket, "Pulled");
      await expectBooksBalance(c);
    });
  });
});
