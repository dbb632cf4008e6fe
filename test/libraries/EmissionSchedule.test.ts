import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { parseEther } from "ethers";
import { EmissionScheduleHarness, EmissionScheduleHarness__factory } from "../../typechain-types";
import { DAY, DEFAULT_SCHEDULE } from "../../scripts/lib/chain/constants";
import {
  ScheduleParams,
  cumulative,
  cumulativeByIntervals,
  emitted,
  intervalsWithEmission,
  scheduleEnd,
  total,
} from "../../scripts/lib/models/schedule";

const TTD = 10n ** 18n;
const U64_MAX = 2n ** 64n - 1n;
const U128_MAX = 2n ** 128n - 1n;
const START = 1_700_000_000n;

const DEFAULT: ScheduleParams = {
  start: START,
  interval: DEFAULT_SCHEDULE.interval,
  initialAmount: DEFAULT_SCHEDULE.initialAmount,
  decrease: DEFAULT_SCHEDULE.decrease,
};

function absDiff(a: bigint, b: bigint): bigint {
  return a > b ? a - b : b - a;
}

async function deployHarness(): Promise<{ harness: EmissionScheduleHarness }> {
  const [deployer] = await ethers.getSigners();
  const harness = await new EmissionScheduleHarness__factory(deployer).deploy();
  await harness.waitForDeployment();
  return { harness };
}

/** Random valid params, from one-interval schedules to ~2^60 intervals, amounts up to ~2^120 wei. */
const anyParams: fc.Arbitrary<ScheduleParams> = fc
  .record({
    start: fc.bigInt({ min: 0n, max: 2n ** 40n }),
    interval: fc.oneof(fc.bigInt({ min: 1n, max: 10n }), fc.bigInt({ min: 1n, max: 2n ** 32n })),
    initialAmount: fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 2n ** 120n })),
    maxIntervals: fc.oneof(fc.bigInt({ min: 1n, max: 50n }), fc.bigInt({ min: 1n, max: 2n ** 60n })),
    bigDecrease: fc.boolean(),
    extra: fc.bigInt({ min: 0n, max: 2n ** 100n }),
  })
  .map(({ start, interval, initialAmount, maxIntervals, bigDecrease, extra }) => {
    // decrease >= ceil(R / k) keeps intervalsWithEmission <= k; sometimes decrease > R (a single interval).
    const minDecrease = (initialAmount + maxIntervals - 1n) / maxIntervals;
    const decrease = bigDecrease ? initialAmount + extra : minDecrease;
    return { start, interval, initialAmount, decrease };
  });

/** Random valid params with fewer than 2,000 emitting intervals, for the O(n) reference walk. */
const walkableParams: fc.Arbitrary<ScheduleParams> = fc
  .record({
    start: fc.bigInt({ min: 0n, max: 2n ** 40n }),
    interval: fc.oneof(fc.bigInt({ min: 1n, max: 5n }), fc.bigInt({ min: 1n, max: 1_000_000n })),
    decrease: fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 2n ** 80n })),
    k: fc.bigInt({ min: 1n, max: 1999n }),
    short: fc.bigInt({ min: 0n, max: 2n ** 80n }),
  })
  .map(({ start, interval, decrease, k, short }) => {
    // initialAmount in ((k - 1) * decrease, k * decrease]: exactly k emitting intervals.
    const initialAmount = k * decrease - (short % decrease);
    return { start, interval, initialAmount, decrease };
  });

/** Maps a raw 64-bit draw to a timestamp from before the start to after the end. */
function timeIn(p: ScheduleParams, raw: bigint): bigint {
  const lo = p.start > p.interval ? p.start - p.interval : 0n;
  const hi = scheduleEnd(p) + 2n * p.interval;
  const t = lo + (raw % (hi - lo + 1n));
  return t;
}

const rawTime = fc.bigInt({ min: 0n, max: 2n ** 64n });

/** A property of the harness at a random time `t` of random params `params` (fast-check, `numRuns` runs). */
async function atRandomTimes(
  params: fc.Arbitrary<ScheduleParams>,
  numRuns: number,
  property: (harness: EmissionScheduleHarness, p: ScheduleParams, t: bigint) => Promise<void>,
): Promise<void> {
  const { harness } = await loadFixture(deployHarness);
  await fc.assert(
    fc.asyncProperty(params, rawTime, (p, raw) => property(harness, p, timeIn(p, raw))),
    { numRuns },
  );
}

