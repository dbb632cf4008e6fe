/**
 * contracts/libraries/Dividends.sol through contracts/mocks/DividendsHarness.sol: strikes and dividend
 * factors on hand-computed cases, and equal to the bigint reference (scripts/lib/models/dividends.ts)
 * on random inputs (fast-check).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { DividendsHarness__factory } from "../../typechain-types";
import { factor, struck } from "../../scripts/lib/models/dividends";
import { runs } from "../utils/coverage";

const BPS = 10_000n;

describe("Dividends (library)", () => {
  async function fixture() {
    const [deployer] = await ethers.getSigners();
    return { lib: await new DividendsHarness__factory(deployer).deploy() };
  }

  describe("struck", () => {
    // [a, m, floor, relativeThreshold, struck]
    const cases: [bigint, bigint, bigint, bigint, boolean][] = [
      [4999n, 0n, 5000n, 8000n, true], // under the absolute floor, whatever the median
      [5000n, 0n, 5000n, 8000n, false], // at the floor
      [7999n, 10_000n, 0n, 8000n, true], // 79.99% of the median < 80%
      [8000n, 10_000n, 0n, 8000n, false], // exactly 80% of the median
      [5000n, 6250n, 5000n, 8000n, false], // 5,000 * 10^4 = 8,000 * 6,250: not under
      [4999n, 6250n, 4000n, 8000n, true], // 4,999 * 10^4 < 8,000 * 6,250
      [0n, 10_000n, 0n, 0n, false], // no floor, no relative threshold: never struck
      [9999n, 10_000n, 0n, 10_000n, true], // at 100% anything under the median is struck
      [10_000n, 10_000n, 10_000n, 10_000n, false],
    ];
    for (const [a, m, floor, rt, expected] of cases) {
      it(`a=${a}, m=${m}, floor=${floor}, relative=${rt}: ${expected ? "struck" : "not struck"}`, async () => {
        const { lib } = await loadFixture(fixture);
        expect(await lib.struck(a, m, floor, rt)).to.equal(expected);
        expect(struck(a, m, floor, rt)).to.equal(expected);
      });
    }
  });

  describe("factor", () => {
    // [a, m, l, edgeShare, edgeFloor, factor], computed by hand from the formula.
    const cases: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
      [9000n, 9500n, 9500n, 5000n, 100n, 10_000n], // m = l: no median edge, full dividend
      [0n, 9000n, 9500n, 5000n, 100n, 10_000n], // m < l: full dividend, even at agreement 0
      // m - l = 100 >= edgeFloor: phi = 1; target = 50
      [9500n, 9600n, 9500n, 5000n, 100n, 0n], // a copier of the lagged consensus: no edge, nothing
      [9400n, 9600n, 9500n, 5000n, 100n, 0n], // below the lag: nothing
      [9525n, 9600n, 9500n, 5000n, 100n, 5000n], // half the target edge: half
      [9550n, 9600n, 9500n, 5000n, 100n, 10_000n], // the target edge: full
      [9700n, 9600n, 9500n, 5000n, 100n, 10_000n], // beyond the median: capped at full
      // m - l = 20: phi = 2,000; target = 10
      [9500n, 9520n, 9500n, 5000n, 100n, 8000n], // the copier keeps 1 - phi
      [9505n, 9520n, 9500n, 5000n, 100n, 9000n], // 8,000 + 2,000 * 5,000 / 10^4
      // m - l = 1: phi = 100; target = 1 * 5,000 / 10^4 = 0: info is full
      [9500n, 9501n, 9500n, 5000n, 100n, 10_000n],
      // m - l = 3, edgeFloor 7: phi = 30,000 / 7 = 4,285; target = 3; edge 1: info = 3,333;
      // (5,715 * 10^4 + 4,285 * 3,333) / 10^4 = 71,431,905 / 10^4 = 7,143
      [9501n, 9503n, 9500n, 10_000n, 7n, 7143n],
      // m - l = 10,000 (l = 0): phi = 1, target = edgeShare; a = 2,500 of target 10,000: 2,500
      [2500n, 10_000n, 0n, 10_000n, 10_000n, 2500n],
      // edgeFloor 10,000 with m - l = 5,000: phi = 5,000; target = 2,500 (edgeShare 5,000); edge 0:
      // 5,000
      [0n, 5000n, 0n, 5000n, 10_000n, 5000n],
    ];
    for (const [a, m, l, share, floor, expected] of cases) {
      it(`a=${a}, m=${m}, l=${l}, edgeShare=${share}, edgeFloor=${floor}: ${expected}`, async () => {
        const { lib } = await loadFixture(fixture);
        expect(await lib.factor(a, m, l, share, floor)).to.equal(expected);
        expect(factor(a, m, l, share, floor)).to.equal(expected);
      });
    }

    it("reverts on a zero edgeFloor once the median has an edge (division by zero)", async () => {
      const { lib } = await loadFixture(fixture);
      await expect(lib.factor(9600n, 9600n, 9500n, 5000n, 0n)).to.be.revertedWithPanic(0x12);
      expect(await lib.factor(9600n, 9500n, 9500n, 5000n, 0n)).to.equal(BPS); // no edge: not reached
    });
  });

  describe("against the reference", () => {
    const bps = fc.bigInt({ min: 0n, max: BPS });
    const nearBps = fc.oneof(bps, fc.bigInt({ min: 9_000n, max: BPS }), fc.constantFrom(0n, 1n, BPS));
    const positiveBps = fc.oneof(fc.bigInt({ min: 1n, max: BPS }), fc.constantFrom(1n, 100n, 5000n, BPS));

    it("struck and factor equal the reference; factor is within [0, 10^4] and non-decreasing in a", async () => {
      const { lib } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          nearBps,
          nearBps,
          nearBps,
          positiveBps,
          positiveBps,
          bps,
          bps,
          async (a, m, l, edgeShare, edgeFloor, floor, rt) => {
            expect(await lib.struck(a, m, floor, rt)).to.equal(struck(a, m, floor, rt));
            const f = factor(a, m, l, edgeShare, edgeFloor);
            expect(await lib.factor(a, m, l, edgeShare, edgeFloor)).to.equal(f);
            expect(f >= 0n && f <= BPS, "0 <= factor <= 10^4").to.equal(true);
            if (a < BPS) expect(factor(a + 1n, m, l, edgeShare, edgeFloor)).to.be.gte(f);
            // A copier of the lagged consensus earns exactly the part not paid for information.
            if (m > l) {
              const phi = (m - l) * BPS >= edgeFloor * BPS ? BPS : ((m - l) * BPS) / edgeFloor;
              const target = ((m - l) * edgeShare) / BPS;
              if (target > 0n) expect(factor(l, m, l, edgeShare, edgeFloor)).to.equal(BPS - phi);
            }
          },
        ),
        { numRuns: runs(300) },
      );
    });
  });
});
