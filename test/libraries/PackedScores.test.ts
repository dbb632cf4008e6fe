import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { PackedScoresHarness__factory } from "../../typechain-types";

const MASK = (1n << 32n) - 1n;

describe("PackedScores (library)", () => {
  async function fixture() {
    const [deployer] = await ethers.getSigners();
    return { lib: await new PackedScoresHarness__factory(deployer).deploy() };
  }

  it("derives the layout: 32-bit lanes, 8 per word, 256 rows in 32 words", async () => {
    const { lib } = await loadFixture(fixture);
    expect(await lib.constants()).to.deep.equal([32n, 8n, MASK, 256n, 32n]);
  });

  it("places row j in lane j % 8 of word j / 8, lane 0 in the low bits", async () => {
    const { lib } = await loadFixture(fixture);
    for (const [row, word, shift, last] of [
      [0, 0n, 0n, false],
      [7, 0n, 224n, true],
      [8, 1n, 0n, false],
      [13, 1n, 160n, false],
      [255, 31n, 224n, true],
    ] as const) {
      expect(await lib.wordOf(row)).to.equal(word);
      expect(await lib.shiftOf(row)).to.equal(shift);
      expect(await lib.isLastLane(row)).to.equal(last);
    }
  });

  it("lane and withLane read and replace one lane, leaving the others", async () => {
    const { lib } = await loadFixture(fixture);
    const packed = (0xdeadbeefn << 64n) | (0x12345678n << 32n) | 0xffffffffn;
    expect(await lib.lane(packed, 0)).to.equal(0xffffffffn);
    expect(await lib.lane(packed, 1)).to.equal(0x12345678n);
    expect(await lib.lane(packed, 10)).to.equal(0xdeadbeefn); // row 10: lane 2 of its word
    expect(await lib.lane(packed, 3)).to.equal(0n);
    const replaced = await lib.withLane(packed, 9, 7);
    expect(replaced).to.equal((0xdeadbeefn << 64n) | (7n << 32n) | 0xffffffffn);
    expect(await lib.withLane(replaced, 1, 0)).to.equal((0xdeadbeefn << 64n) | 0xffffffffn);
    expect(await lib.withLane(0n, 7, MASK)).to.equal(MASK << 224n);
  });

  it("set and get round-trip a stored sheet, word by word", async () => {
    const { lib } = await loadFixture(fixture);
    await lib.set(0, 11);
    await lib.set(7, 655_350_000);
    await lib.set(8, 5);
    await lib.set(255, 1);
    await lib.set(0, 12); // overwrite
    expect(await lib.get(0)).to.equal(12n);
    expect(await lib.get(7)).to.equal(655_350_000n);
    expect(await lib.get(8)).to.equal(5n);
    expect(await lib.get(255)).to.equal(1n);
    expect(await lib.get(1)).to.equal(0n);
    expect(await lib.word(0)).to.equal((655_350_000n << 224n) | 12n);
    expect(await lib.word(31)).to.equal(1n << 224n);
  });

  it("set and get match a plain array on random writes", async () => {
    const { lib } = await loadFixture(fixture);
    const model = new Map<number, bigint>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 255 }),
        fc.bigInt({ min: 0n, max: MASK }),
        async (row, value) => {
          await lib.set(row, value);
          model.set(row, value);
          for (const r of [row, row ^ 1, 255 - row]) expect(await lib.get(r)).to.equal(model.get(r) ?? 0n);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("gather reads a row from several sheets, zero past each sheet's rows", async () => {
    const { lib } = await loadFixture(fixture);
    for (let id = 0; id < 4; id++) {
      for (const row of [0, 9, 31, 255]) await lib.setInSheet(id, row, 1000 * (id + 1) + row);
    }
    // Sheets 3, 0, 2 with 256, 10 and 9 rows: row 9 is past the last sheet's rows (stale there).
    // Every sheet younger than the rows' owner (born 0 < since 1): only `rows` masks.
    const all = (n: number) => Array<number>(n).fill(1);
    expect(await lib.gather([3, 0, 2], [256, 10, 9], all(3), 9, 0)).to.deep.equal([4009n, 1009n, 0n]);
    expect(await lib.gather([3, 0, 2], [256, 10, 9], all(3), 0, 0)).to.deep.equal([4000n, 1000n, 3000n]);
    expect(await lib.gather([1, 2], [256, 255], all(2), 255, 0)).to.deep.equal([2255n, 0n]);
    expect(await lib.gather([1], [32], all(1), 31, 0)).to.deep.equal([2031n]);
    expect(await lib.gather([1], [0], all(1), 0, 0)).to.deep.equal([0n]);
    expect(await lib.gather([], [], [], 5, 0)).to.deep.equal([]);
  });

  it("gather reads 0 from a sheet not younger than the row's owner (it scored an earlier owner)", async () => {
    const { lib } = await loadFixture(fixture);
    for (let id = 0; id < 3; id++) await lib.setInSheet(id, 7, 100 * (id + 1));
    // The row's owner was born at 50: sheets from rounds that started at 40 and 50 scored someone else.
    expect(await lib.gather([0, 1, 2], [256, 256, 256], [40, 50, 51], 7, 50)).to.deep.equal([0n, 0n, 300n]);
  });
});