describe("EmissionSchedule", () => {
  describe("default parameters", () => {
    it("has 5,833 emitting intervals and ends 5,833 days after the start", async () => {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.intervalsWithEmission(DEFAULT)).to.equal(5833n);
      expect(await harness.end(DEFAULT)).to.equal(START + 5833n * DAY);
      expect(await harness.end(DEFAULT)).to.equal(scheduleEnd(DEFAULT));
    });

    it("emits a total within 1 TTD of 42,000,000 TTD, equal to the TS reference", async () => {
      const { harness } = await loadFixture(deployHarness);
      const t = await harness.total(DEFAULT);
      expect(t).to.equal(total(DEFAULT));
      expect(absDiff(t, 42_000_000n * TTD)).to.be.lte(TTD);
      // The walk over all 5,833 intervals agrees with the closed form.
      expect(t).to.equal(cumulativeByIntervals(DEFAULT, scheduleEnd(DEFAULT)));
    });

    it("gives 24% and 4% buckets within 1 TTD of 10,080,000 and 1,680,000 TTD", async () => {
      const { harness } = await loadFixture(deployHarness);
      const t = await harness.total(DEFAULT);
      expect(absDiff((t * 2400n) / 10_000n, 10_080_000n * TTD)).to.be.lte(TTD);
      expect(absDiff((t * 400n) / 10_000n, 1_680_000n * TTD)).to.be.lte(TTD);
    });

    it("emits 14,400 TTD on day 0 and 2.468994701 TTD less on day 1", async () => {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.cumulative(DEFAULT, START + DAY)).to.equal(parseEther("14400"));
      expect(await harness.emitted(DEFAULT, START + DAY, START + 2n * DAY)).to.equal(
        parseEther("14400") - parseEther("2.468994701"),
      );
    });

    it("matches the TS closed form and the interval walk at boundaries and mid-interval", async () => {
      const { harness } = await loadFixture(deployHarness);
      const ks = [0n, 1n, 2n, 3n, 10n, 100n, 1000n, 2916n, 5831n, 5832n, 5833n, 5834n, 10_000n];
      const offsets = [-1n, 0n, 1n, DAY / 2n, DAY / 3n, DAY - 1n];
      for (const k of ks) {
        for (const off of offsets) {
          const t = START + k * DAY + off;
          const onChain = await harness.cumulative(DEFAULT, t);
          expect(onChain, `t = start + ${k} days + ${off}s`).to.equal(cumulative(DEFAULT, t));
          expect(onChain, `walk at t = start + ${k} days + ${off}s`).to.equal(
            cumulativeByIntervals(DEFAULT, t),
          );
        }
      }
    });

    it("is zero at and before the start, and exactly the total at and after the end", async () => {
      const { harness } = await loadFixture(deployHarness);
      const end = scheduleEnd(DEFAULT);
      const t = total(DEFAULT);
      expect(await harness.cumulative(DEFAULT, 0n)).to.equal(0n);
      expect(await harness.cumulative(DEFAULT, START - 1n)).to.equal(0n);
      expect(await harness.cumulative(DEFAULT, START)).to.equal(0n);
      expect(await harness.cumulative(DEFAULT, START + 1n)).to.be.gt(0n);
      expect(await harness.cumulative(DEFAULT, end - 1n)).to.be.lt(t);
      expect(await harness.cumulative(DEFAULT, end)).to.equal(t);
      expect(await harness.cumulative(DEFAULT, end + 1n)).to.equal(t);
      expect(await harness.cumulative(DEFAULT, 2n ** 255n)).to.equal(t);
      expect(await harness.emitted(DEFAULT, end, end + 1000n * DAY)).to.equal(0n);
    });

    it("emits nothing over an empty range", async () => {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.emitted(DEFAULT, START + 5n, START + 5n)).to.equal(0n);
    });
  });

  describe("validate", () => {
    const bad: [string, ScheduleParams][] = [
      ["zero interval", { ...DEFAULT, interval: 0n }],
      ["zero initial amount", { ...DEFAULT, initialAmount: 0n }],
      ["zero decrease", { ...DEFAULT, decrease: 0n }],
      ["initial amount above uint128", { ...DEFAULT, initialAmount: U128_MAX + 1n, decrease: 2n ** 100n }],
      ["decrease above uint128", { ...DEFAULT, decrease: U128_MAX + 1n }],
      ["start above uint64", { ...DEFAULT, start: U64_MAX + 1n }],
      ["interval above uint64", { ...DEFAULT, interval: U64_MAX + 1n }],
      ["more than 2^64 - 1 intervals", { ...DEFAULT, initialAmount: U128_MAX, decrease: 2n ** 64n }],
      ["2^128 - 1 intervals", { ...DEFAULT, initialAmount: U128_MAX, decrease: 1n }],
    ];
    for (const [name, p] of bad) {
      it(`reverts InvalidScheduleParams on ${name}`, async () => {
        const { harness } = await loadFixture(deployHarness);
        await expect(harness.validate(p)).to.be.revertedWithCustomError(harness, "InvalidScheduleParams");
      });
    }

    it("accepts the default parameters and the extreme valid bounds", async () => {
      const { harness } = await loadFixture(deployHarness);
      await harness.validate(DEFAULT);
      await harness.validate({ start: U64_MAX, interval: U64_MAX, initialAmount: 1n, decrease: U128_MAX });
      // (2^64 + 1) * (2^64 - 1) == 2^128 - 1: exactly 2^64 - 1 intervals.
      const edge: ScheduleParams = {
        start: 0n,
        interval: 1n,
        initialAmount: U128_MAX,
        decrease: 2n ** 64n + 1n,
      };
      expect(intervalsWithEmission(edge)).to.equal(U64_MAX);
      await harness.validate(edge);
      expect(await harness.intervalsWithEmission(edge)).to.equal(U64_MAX);
      expect(await harness.total(edge)).to.equal(total(edge));
      expect(await harness.cumulative(edge, 2n ** 63n + 7n)).to.equal(cumulative(edge, 2n ** 63n + 7n));
    });
  });

  describe("emitted", () => {
    it("reverts InvalidRange(from, to) when to < from", async () => {
      const { harness } = await loadFixture(deployHarness);
      await expect(harness.emitted(DEFAULT, START + 10n, START + 9n))
        .to.be.revertedWithCustomError(harness, "InvalidRange")
        .withArgs(START + 10n, START + 9n);
      await expect(harness.emitted(DEFAULT, 1n, 0n))
        .to.be.revertedWithCustomError(harness, "InvalidRange")
        .withArgs(1n, 0n);
    });

    it("equals the difference of cumulative amounts", async () => {
      const { harness } = await loadFixture(deployHarness);
      const a = START + 12_345n;
      const b = START + 77n * DAY + 999n;
      expect(await harness.emitted(DEFAULT, a, b)).to.equal(
        (await harness.cumulative(DEFAULT, b)) - (await harness.cumulative(DEFAULT, a)),
      );
      expect(await harness.emitted(DEFAULT, a, b)).to.equal(emitted(DEFAULT, a, b));
    });
  });

  describe("properties", () => {
    it("additivity: emitted(a, b) + emitted(b, c) == emitted(a, c)", async () => {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(anyParams, rawTime, rawTime, rawTime, async (p, r1, r2, r3) => {
          const [a, b, c] = [timeIn(p, r1), timeIn(p, r2), timeIn(p, r3)].sort((x, y) =>
            x < y ? -1 : x > y ? 1 : 0,
          );
          const ab = await harness.emitted(p, a, b);
          const bc = await harness.emitted(p, b, c);
          const ac = await harness.emitted(p, a, c);
          expect(ab + bc).to.equal(ac);
          expect(ac).to.equal(emitted(p, a, c));
        }),
        { numRuns: 80 },
      );
    });

    it("contract cumulative == TS closed form == TS interval walk", async () => {
      await atRandomTimes(walkableParams, 80, async (harness, p, t) => {
        const onChain = await harness.cumulative(p, t);
        expect(onChain).to.equal(cumulative(p, t));
        expect(onChain).to.equal(cumulativeByIntervals(p, t));
        expect(await harness.total(p)).to.equal(cumulativeByIntervals(p, scheduleEnd(p)));
      });
    });

    it("contract matches the TS closed form on large random params", async () => {
      await atRandomTimes(anyParams, 60, async (harness, p, t) => {
        expect(await harness.cumulative(p, t)).to.equal(cumulative(p, t));
        expect(await harness.total(p)).to.equal(total(p));
        expect(await harness.end(p)).to.equal(scheduleEnd(p));
        expect(await harness.intervalsWithEmission(p)).to.equal(intervalsWithEmission(p));
      });
    });

    it("monotonicity: t1 <= t2 implies cumulative(t1) <= cumulative(t2), and cumulative(t) <= total", async () => {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(anyParams, rawTime, rawTime, async (p, r1, r2) => {
          const x = timeIn(p, r1);
          const y = timeIn(p, r2);
          const [t1, t2] = x <= y ? [x, y] : [y, x];
          const c1 = await harness.cumulative(p, t1);
          const c2 = await harness.cumulative(p, t2);
          const tot = await harness.total(p);
          expect(c1).to.be.lte(c2);
          expect(c2).to.be.lte(tot);
          // Adjacent seconds too: the floored partial never steps backwards.
          expect(await harness.cumulative(p, t1 + 1n)).to.be.gte(c1);
        }),
        { numRuns: 80 },
      );
    });

    it("emitted reverts InvalidRange(from, to) for every to < from", async () => {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(anyParams, rawTime, fc.bigInt({ min: 1n, max: 2n ** 40n }), async (p, raw, gap) => {
          const to = timeIn(p, raw);
          const from = to + gap;
          await expect(harness.emitted(p, from, to))
            .to.be.revertedWithCustomError(harness, "InvalidRange")
            .withArgs(from, to);
        }),
        { numRuns: 30 },
      );
    });
  });
});
