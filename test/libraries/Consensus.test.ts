import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { ConsensusHarness__factory } from "../../typechain-types";
import { clip, consensus, fold, MAX_METRIC_VALUE, MAX_VALIDATORS } from "../../scripts/lib/models/consensus";

describe("Consensus (library)", () => {
  async function fixture() {
    const [deployer] = await ethers.getSigners();
    return { lib: await new ConsensusHarness__factory(deployer).deploy() };
  }

  describe("validateWeights and fold", () => {
    it("accepts 1 to 8 weights summing to 10,000 and folds exactly", async () => {
      const { lib } = await loadFixture(fixture);
      await lib.validateWeights([10_000]);
      await lib.validateWeights([4000, 3000, 2000, 1000]);
      await lib.validateWeights([1250, 1250, 1250, 1250, 1250, 1250, 1250, 1250]);
      expect(await lib.fold([65_535, 0, 100, 7], [4000, 3000, 2000, 1000])).to.equal(
        65_535n * 4000n + 100n * 2000n + 7n * 1000n,
      );
      expect(await lib.fold([65_535, 65_535], [5000, 5000])).to.equal(65_535n * 10_000n);
    });

    it("rejects empty, too many, or weights not summing to 10,000", async () => {
      const { lib } = await loadFixture(fixture);
      await expect(lib.validateWeights([]))
        .to.be.revertedWithCustomError(lib, "InvalidMetricWeights")
        .withArgs(0, 0);
      await expect(lib.validateWeights([5000, 4999]))
        .to.be.revertedWithCustomError(lib, "InvalidMetricWeights")
        .withArgs(2, 9999);
      const nine = Array<number>(9).fill(1000);
      nine[8] = 1000;
      await expect(lib.validateWeights(nine))
        .to.be.revertedWithCustomError(lib, "InvalidMetricWeights")
        .withArgs(9, 8000); // only the first 8 are summed before the length check fails
    });

    it("rejects a row whose length differs from the weights'", async () => {
      const { lib } = await loadFixture(fixture);
      await expect(lib.fold([1, 2, 3], [5000, 5000]))
        .to.be.revertedWithCustomError(lib, "MetricCountMismatch")
        .withArgs(2, 3);
    });

    it("matches the TypeScript fold on random rows", async () => {
      const { lib } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(fc.integer({ min: 0, max: MAX_METRIC_VALUE }), fc.integer({ min: 1, max: 100 })),
            {
              minLength: 1,
              maxLength: 8,
            },
          ),
          async (rows) => {
            // Turn random positive parts into weights summing to exactly 10,000.
            const parts = rows.map((r) => r[1]);
            const sum = parts.reduce((a, b) => a + b, 0);
            const weights = parts.map((p) => Math.floor((p * 10_000) / sum));
            weights[0] += 10_000 - weights.reduce((a, b) => a + b, 0);
            const values = rows.map((r) => r[0]);
            await lib.validateWeights(weights);
            expect(await lib.fold(values, weights)).to.equal(fold(values, weights));
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe("consensus", () => {
    it("is the stake-weighted upper median at kappa = 50%", async () => {
      const { lib } = await loadFixture(fixture);
      // stakes 10/20/30/40: scores 100/300/200/50 -> at >= 200 support is 50 of 100: consensus 200.
      expect(await lib.consensus([100, 300, 200, 50], [10, 20, 30, 40], 5000)).to.equal(200);
      // Ties count together: two validators at 70 with half the stake.
      expect(await lib.consensus([70, 70, 10], [25, 25, 50], 5000)).to.equal(70);
      // One validator decides alone; zero-stake validators never count.
      expect(await lib.consensus([42], [1], 5000)).to.equal(42);
      expect(await lib.consensus([1000, 5], [0, 7], 5000)).to.equal(5);
      // kappa = 100% is the minimum, tiny kappa the maximum score with stake.
      expect(await lib.consensus([9, 3, 6], [1, 1, 1], 10_000)).to.equal(3);
      expect(await lib.consensus([9, 3, 6], [1, 1, 1], 1)).to.equal(9);
    });

    it("returns 0 without stake or without validators", async () => {
      const { lib } = await loadFixture(fixture);
      expect(await lib.consensus([], [], 5000)).to.equal(0);
      expect(await lib.consensus([5, 6], [0, 0], 5000)).to.equal(0);
    });

    it("rejects mismatched lengths, more than 64 validators and kappa outside (0, 10,000]", async () => {
      const { lib } = await loadFixture(fixture);
      await expect(lib.consensus([1, 2], [1], 5000))
        .to.be.revertedWithCustomError(lib, "InvalidValidatorSet")
        .withArgs(2, 1);
      const many = Array<number>(MAX_VALIDATORS + 1).fill(1);
      await expect(lib.consensus(many, many, 5000))
        .to.be.revertedWithCustomError(lib, "InvalidValidatorSet")
        .withArgs(65, 65);
      await expect(lib.consensus([1], [1], 0))
        .to.be.revertedWithCustomError(lib, "InvalidKappa")
        .withArgs(0);
      await expect(lib.consensus([1], [1], 10_001))
        .to.be.revertedWithCustomError(lib, "InvalidKappa")
        .withArgs(10_001);
    });

    it("clip is the minimum of a score and the consensus", async () => {
      const { lib } = await loadFixture(fixture);
      expect(await lib.clip(10, 7)).to.equal(7);
      expect(await lib.clip(3, 7)).to.equal(3);
      expect(clip(10n, 7n)).to.equal(7n);
    });

    it("matches the definition (TypeScript, O(n^2)) on random validator sets", async () => {
      const { lib } = await loadFixture(fixture);
      const validator = fc.tuple(
        fc.integer({ min: 0, max: 655_350_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(validator, { minLength: 1, maxLength: MAX_VALIDATORS }),
          fc.integer({ min: 1, max: 10_000 }),
          async (set, kappa) => {
            const scores = set.map((v) => BigInt(v[0]));
            const stakes = set.map((v) => v[1]);
            expect(await lib.consensus(scores, stakes, kappa)).to.equal(
              consensus(scores, stakes, BigInt(kappa)),
            );
          },
        ),
        { numRuns: 60 },
      );
    });

    it("a coalition with less than half the stake cannot move consensus outside the honest range", async () => {
      const { lib } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 })), {
            minLength: 1,
            maxLength: 32,
          }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 655_350_000 }), fc.integer({ min: 1, max: 1000 })), {
            maxLength: 32,
          }),
          async (honest, colluders) => {
            const honestStake = honest.reduce((a, h) => a + h[1], 0);
            let colluderStake = colluders.reduce((a, c) => a + c[1], 0);
            // Scale the coalition below half of all stake: colluderStake < honestStake.
            const scaled = colluders.map(([s, w]) => [s, w] as [number, number]);
            while (colluderStake >= honestStake && scaled.length > 0) {
              colluderStake -= scaled.pop()![1];
            }
            const all = [...honest, ...scaled];
            const c = await lib.consensus(
              all.map((v) => v[0]),
              all.map((v) => v[1]),
              5000,
            );
            const hs = honest.map((h) => BigInt(h[0]));
            const max = hs.reduce((a, b) => (a > b ? a : b));
            const min = hs.reduce((a, b) => (a < b ? a : b));
            expect(c).to.be.lte(max);
            expect(c).to.be.gte(min);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe("foldPacked, accumulate and agreement (what Subnet calls)", () => {
    /** Rows of big-endian uint16 values, concatenated. */
    function packRows(rows: readonly (readonly number[])[]): string {
      return (
        "0x" +
        rows
          .flat()
          .map((v) => v.toString(16).padStart(4, "0"))
          .join("")
      );
    }

    it("foldPacked folds the row at an offset exactly like fold", async () => {
      const { lib } = await loadFixture(fixture);
      const weights = [4000, 3000, 2000, 1000];
      const rows = [
        [65_535, 0, 100, 7],
        [1, 2, 3, 4],
        [65_535, 65_535, 65_535, 65_535],
      ];
      const sheet = packRows(rows);
      for (let j = 0; j < rows.length; j++) {
        expect(await lib.foldPacked(sheet, j * 8, weights)).to.equal(fold(rows[j], weights));
      }
      expect(await lib.foldPacked("0xffff", 0, [10_000])).to.equal(65_535n * 10_000n);
    });

    it("foldPacked matches fold on random sheets", async () => {
      const { lib } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 8 }).chain((m) =>
            fc.tuple(
              fc.array(
                fc.array(fc.integer({ min: 0, max: MAX_METRIC_VALUE }), { minLength: m, maxLength: m }),
                {
                  minLength: 1,
                  maxLength: 6,
                },
              ),
              fc.array(fc.integer({ min: 1, max: 100 }), { minLength: m, maxLength: m }),
            ),
          ),
          async ([rows, parts]) => {
            const sum = parts.reduce((a, b) => a + b, 0);
            const weights = parts.map((p) => Math.floor((p * 10_000) / sum));
            weights[0] += 10_000 - weights.reduce((a, b) => a + b, 0);
            const sheet = packRows(rows);
            const j = rows.length - 1;
            expect(await lib.foldPacked(sheet, j * 2 * weights.length, weights)).to.equal(
              fold(rows[j], weights),
            );
          },
        ),
        { numRuns: 30 },
      );
    });

    it("accumulate adds the clipped score to mins and the larger one to maxs", async () => {
      const { lib } = await loadFixture(fixture);
      const [mins, maxs] = await lib.accumulate([10, 7, 3, 0], 7, [1, 2, 3, 4], [5, 6, 7, 8]);
      expect(mins).to.deep.equal([1n + 7n, 2n + 7n, 3n + 3n, 4n + 0n]);
      expect(maxs).to.deep.equal([5n + 10n, 6n + 7n, 7n + 7n, 8n + 7n]);
      const [none] = await lib.accumulate([], 7, [], []);
      expect(none).to.deep.equal([]);
    });

    it("accumulate matches clip on random scores", async () => {
      const { lib } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 655_350_000 }), { minLength: 1, maxLength: MAX_VALIDATORS }),
          fc.integer({ min: 0, max: 655_350_000 }),
          async (scores, c) => {
            const zeros = scores.map(() => 0n);
            const [mins, maxs] = await lib.accumulate(scores, c, zeros, zeros);
            const C = BigInt(c);
            expect(mins).to.deep.equal(scores.map((s) => clip(BigInt(s), C)));
            expect(maxs).to.deep.equal(scores.map((s) => (BigInt(s) > C ? BigInt(s) : C)));
          },
        ),
        { numRuns: 30 },
      );
    });

    it("agreement is min / max in basis points, and whole when both sums are zero", async () => {
      const { lib } = await loadFixture(fixture);
      expect(await lib.agreement(0, 0)).to.equal(10_000n);
      expect(await lib.agreement(5, 5)).to.equal(10_000n);
      expect(await lib.agreement(1, 3)).to.equal(3333n); // rounded down
      expect(await lib.agreement(0, 7)).to.equal(0n);
      expect(await lib.agreement(655_350_000n * 256n, 655_350_000n * 256n)).to.equal(10_000n);
    });
  });
});
